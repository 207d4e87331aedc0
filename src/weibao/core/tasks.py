"""Background tasks of the core domain (run by the huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.core.services import record_heartbeat


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Every minute: prove the worker is alive; /healthz reports the last beat."""
    record_heartbeat("worker")
