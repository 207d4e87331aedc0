"""Hand-entered official holiday data for the scenario tests.

From the State Council General Office notices on the 2025 and 2026 public
holiday arrangements, entered independently of ``chinesecalendar`` so the
scenarios do not depend on that package (``test_china.py`` cross-checks
both).  Only the periods the scenarios use are listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from weibao.calendars.worktime import DayOverride, SegmentLike, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = ("08:30-17:30",)
HOURS_WITH_LUNCH = ("08:30-12:00", "13:00-17:30")

NATIONAL_DAY = "国庆节 National Day"
MID_AUTUMN = "中秋 Mid-autumn Festival"
SPRING_FESTIVAL = "春节 Spring Festival"
NEW_YEAR = "元旦 New Year's Day"


def _days(first: date, last: date) -> Iterable[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def official_overrides() -> dict[date, DayOverride]:
    ov: dict[date, DayOverride] = {}
    # 2025 National Day + Mid-autumn: Oct 1-8 off; Sun Sep 28 and Sat Oct 11 worked
    for d in _days(date(2025, 10, 1), date(2025, 10, 8)):
        ov[d] = DayOverride.holiday(MID_AUTUMN if d.day == 6 else NATIONAL_DAY)
    ov[date(2025, 9, 28)] = DayOverride.adjusted_workday(NATIONAL_DAY)
    ov[date(2025, 10, 11)] = DayOverride.adjusted_workday(NATIONAL_DAY)
    # 2026 New Year: Jan 1-3 off; Sun Jan 4 worked
    for d in _days(date(2026, 1, 1), date(2026, 1, 3)):
        ov[d] = DayOverride.holiday(NEW_YEAR)
    ov[date(2026, 1, 4)] = DayOverride.adjusted_workday(NEW_YEAR)
    # 2026 Spring Festival: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 worked
    for d in _days(date(2026, 2, 15), date(2026, 2, 23)):
        ov[d] = DayOverride.holiday(SPRING_FESTIVAL)
    ov[date(2026, 2, 14)] = DayOverride.adjusted_workday(SPRING_FESTIVAL)
    ov[date(2026, 2, 28)] = DayOverride.adjusted_workday(SPRING_FESTIVAL)
    return ov


def cn_calendar(
    segments: Iterable[SegmentLike] = HOURS,
    *,
    last_year: int = 2026,
    provisional_years: Iterable[int] = (),
    extra: dict[date, DayOverride] | None = None,
) -> WorkCalendar:
    """Mon-Fri calendar 2025..last_year with the official days above."""
    segs = tuple(segments)
    return WorkCalendar(
        tz="Asia/Shanghai",
        weekly=dict.fromkeys(range(5), segs),
        first_year=2025,
        last_year=last_year,
        overrides=official_overrides() | (extra or {}),
        provisional_years=provisional_years,
        name="test CN",
    )


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """Beijing time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=SHANGHAI)
