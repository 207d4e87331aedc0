"""Background tasks of the emergency domain (run by the huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.emergency.services.drills import close_windows

__all__ = ["emergency_drills"]


@db_periodic_task(crontab(minute="*/10"))
def emergency_drills() -> None:
    """Every 10 minutes: drills whose window ended unheld are missed (breaches where the
    rule says so); the ledger takes them in at its next synchronisation. Idempotent."""
    close_windows()
