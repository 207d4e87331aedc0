"""Background tasks of the staff domain (run by the huey worker)."""

from __future__ import annotations

import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

__all__ = ["staff_close_attendance"]


@db_periodic_task(crontab(hour="1", minute="10"))
def staff_close_attendance() -> None:
    """Every night: yesterday's working days of each contract's residents without a check-in
    are closed (absent, on leave or covered by the substitute) — STF-04. Idempotent; a week is
    re-examined so that a night the worker was down is caught up."""
    from django.utils import timezone

    from weibao.contracts.models import Contract
    from weibao.staff.services.attendance import close_days

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for contract in Contract.objects.filter(staff__resident=True).distinct():
        close_days(contract, yesterday, since=yesterday - datetime.timedelta(days=6))
