"""Writes of the staff app: one transaction each, bilingual errors."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff.models import DutyShift

__all__ = ["add_duty_shift"]


@transaction.atomic
def add_duty_shift(contract: Contract, user: User, starts_at: datetime.datetime,
                   ends_at: datetime.datetime) -> DutyShift:
    """Put ``user`` on duty for ``contract`` from ``starts_at`` to ``ends_at``."""
    if ends_at <= starts_at:
        raise ValidationError("A duty shift must end after it starts. / "
                              "值班结束时间须晚于开始时间。")
    Contract.objects.select_for_update().get(pk=contract.pk)
    return DutyShift.objects.create(contract=contract, user=user, starts_at=starts_at,
                                    ends_at=ends_at)
