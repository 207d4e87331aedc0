"""Background tasks of the tickets domain (run by the huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.tickets.services import scan_alerts


@db_periodic_task(crontab(minute="*"))
def sla_alerts() -> None:
    """Every minute: record SLA warnings and breaches (SLA-10), each exactly once."""
    scan_alerts()
