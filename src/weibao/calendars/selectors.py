"""Reads of the calendars domain; the engine bridge used by every other app.

``calendar_engine(code)`` is the one way other apps (sla, reports, ...) get a working-time
calendar: a :class:`weibao.calendars.worktime.WorkCalendar` built from the database and cached
in the process. Every change of calendar data writes a new version token in the same
transaction (:func:`weibao.calendars.models.bump_data_version`); a process reads that token
(one primary-key query) at most every ``WEIBAO_CACHE_RECHECK_SECONDS`` and rebuilds when it
differs, so a correction is seen at once by the process that made it and within seconds by
all the others (:mod:`weibao.core.stamped`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from weibao.calendars import worktime
from weibao.calendars.choices import CalendarKind, GridDay, YearStatus
from weibao.calendars.hours import ALWAYS, day_override, engine_weekly, workday_template
from weibao.calendars.models import (
    CalendarDataVersion,
    CalendarDay,
    HolidayDay,
    HolidayYear,
    WorkCalendar,
)
from weibao.calendars.worktime import CalendarError, DayKind, Result, Unit
from weibao.core.stamped import StampedCache

__all__ = [
    "ALWAYS_YEARS",
    "CalendarDefinition",
    "UnknownCalendar",
    "calendar_codes",
    "calendar_engine",
    "can_manage_calendar",
    "clear_engine_cache",
    "compute_due",
    "compute_elapsed",
    "engine_from_definition",
    "grid_kind",
    "stored_definition",
    "validate_calendar_code",
    "visible_calendars",
    "year_months",
]

#: Years covered by calendars without a holiday set (7×24, plain weekly hours).
ALWAYS_YEARS = (2000, 2100)


# The national office-hours calendar seeded by migration 0002: State Council holidays and 调休.
NATIONAL_CALENDAR = "cn-0830-1730"
#: The national calendars migration 0002 seeds (known before the database exists): their kind
#: and whether the State Council holidays apply, for spec checks before `migrate`.
BUILT_IN_CALENDAR_KINDS = {"cn-0830-1730": (CalendarKind.STANDARD, True),
                           "cn-0830-1730-lunch": (CalendarKind.STANDARD, True),
                           "7x24": (CalendarKind.ALWAYS, False)}
BUILT_IN_CALENDARS = tuple(BUILT_IN_CALENDAR_KINDS)


def is_national_working_day(day: date) -> bool | None:
    """Whether ``day`` is a working day of the national calendar — with an administrator's
    corrections —, or None when the day is beyond the entered years (never a guess)."""
    try:
        return calendar_engine(NATIONAL_CALENDAR).is_working_day(day)
    except CalendarError:
        return None


def national_working_days_after(start: date, days: int) -> date | None:
    """The day the Nth working day after ``start`` falls on (``start`` not counted), by the
    national calendar; None when that runs beyond the entered years."""
    try:
        engine = calendar_engine(NATIONAL_CALENDAR)
        day = start
        for _ in range(days):
            day = engine.next_working_day(day, include_self=False)
        return day
    except CalendarError:
        return None


class UnknownCalendar(CalendarError):
    """No calendar has this code."""

    def __init__(self, code: str) -> None:
        self.code = code
        known = ", ".join(_national_codes())
        super().__init__(_("Unknown calendar %(code)s; known calendars: %(known)s.")
                         % {"code": code, "known": known or "—"})


def _national_codes() -> list[str]:
    return list(WorkCalendar.objects.filter(contract__isnull=True).order_by("code")
                .values_list("code", flat=True)[:30])


# --- access (PLT-01) ------------------------------------------------------------------------

def visible_calendars(user: Any) -> QuerySet[WorkCalendar]:
    """National calendars for everyone logged in; a contract's own only for its parties."""
    queryset = WorkCalendar.objects.select_related("holiday_set", "contract")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_administrator:
        return queryset
    from weibao.contracts.selectors import visible_contracts

    return queryset.filter(Q(contract__isnull=True) | Q(contract__in=visible_contracts(user)))


