"""CAL-03: contract deadline rules (weekly report, monthly report, N working days)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from weibao.calendars.deadlines import (
    AfterEvent,
    DayOfMonth,
    WeekdayOfFollowingWeek,
    close_on_or_after,
    due_day_of_following_month,
    due_day_of_month,
    due_weekday_of_following_week,
    due_working_days_after,
    due_working_hours_after,
)
from weibao.calendars.worktime import CalendarError, DayOverride, Unit

from ._data import HOURS_WITH_LUNCH, at, cn_calendar

TUESDAY = 1


def test_cal03_weekly_report_due_tuesday_of_next_week() -> None:
    """周报: the report for Sep 22-28 2025 is due Tue Sep 30 at close of business."""
    cal = cn_calendar()
    for day in range(22, 29):  # any day of the reported week, Sunday included
        r = due_weekday_of_following_week(cal, date(2025, 9, day), TUESDAY)
        assert r.value == at(2025, 9, 30, 17, 30)
        assert r.explanation == ()


def test_cal03_weekly_report_tuesday_in_holiday_moves_to_following_working_day() -> None:
    """Week Sep 29-Oct 5: Tue Oct 7 is National Day -> Thu Oct 9 17:30."""
    cal = cn_calendar()
    r = due_weekday_of_following_week(cal, date(2025, 10, 1), TUESDAY, explain=True)
    assert r.value == at(2025, 10, 9, 17, 30)
    assert [n.day for n in r.explanation] == [date(2025, 10, 7), date(2025, 10, 8)]
    assert WeekdayOfFollowingWeek(TUESDAY).due(cal, date(2025, 10, 1)) == r._replace(explanation=())
    # a datetime anchor is read in the calendar's zone (Sunday 23:30 Beijing)
    late_sunday = datetime.fromisoformat("2025-10-05T15:30:00+00:00")
    assert due_weekday_of_following_week(cal, late_sunday, TUESDAY).value == r.value
    # Monday of the following week, for a report covering Oct 6-12 -> Mon Oct 13
    assert due_weekday_of_following_week(cal, date(2025, 10, 6), 0).value == at(
        2025, 10, 13, 17, 30
    )


def test_cal03_monthly_report_by_the_5th_and_21st() -> None:
    cal = cn_calendar()
    # 每月5日前 for September: Oct 5 is National Day -> Oct 9
    sep = due_day_of_following_month(cal, date(2025, 9, 15), 5)
    assert sep.value == at(2025, 10, 9, 17, 30)
    assert DayOfMonth(5).due(cal, date(2025, 9, 1)) == sep
    # 每月21日前 in the same month
    assert DayOfMonth(21, months_after=0).due(cal, date(2025, 10, 3)).value == at(
        2025, 10, 21, 17, 30
    )
    assert due_day_of_month(cal, 2025, 10, 21).value == at(2025, 10, 21, 17, 30)
    # 21 Sep 2025 is a Sunday -> Monday 22
    assert due_day_of_month(cal, 2025, 9, 21).value == at(2025, 9, 22, 17, 30)


def test_cal03_day_31_is_clamped_and_adjusted_workdays_count() -> None:
    cal = cn_calendar()
    # Feb 2026 has 28 days; Sat Feb 28 is an adjusted workday, so it stands
    assert due_day_of_month(cal, 2026, 2, 31).value == at(2026, 2, 28, 17, 30)
    # Nov 2025 has 30 days; Sun Nov 30 -> Mon Dec 1
    assert due_day_of_month(cal, 2025, 11, 31).value == at(2025, 12, 1, 17, 30)


def test_cal03_close_of_business_uses_the_days_own_hours() -> None:
    half = {date(2025, 12, 31): DayOverride.half_day(["08:30-12:00"], "New Year's Eve")}
    cal = cn_calendar(HOURS_WITH_LUNCH, extra=half)
    assert close_on_or_after(cal, date(2025, 12, 31)).value == at(2025, 12, 31, 12, 0)
    assert close_on_or_after(cal, date(2025, 12, 30)).value == at(2025, 12, 30, 17, 30)
    # Jan 1-3 2026 off, Sun Jan 4 adjusted workday
    assert close_on_or_after(cal, date(2026, 1, 1)).value == at(2026, 1, 4, 17, 30)


def test_cal03_n_working_days_after_an_event() -> None:
    cal = cn_calendar()
    event = at(2025, 9, 30, 16, 0)
    due = due_working_days_after(cal, event, 3)
    assert due.value == at(2025, 10, 11, 17, 30)  # Oct 9, Oct 10, adjusted Sat Oct 11
    assert due == cal.add(event, 3, Unit.WORKING_DAYS)
    assert AfterEvent(3, Unit.WORKING_DAYS).due(cal, event) == due
    assert due_working_hours_after(cal, event, 2).value == at(2025, 10, 9, 9, 0)
    with pytest.raises(CalendarError, match="aware datetime"):
        AfterEvent(2, Unit.WORKING_HOURS).due(cal, date(2025, 9, 30))  # type: ignore[arg-type]


def test_cal03_deadline_in_a_provisional_year_is_flagged() -> None:
    cal = cn_calendar(last_year=2027, provisional_years=[2027])
    assert due_day_of_following_month(cal, date(2026, 12, 1), 5).provisional is True
    assert due_day_of_following_month(cal, date(2026, 11, 1), 5).provisional is False
    # the report week is in 2026, the due Tuesday in 2027
    assert due_weekday_of_following_week(cal, date(2026, 12, 30), TUESDAY).provisional is True


def test_cal03_invalid_rules() -> None:
    cal = cn_calendar()
    with pytest.raises(CalendarError, match="weekday"):
        due_weekday_of_following_week(cal, date(2025, 9, 1), 7)
    with pytest.raises(CalendarError, match="day of month"):
        due_day_of_month(cal, 2025, 9, 0)
    with pytest.raises(CalendarError, match="month must be"):
        due_day_of_month(cal, 2025, 13, 5)
    with pytest.raises(CalendarError, match="months_after"):
        due_day_of_following_month(cal, date(2025, 9, 1), 5, months_after=-1)
    with pytest.raises(CalendarError, match="naive datetime"):
        due_weekday_of_following_week(cal, datetime(2025, 9, 1, 9), TUESDAY)
    with pytest.raises(CalendarError, match="no calendar data for 2027"):
        due_day_of_following_month(cal, date(2026, 12, 1), 5)
