"""Major periods (重大活动/节假日保障, EMG-04 [002 §3.7, 001 L102]): the period, who is on
site on which day, and the security reports filed for it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.core.errors import ServiceError
from weibao.emergency.models import DutyAssignment, MajorPeriod, PeriodReport
from weibao.emergency.services.common import require, require_party, text

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["assign_duty", "create_period", "file_period_report", "remove_duty"]


@transaction.atomic
def create_period(contract: Contract, user: User, *, name: str, kind: str,
                  starts_on: datetime.date, ends_on: datetime.date,
                  notes: str = "") -> MajorPeriod:
    require(user, "emergency.add_majorperiod", contract,
            _("Your role may not add major periods to this contract."))
    label = text(name, "name", _("Name the period."))
    if starts_on is None or ends_on is None:
        raise ServiceError({"ends_on": [_("Give the first and the last day.")]})
    if ends_on < starts_on:
        raise ServiceError({"ends_on": [_("The last day must not be before the first.")]})
    return MajorPeriod.objects.create(contract=contract, name=label[:200], kind=kind,
                                      starts_on=starts_on, ends_on=ends_on,
                                      notes=(notes or "").strip(), created_by=user)


@transaction.atomic
def assign_duty(period: MajorPeriod, user: User, *, person: User, day: datetime.date,
                shift: str = "", place: str = "") -> DutyAssignment:
    """``person`` is on site on ``day`` (a person of the contract's parties)."""
    locked = MajorPeriod.objects.select_for_update().select_related("contract").get(
        pk=period.pk)
    require(user, "emergency.add_dutyassignment", locked.contract,
            _("Your role may not plan duty on this contract."))
    if day is None or not locked.starts_on <= day <= locked.ends_on:
        raise ServiceError({"day": [_("The day must fall within %(start)s–%(end)s.")
                                    % {"start": locked.starts_on, "end": locked.ends_on}]})
    require_party(locked.contract, person, "person",
                  message=_("Choose a person of this contract's parties."))
    shift = (shift or "").strip()[:60]
    if DutyAssignment.objects.filter(period=locked, user=person, day=day, shift=shift).exists():
        raise ServiceError({"person": [_("%(person)s is already on duty then.")
                                       % {"person": person}]})
    return DutyAssignment.objects.create(contract=locked.contract, period=locked, user=person,
                                         day=day, shift=shift, place=(place or "").strip()[:200])


@transaction.atomic
def remove_duty(duty: DutyAssignment, user: User) -> None:
    require(user, "emergency.delete_dutyassignment", duty.contract,
            _("Your role may not plan duty on this contract."))
    DutyAssignment.objects.filter(pk=duty.pk).delete()


@transaction.atomic
def file_period_report(period: MajorPeriod, user: User, *, title: str, content: str = "",
                       document: Any = None) -> PeriodReport:
    """A security report (安全保障报告) for the period: text, a document, or both."""
    require(user, "emergency.add_periodreport", period.contract,
            _("Your role may not file security reports on this contract."))
    label = text(title, "title", _("Give the report a title."))
    if not (content or "").strip() and not document:
        raise ServiceError({"content": [_("Write the report or attach its document.")]})
    report = PeriodReport(contract=period.contract, period=period, title=label[:200],
                          content=(content or "").strip(), filed_by=user,
                          filed_at=timezone.now())
    if document:
        report.document = document
    report.save()
    return report
