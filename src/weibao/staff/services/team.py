"""The team: members with their certificates, duty shifts (STF-01, STF-04)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff.choices import StaffRole
from weibao.staff.models import Certificate, DutyShift, Member

__all__ = ["add_duty_shift", "add_member"]


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


@transaction.atomic
def add_member(contract: Contract, name: str, *, starts_on: datetime.date,
               role: str = StaffRole.ENGINEER, resident: bool = False,
               user: User | None = None,
               certificates: list[tuple[str, datetime.date | None]] | None = None) -> Member:
    """Put a person on ``contract``'s team with their certificates (name, expiry)."""
    name = name.strip()
    if not name:
        raise ValidationError("A team member needs a name. / 团队成员须填写姓名。")
    if role not in StaffRole.values:
        raise ValidationError(f"Unknown role {role!r}. / 未知角色 {role!r}。")
    Contract.objects.select_for_update().get(pk=contract.pk)
    member = Member.objects.create(contract=contract, name=name, role=role, resident=resident,
                                   user=user, starts_on=starts_on)
    Certificate.objects.bulk_create(Certificate(member=member, name=c, expires_on=e)
                                    for c, e in certificates or [])
    return member
