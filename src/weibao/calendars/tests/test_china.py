"""CAL-01: the mainland China calendar built from the ``chinesecalendar`` package."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from weibao.calendars.worktime import CalendarError, DayKind, DayOverride, Unit

from ._data import HOURS_WITH_LUNCH, at, official_overrides

cc = pytest.importorskip("chinese_calendar")

from weibao.calendars.china import (  # noqa: E402 - only once the package is known to exist
    china_calendar,
    china_data_years,
    china_overrides,
)


def test_cal01_package_agrees_with_the_hand_entered_official_days() -> None:
    generated = china_overrides(2025, 2026)
    for d, ov in official_overrides().items():
        assert generated[d].kind is ov.kind, d
        assert generated[d].name == ov.name, d
    # e.g. Mid-autumn falls inside the 2025 National Day week
    assert generated[date(2025, 10, 6)].name == "中秋 Mid-autumn Festival"


def test_cal01_every_day_matches_the_package() -> None:
    first, last = china_data_years()
    assert first == 2004 and last >= 2026
    cal = china_calendar()
    d = date(first, 1, 1)
    while d.year <= last:
        assert cal.is_working_day(d) == cc.is_workday(d), d
        d += timedelta(days=1)


def test_cal01_years_without_data_must_be_marked_provisional() -> None:
    _, last = china_data_years()
    with pytest.raises(CalendarError, match=f"no official holiday data for {last + 1}"):
        china_calendar(first_year=last, last_year=last + 1)
    cal = china_calendar(first_year=last, last_year=last + 1, provisional_years=[last + 1])
    r = cal.add(at(last, 12, 31, 17, 0), 1, Unit.WORKING_HOURS)
    assert r.provisional is True


def test_cal01_china_calendar_with_lunch_break_and_extra_days() -> None:
    closure = {date(2025, 9, 30): DayOverride.holiday("客户停业 customer closure")}
    cal = china_calendar(
        segments=HOURS_WITH_LUNCH, first_year=2025, last_year=2026, extra_overrides=closure
    )
    # adjusted Saturday Oct 11 works the lunch-break hours
    assert cal.close_of_business(date(2025, 10, 11)) == at(2025, 10, 11, 17, 30)
    assert not cal.is_working_time(at(2025, 10, 11, 12, 30))
    # the customer's own closure on Sep 30 wins over the package
    assert cal.day_note(date(2025, 9, 30)).kind is DayKind.HOLIDAY
    assert cal.add(at(2025, 9, 29, 17, 0), 1, Unit.WORKING_HOURS).value == at(2025, 10, 9, 9, 0)
