"""Background tasks of the deliverables domain (run by the huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.reports.services.schedule import close_deadlines, plan_submissions, send_reminders

__all__ = ["reports_schedule"]


@db_periodic_task(crontab(minute="*/10"))
def reports_schedule() -> None:
    """Every 10 minutes: record the breaches of late or missing reports, record reminders
    before due days, and create the submissions due in the coming weeks (RPT-01..06); each
    step is idempotent."""
    close_deadlines()
    send_reminders()
    plan_submissions()
