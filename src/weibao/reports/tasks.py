"""Background tasks of the deliverables domain (run by the huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from weibao.contracts.models import Contract
from weibao.reports import jobs  # noqa: F401  (registers the generate_report task)
from weibao.reports.services.schedule import (
    LIVE_CONTRACTS,
    close_deadlines,
    plan_submissions,
    send_reminders,
)

__all__ = ["plan_contract", "reports_schedule"]


@db_periodic_task(crontab(minute="*/10"))
def reports_schedule() -> None:
    """Every 10 minutes: record the breaches of late or missing reports, record reminders
    before due days, and create the submissions due in the coming weeks (RPT-01..06); each
    step is idempotent."""
    close_deadlines()
    send_reminders()
    plan_submissions()


@db_task()
def plan_contract(contract_id: int) -> None:
    """A contract's deliverables changed: create its coming submissions now (from the day
    each deliverable was recorded)."""
    contract = Contract.objects.filter(pk=contract_id, status__in=LIVE_CONTRACTS).first()
    if contract is not None:
        plan_submissions(contract)