def can_manage_calendar(user: Any, calendar: WorkCalendar | None = None) -> bool:
    """Administrators manage every calendar; vendor managers and purchaser staff manage the
    calendars of their own contracts. ``None``: may the user create a contract calendar?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_administrator:
        return True
    if calendar is None:
        return bool(user.has_perm("calendars.add_workcalendar"))
    return (calendar.contract is not None and user.has_perm("calendars.change_workcalendar")
            and calendar.contract.is_visible_to(user))


def calendar_codes(user: Any = None) -> list[str]:
    """Codes of the calendars the user may use (all when ``user`` is None), sorted."""
    queryset = WorkCalendar.objects.all() if user is None else visible_calendars(user)
    return sorted(queryset.values_list("code", flat=True))


def validate_calendar_code(code: str, *, contract_number: str | None = None) -> str | None:
    """``None`` when ``code`` names a usable calendar, else the reason (for spec checks).

    With ``contract_number``, another contract's own calendar is refused as well.
    """
    try:
        calendar = WorkCalendar.objects.select_related("contract").filter(code=code).first()
    except DatabaseError:
        # No tables before `weibao migrate`: the built-in national calendars (seeded by
        # migration 0002) are known without the database (`weibao contract validate`).
        if code in BUILT_IN_CALENDARS:
            return None
        return _("no calendar has the code %(code)s; national calendars: %(known)s "
                 "(run `weibao migrate` first to use the database's calendars)") % {
            "code": code, "known": ", ".join(BUILT_IN_CALENDARS)}
    if calendar is None:
        known = ", ".join(_national_codes())
        return _("no calendar has the code %(code)s; national calendars: %(known)s") % {
            "code": code, "known": known or "—"}
    if (contract_number is not None and calendar.contract is not None
            and calendar.contract.number != contract_number):
        return _("calendar %(code)s belongs to another contract") % {"code": code}
    try:
        calendar_engine(code)
    except CalendarError as exc:
        return str(exc)
    return None


# --- the engine bridge ------------------------------------------------------------------------

def _current_token(code: str) -> str:
    return CalendarDataVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


_engines: StampedCache[str, worktime.WorkCalendar] = StampedCache(_current_token)


def clear_engine_cache() -> None:
    """Forget every built calendar in this process (a change was just written here)."""
    _engines.expire()


def calendar_engine(code: str) -> worktime.WorkCalendar:
    """The working-time calendar ``code``, built from the database and cached.

    Raises :class:`UnknownCalendar` (a ``CalendarError``) for an unknown code and
    ``CalendarError`` when the data cannot make a calendar (a holiday set without years).
    """
    return _engines.get(code, lambda: build_engine(code))


@dataclass(frozen=True)
class CalendarDefinition:
    """What an engine is built from: a stored calendar, or a spec entry not imported yet.

    ``holiday_set_id`` None: no holiday set (7×24, or a calendar that ignores holidays:
    only its weekly hours count, statutory holidays and 调休 days do not).
    ``days``: the calendar's own days as ``(date, kind, name, segments)``.
    """

    code: str
    kind: str
    timezone: str
    weekly: dict[str, list[str]]
    holiday_set_id: int | None
    holiday_set_label: str = ""
    days: tuple[tuple[date, str, str, list[str] | None], ...] = ()


def build_engine(code: str) -> worktime.WorkCalendar:
    """Build (without the cache) the engine of calendar ``code`` from the database."""
    calendar = WorkCalendar.objects.select_related("holiday_set").filter(code=code).first()
    if calendar is None:
        raise UnknownCalendar(code)
    return engine_from_definition(stored_definition(
        calendar, days=tuple((d.date, d.kind, d.name, d.segments)
                             for d in CalendarDay.objects.filter(calendar=calendar))))


def stored_definition(calendar: WorkCalendar, *,
                      days: tuple[tuple[date, str, str, list[str] | None], ...] = ()
                      ) -> CalendarDefinition:
    """The definition of a stored calendar (its own ``days`` given by the caller)."""
    return CalendarDefinition(
        code=calendar.code, kind=calendar.kind, timezone=calendar.timezone,
        weekly=calendar.hours(),
        holiday_set_id=(calendar.holiday_set_id if calendar.kind == CalendarKind.STANDARD
                        else None),
        holiday_set_label=str(calendar.holiday_set or ""),
        days=days)


def engine_from_definition(definition: CalendarDefinition) -> worktime.WorkCalendar:
    """The engine of a calendar definition; holiday sets are read from the database."""
    weekly = definition.weekly
    always = definition.kind == CalendarKind.ALWAYS
    overrides: dict[date, worktime.DayOverride] = {}
    provisional: set[int] = set()
    first, last = ALWAYS_YEARS
    if not always and definition.holiday_set_id is not None:
        years = dict(HolidayYear.objects.filter(holiday_set_id=definition.holiday_set_id)
                     .values_list("year", "status"))
        if not years:
            raise CalendarError(_("holiday set %(set)s has no years yet; enter a year first")
                                % {"set": definition.holiday_set_label})
        first, last = min(years), max(years)
        # A year missing between two known ones counts as provisional: weekends only, flagged.
        provisional = {y for y in range(first, last + 1)
                       if years.get(y, YearStatus.PROVISIONAL) == YearStatus.PROVISIONAL}
        for row in HolidayDay.objects.filter(holiday_set_id=definition.holiday_set_id,
                                             date__year__gte=first, date__year__lte=last):
            overrides[row.date] = day_override(row.kind, row.name, row.segments)
    # Own days win over the holiday set; those outside the covered years wait for their year.
    for day, kind, name, segments in definition.days:
        if first <= day.year <= last:
            overrides[day] = day_override(kind, name, segments)
    return worktime.WorkCalendar(
        tz=definition.timezone,
        weekly=engine_weekly(weekly),
        first_year=first,
        last_year=last,
        overrides=overrides,
        provisional_years=provisional,
        workday_template=workday_template(weekly) if not always else ALWAYS,
        name=definition.code,
    )


# --- computations (API, command line) -------------------------------------------------------

def _aware(value: datetime, engine: worktime.WorkCalendar) -> datetime:
    """A naive time is read in the calendar's time zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=engine.tz)


