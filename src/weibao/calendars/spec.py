"""The contract spec's ``calendars`` section: a contract's own working calendars (CAL-02).

Each entry copies the hours, time zone and holiday set of ``based_on`` (a national calendar or
an earlier entry of the list), changes the weekdays given in ``hours`` and adds its own
``days`` (a city's extra day off, a site closed for a move). The list is the contract's whole
set of own calendars: an entry removed from the file removes the calendar.
"""

from __future__ import annotations

import datetime
from collections import Counter
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from weibao.calendars.choices import WEEKDAYS, CalendarKind, DayType
from weibao.calendars.hours import check_day, normalize_segments
from weibao.calendars.models import WorkCalendar
from weibao.calendars.models.calendars import RESERVED_CODES
from weibao.calendars.selectors import (
    BUILT_IN_CALENDAR_KINDS,
    CalendarDefinition,
    stored_definition,
)
from weibao.calendars.services.calendars import (
    CalendarInput,
    day_values,
    save_calendar,
    sync_days,
)
from weibao.calendars.worktime import CalendarError
from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import DATE, obj

__all__ = ["CALENDARS_SCHEMA", "register_section", "spec_definitions"]

SEGMENT: dict[str, Any] = {"type": "string",
                           "pattern": r"^\d{1,2}:\d{2}(:\d{2})?-\d{1,2}:\d{2}(:\d{2})?$"}
DAY_HOURS: dict[str, Any] = {"type": "array", "items": SEGMENT,
                             "description": "Working segments, e.g. 08:30-12:00; [] = rest."}

CALENDARS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "The contract's own working calendars (CAL-02); SLA rules name them by code.",
    "items": obj(
        {
            "code": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,59}$",
                     "description": "Unique calendar code: lower-case letters, digits, hyphens."},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "based_on": {"type": "string", "minLength": 1, "maxLength": 60,
                         "description": "Code of the calendar whose hours, time zone and "
                                        "holiday set are copied: a national calendar such as "
                                        "cn-0830-1730, or an earlier entry of this list."},
            "holidays": {"type": "boolean",
                         "description": "false: statutory holidays and adjusted workdays "
                                        "(调休) do not apply; only the weekly hours (and own "
                                        "days) count. Default: those of based_on."},
            "hours": obj({key: DAY_HOURS for key in WEEKDAYS},
                         description="Weekdays whose hours differ from based_on."),
            "days": {"type": "array", "items": obj(
                {"date": DATE, "kind": {"enum": list(DayType.values)},
                 "name": {"type": "string", "maxLength": 100},
                 "segments": {"type": "array", "items": SEGMENT}},
                ["date", "kind"],
                "A day of this calendar only; wins over the holiday set.")},
        },
        ["code", "name", "based_on"],
    ),
}

