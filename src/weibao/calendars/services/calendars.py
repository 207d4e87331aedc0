"""Work calendars: create and edit (weekly hours), their own days, contract calendars."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.calendars.choices import CalendarKind, DayType
from weibao.calendars.hours import check_day, normalize_weekly
from weibao.calendars.models import CalendarDay, HolidaySet, WorkCalendar
from weibao.calendars.models.calendars import RESERVED_CODES, validate_timezone
from weibao.calendars.signals import one_version_bump
from weibao.calendars.worktime import CalendarError
from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.core.errors import ServiceError
from weibao.core.models import code_validator

__all__ = [
    "CalendarInput",
    "remove_calendar_day",
    "save_calendar",
    "set_calendar_day",
]


@dataclass
class CalendarInput:
    code: str
    name: str
    kind: str = CalendarKind.STANDARD
    timezone: str = "Asia/Shanghai"
    holiday_set: HolidaySet | None = None
    weekly_hours: dict[str, Any] = field(default_factory=dict)
    contract: Contract | None = None
    based_on: WorkCalendar | None = None
    description: str = ""


def calendar_errors(data: CalendarInput, calendar: WorkCalendar | None = None,
                    ) -> dict[str, list[str]]:
    """Every rule a calendar's fields break, by field (empty: fine). Normalises the hours."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        code_validator(data.code)
    except ValidationError as exc:
        add("code", " ".join(exc.messages))
    if data.code in RESERVED_CODES:
        add("code", _("This code is reserved."))
    clash = WorkCalendar.objects.filter(code=data.code)
    if calendar is not None:
        clash = clash.exclude(pk=calendar.pk)
    if clash.exists():
        add("code", _("A calendar with the code %(code)s already exists.") % {"code": data.code})
    if not data.name.strip():
        add("name", _("A calendar needs a name."))
    try:
        validate_timezone(data.timezone)
    except ValidationError as exc:
        add("timezone", " ".join(exc.messages))
    if data.kind not in CalendarKind.values:
        add("kind", _("Unknown kind %(value)s.") % {"value": data.kind})
    if data.kind == CalendarKind.ALWAYS:
        data.holiday_set, data.weekly_hours = None, {}
    try:
        data.weekly_hours = normalize_weekly(data.weekly_hours)
    except CalendarError as exc:
        add("weekly_hours", str(exc))
    if data.contract is not None and data.based_on is None:
        add("based_on", _("A contract's calendar is based on a national calendar."))
    if data.based_on is not None and data.based_on.contract_id not in (
            None, data.contract.pk if data.contract else None):
        add("based_on", _("A calendar cannot be based on another contract's calendar."))
    if calendar is not None and calendar.contract_id != (data.contract.pk if data.contract
                                                         else None):
        add("contract", _("A calendar cannot move to another contract."))
    return errors


def save_calendar(data: CalendarInput, *, calendar: WorkCalendar | None = None,
                  actor: Any = None) -> WorkCalendar:
    """Create a calendar, or change ``calendar`` to ``data``."""
    with acting_as(actor), transaction.atomic():
        if calendar is not None:
            calendar = WorkCalendar.objects.select_for_update().get(pk=calendar.pk)
        errors = calendar_errors(data, calendar)
        if errors:
            raise ServiceError(errors)
        calendar = calendar or WorkCalendar(contract=data.contract)
        values = {"code": data.code, "name": data.name.strip(), "kind": data.kind,
                  "timezone": data.timezone, "holiday_set": data.holiday_set,
                  "weekly_hours": data.weekly_hours, "based_on": data.based_on,
                  "description": data.description}
        if assign(calendar, values) or calendar.pk is None:
            calendar.save()
        return calendar


def assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes; True when any value changed (unchanged rows are not saved again)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def day_values(kind: str, name: str, segments: Any) -> dict[str, Any]:
    try:
        segs = check_day(kind, segments)
    except CalendarError as exc:
        raise ServiceError({"kind" if kind not in DayType.values else "segments": [str(exc)]}
                           ) from exc
    return {"kind": kind, "name": (name or "").strip()[:100], "segments": segs}


def set_calendar_day(calendar: WorkCalendar, day: datetime.date, *, kind: str, name: str = "",
                     segments: Any = None, actor: Any = None) -> CalendarDay:
    """Add or change one of the calendar's own days (it wins over the holiday set)."""
    values = day_values(kind, name, segments)
    with acting_as(actor), transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(calendar=calendar, date=day).first()
        row = row or CalendarDay(calendar=calendar, date=day)
        if assign(row, values) or row.pk is None:
            row.save()
        return row


def remove_calendar_day(calendar: WorkCalendar, day: datetime.date, *,
                        actor: Any = None) -> bool:
    """Remove an own day; True when there was one."""
    with acting_as(actor), transaction.atomic():
        row = CalendarDay.objects.filter(calendar=calendar, date=day).first()
        if row is None:
            return False
        row.delete()
        return True


def sync_days(calendar: WorkCalendar, days: dict[datetime.date, dict[str, Any]]) -> None:
    """Make the calendar's own days exactly ``days`` (values from :func:`day_values`)."""
    with transaction.atomic(), one_version_bump():
        existing = {d.date: d for d in calendar.days.all()}
        for day, row in existing.items():
            if day not in days:
                row.delete()
        for day, values in sorted(days.items()):
            row = existing.get(day) or CalendarDay(calendar=calendar, date=day)
            if assign(row, values) or row.pk is None:
                row.save()