def compute_due(code: str, start: datetime, amount: int | Fraction | Decimal,
                unit: Unit) -> Result[datetime]:
    engine = calendar_engine(code)
    return engine.add(_aware(start, engine), amount, unit, explain=True)


def compute_elapsed(code: str, start: datetime, end: datetime, unit: Unit) -> Result[Fraction]:
    engine = calendar_engine(code)
    return engine.elapsed(_aware(start, engine), _aware(end, engine), unit, explain=True)


# --- the year grid ------------------------------------------------------------------------------

def grid_kind(note: worktime.DayNote) -> GridDay:
    if note.kind is DayKind.REGULAR:
        return GridDay.WORKDAY if note.working else GridDay.WEEKEND
    if note.kind is DayKind.HOLIDAY or (note.kind is DayKind.CUSTOM and not note.working):
        return GridDay.HOLIDAY
    if note.kind in (DayKind.ADJUSTED_WORKDAY, DayKind.WORKDAY):
        return GridDay.ADJUSTED_WORKDAY
    if note.kind is DayKind.HALF_DAY:
        return GridDay.HALF_DAY
    return GridDay.CUSTOM


def year_months(engine: worktime.WorkCalendar, year: int) -> list[dict[str, Any]]:
    """Twelve months of weeks (Monday first) of ``{day, kind, css, name}`` cells or None."""
    import calendar as stdcal

    covered = engine.first_year <= year <= engine.last_year
    months = []
    for month in range(1, 13):
        weeks = []
        for week in stdcal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[dict[str, Any] | None] = []
            for d in week:
                if d.month != month:
                    row.append(None)
                    continue
                if covered:
                    note = engine.day_note(d)
                    kind, name = grid_kind(note), note.name or ""
                else:
                    kind, name = GridDay.NO_DATA, ""
                row.append({"day": d, "kind": kind, "css": kind.css, "name": name,
                            "label": kind.label})
            weeks.append(row)
        months.append({"month": month, "first": date(year, month, 1), "weeks": weeks})
    return months

