"""Background tasks of the assessment domain (run by the huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.assessment.services.ledger import sync_ledger

__all__ = ["assessment_ledger"]


@db_periodic_task(crontab(minute="*/10"))
def assessment_ledger() -> None:
    """Every 10 minutes: enter the breaches the SLA alerts, missed visits and late reports
    recorded into the breach ledger (ASM-03); idempotent, also with two workers."""
    sync_ledger()
