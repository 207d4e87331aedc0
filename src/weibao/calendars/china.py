"""Mainland China statutory holidays and 调休 workdays.

The data comes from the ``chinesecalendar`` package (imported lazily, only
when these functions are called), which follows the State Council's yearly
notice on public holidays (国务院办公厅关于…部分节假日安排的通知) from 2004
to the last year it knows.  The Django layer will keep the same days in a
database table; this module only turns the package's data into the plain
``{date: DayOverride}`` mapping that :class:`WorkCalendar` takes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from types import ModuleType
from zoneinfo import ZoneInfo

from .worktime import CalendarError, DayOverride, SegmentLike, WorkCalendar, parse_segments

__all__ = [
    "STANDARD_HOURS",
    "STANDARD_HOURS_WITH_LUNCH",
    "china_calendar",
    "china_data_years",
    "china_overrides",
]

#: The usual government office hours in contracts: 8:30-17:30.
STANDARD_HOURS: tuple[str, ...] = ("08:30-17:30",)
#: The same day with a lunch break.
STANDARD_HOURS_WITH_LUNCH: tuple[str, ...] = ("08:30-12:00", "13:00-17:30")


def _package() -> ModuleType:
    try:
        return importlib.import_module("chinese_calendar")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CalendarError(
            "the 'chinesecalendar' package is required: pip install chinesecalendar"
        ) from exc


def china_data_years() -> tuple[int, int]:
    """First and last year for which ``chinesecalendar`` has official data."""
    cc = _package()
    years = [d.year for d in cc.holidays]
    return min(years), max(years)


def _names(cc: ModuleType) -> dict[str, str]:
    """English holiday name -> "中文名 English name"."""
    return {member.value: f"{member.chinese} {member.value}" for member in cc.Holiday}


def china_overrides(
    first_year: int,
    last_year: int,
    *,
    adjusted_segments: Iterable[SegmentLike] | None = None,
) -> dict[date, DayOverride]:
    """Holidays and 调休 workdays for ``first_year..last_year`` (years the package knows).

    ``adjusted_segments``: working hours of 调休 workdays; ``None`` means the
    calendar's workday template (Monday's hours by default).
    """
    cc = _package()
    names = _names(cc)
    segs = None if adjusted_segments is None else parse_segments(adjusted_segments)
    out: dict[date, DayOverride] = {}
    for d, english in cc.holidays.items():
        if first_year <= d.year <= last_year:
            out[d] = DayOverride.holiday(names.get(english, english))
    for d, english in cc.workdays.items():
        if first_year <= d.year <= last_year:
            out[d] = DayOverride.adjusted_workday(names.get(english, english), segs)
    return out


def china_calendar(
    *,
    segments: Iterable[SegmentLike] = STANDARD_HOURS,
    first_year: int | None = None,
    last_year: int | None = None,
    provisional_years: Iterable[int] = (),
    tz: str | ZoneInfo = "Asia/Shanghai",
    workdays: Iterable[int] = range(5),
    extra_overrides: Mapping[date, DayOverride] | None = None,
    name: str = "China mainland",
) -> WorkCalendar:
    """A Monday-Friday calendar with China's statutory holidays and 调休 days.

    Years outside the package's data must be listed in ``provisional_years``
    (they then only have weekends until the notice is published and the
    data is updated); otherwise :class:`CalendarError` is raised rather than
    silently treating, say, Spring Festival 2027 as a normal week.
    ``extra_overrides`` (e.g. a provincial holiday or a customer's own
    closure) are applied last and win.
    """
    data_first, data_last = china_data_years()
    first = data_first if first_year is None else first_year
    last = data_last if last_year is None else last_year
    provisional = frozenset(provisional_years)
    missing = [y for y in range(first, last + 1) if not data_first <= y <= data_last]
    unflagged = [y for y in missing if y not in provisional]
    if unflagged:
        raise CalendarError(
            f"no official holiday data for {unflagged[0]} (chinesecalendar covers "
            f"{data_first}..{data_last}); list such years in provisional_years to use "
            f"weekends only until the State Council notice is published"
        )
    day_segments = parse_segments(segments)
    weekly = {wd: day_segments for wd in workdays}
    overrides = china_overrides(first, last)
    overrides.update(extra_overrides or {})
    return WorkCalendar(
        tz=tz,
        weekly=weekly,
        first_year=first,
        last_year=last,
        overrides=overrides,
        provisional_years=provisional,
        workday_template=day_segments,
        name=name,
    )