_MESSAGES = {
    "duplicate_code": _("the calendar code %(value)s appears more than once"),
    "reserved_code": _("%(value)s is reserved and cannot be a calendar code"),
    "code_taken": _("the calendar code %(value)s is already used by %(owner)s"),
    "unknown_base": _("%(value)s is neither a national calendar nor an earlier calendar of "
                      "this list"),
    "hours_on_always": _("%(value)s is a 7×24 calendar; its hours cannot be changed"),
    "no_holiday_set": _("%(value)s has no holiday set: holidays cannot be observed"),
    "bad_hours": _("invalid working hours: %(detail)s"),
    "duplicate_day": _("%(value)s appears more than once"),
    "bad_day": _("invalid day: %(detail)s"),
    "write": _("cannot be saved: %(detail)s"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def check(data: list[dict[str, Any]], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    number = spec.get("contract", {}).get("number")
    codes = Counter(item["code"] for item in data)
    existing: dict[str, Any]
    try:
        existing = {c.code: c for c in WorkCalendar.objects.select_related("contract").filter(
            code__in=[*codes, *(item["based_on"] for item in data)])}
    except DatabaseError:
        # Before `weibao migrate` (`weibao contract validate`): the built-in national calendars.
        existing = {code: SimpleNamespace(code=code, kind=kind, contract=None,
                                          holiday_set_id="cn" if holidays else None)
                    for code, (kind, holidays) in BUILT_IN_CALENDAR_KINDS.items()}
    kinds: dict[str, str] = {}
    has_set: dict[str, bool] = {}
    for i, item in enumerate(data):
        path, code = f"calendars[{i}]", item["code"]
        if codes[code] > 1:
            errors.append(_error(f"{path}.code", "duplicate_code", value=code))
        if code in RESERVED_CODES:
            errors.append(_error(f"{path}.code", "reserved_code", value=code))
        taken = existing.get(code)
        if taken is not None and (taken.contract is None or taken.contract.number != number):
            owner = (str(_("a national calendar")) if taken.contract is None
                     else str(_("another contract")))
            errors.append(_error(f"{path}.code", "code_taken", value=code, owner=owner))
        base = existing.get(item["based_on"])
        if item["based_on"] in kinds:
            base_kind = kinds[item["based_on"]]
            base_set = has_set[item["based_on"]]
        elif base is not None and base.contract is None:
            base_kind, base_set = base.kind, base.holiday_set_id is not None
        else:
            errors.append(_error(f"{path}.based_on", "unknown_base", value=item["based_on"]))
            base_kind, base_set = CalendarKind.STANDARD, True
        kinds.setdefault(code, base_kind)
        if item.get("holidays") is True and not base_set:
            errors.append(_error(f"{path}.holidays", "no_holiday_set", value=item["based_on"]))
        has_set.setdefault(code, base_set and item.get("holidays", True) is not False)
        if item.get("hours") and base_kind == CalendarKind.ALWAYS:
            errors.append(_error(f"{path}.hours", "hours_on_always", value=item["based_on"]))
        for key, segments in item.get("hours", {}).items():
            try:
                normalize_segments(segments)
            except CalendarError as exc:
                errors.append(_error(f"{path}.hours.{key}", "bad_hours", detail=str(exc)))
        dates = Counter(day["date"] for day in item.get("days", []))
        for j, day in enumerate(item.get("days", [])):
            if dates[day["date"]] > 1:
                errors.append(_error(f"{path}.days[{j}].date", "duplicate_day",
                                     value=day["date"]))
            try:
                check_day(day["kind"], day.get("segments"))
            except CalendarError as exc:
                errors.append(_error(f"{path}.days[{j}]", "bad_day", detail=str(exc)))
    return errors


def apply(contract: Contract, data: list[dict[str, Any]], errors: list[SpecError]) -> None:
    created: dict[str, WorkCalendar] = {}
    keep: set[int] = set()
    for i, item in enumerate(data):
        path = f"calendars[{i}]"
        base = created.get(item["based_on"]) or WorkCalendar.objects.filter(
            code=item["based_on"], contract__isnull=True).first()
        if base is None:
            errors.append(_error(f"{path}.based_on", "unknown_base", value=item["based_on"]))
            continue
        hours = base.hours() if base.kind == CalendarKind.STANDARD else {}
        hours.update(item.get("hours", {}))
        calendar = WorkCalendar.objects.filter(code=item["code"]).first()
        if calendar is not None and calendar.contract_id != contract.pk:
            errors.append(_error(f"{path}.code", "code_taken", value=item["code"],
                                 owner=str(_("another contract"))))
            continue
        try:
            calendar = save_calendar(CalendarInput(
                code=item["code"], name=item["name"], kind=base.kind, timezone=base.timezone,
                holiday_set=base.holiday_set if item.get("holidays", True) else None,
                weekly_hours=hours, contract=contract,
                based_on=base, description=calendar.description if calendar else "",
            ), calendar=calendar)
            sync_days(calendar, {
                datetime.date.fromisoformat(day["date"]):
                    day_values(day["kind"], day.get("name", ""), day.get("segments"))
                for day in item.get("days", [])})
        except ValidationError as exc:
            errors.append(_error(path, "write", detail="; ".join(exc.messages)))
            continue
        created[calendar.code] = calendar
        keep.add(calendar.pk)
    # Remove calendars dropped from the list, those based on others first.
    for calendar in WorkCalendar.objects.filter(contract=contract).exclude(pk__in=keep) \
            .order_by("-pk"):
        try:
            calendar.delete()
        except ProtectedError:
            errors.append(_error("calendars", "write", detail=str(
                _("%(code)s is the base of another calendar") % {"code": calendar.code})))


def dump(contract: Contract) -> list[dict[str, Any]] | None:
    out = []
    for calendar in WorkCalendar.objects.filter(contract=contract).select_related("based_on") \
            .prefetch_related("days").order_by("pk"):
        item: dict[str, Any] = {"code": calendar.code, "name": calendar.name}
        base = calendar.based_on
        if base is not None:
            item["based_on"] = base.code
            mine, theirs = calendar.hours(), base.hours()
            hours = {key: mine[key] for key in WEEKDAYS if mine[key] != theirs[key]}
            if calendar.holiday_set_id is None and base.holiday_set_id is not None:
                item["holidays"] = False
            if hours and not calendar.is_always:
                item["hours"] = hours
        days = []
        for day in calendar.days.all():
            entry: dict[str, Any] = {"date": day.date.isoformat(), "kind": day.kind}
            if day.name:
                entry["name"] = day.name
            if day.segments:
                entry["segments"] = list(day.segments)
            days.append(entry)
        if days:
            item["days"] = days
        out.append(item)
    return out or None


def spec_definitions(data: list[dict[str, Any]]) -> dict[str, CalendarDefinition]:
    """The calendars of a validated ``calendars`` section as engine definitions, without
    writing anything: the SLA preview evaluates a spec that is not imported with exactly its
    own calendars (bases that are national calendars are read from the database)."""
    out: dict[str, CalendarDefinition] = {}
    for item in data:
        base = out.get(item["based_on"])
        if base is None:
            stored = WorkCalendar.objects.select_related("holiday_set").filter(
                code=item["based_on"], contract__isnull=True).first()
            if stored is None:
                raise CalendarError(str(_MESSAGES["unknown_base"] % {"value": item["based_on"]}))
            base = stored_definition(stored)
        weekly = dict(base.weekly)
        if base.kind == CalendarKind.STANDARD:
            weekly.update({key: normalize_segments(value)
                           for key, value in item.get("hours", {}).items()})
        days = []
        for day in item.get("days", []):
            segments = check_day(day["kind"], day.get("segments"))
            days.append((datetime.date.fromisoformat(day["date"]), day["kind"],
                         day.get("name", ""), segments))
        out[item["code"]] = CalendarDefinition(
            code=item["code"], kind=base.kind, timezone=base.timezone, weekly=weekly,
            holiday_set_id=base.holiday_set_id if item.get("holidays", True) else None,
            holiday_set_label=base.holiday_set_label, days=tuple(days))
    return out


def register_section() -> None:
    register(Section("calendars", CALENDARS_SCHEMA, "Calendars", check=check, apply=apply,
                     dump=dump, order=60))
