"""Scenario tests in contract terms (CAL-01, CAL-02, SLA-01, SLA-02).

All times are Beijing time.  Holiday data: ``_data.py`` (official 2025/2026
arrangements, entered by hand).
"""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from weibao.calendars.worktime import (
    CalendarError,
    DayKind,
    DayOverride,
    Unit,
    WorkCalendar,
    seven_by_twenty_four,
)

from ._data import HOURS_WITH_LUNCH, MID_AUTUMN, NATIONAL_DAY, SHANGHAI, at, cn_calendar

WH = Unit.WORKING_HOURS
WD = Unit.WORKING_DAYS

# --------------------------------------------------------------------------
# CAL-01: the calendar knows National Day 2025 and its 调休 days
# --------------------------------------------------------------------------


def test_cal01_national_day_2025_working_days() -> None:
    cal = cn_calendar()
    expected = {
        date(2025, 9, 26): True,  # Fri
        date(2025, 9, 27): False,  # Sat
        date(2025, 9, 28): True,  # Sun, adjusted workday
        date(2025, 9, 30): True,
        **{date(2025, 10, d): False for d in range(1, 9)},  # Oct 1-8 holiday
        date(2025, 10, 9): True,
        date(2025, 10, 10): True,
        date(2025, 10, 11): True,  # Sat, adjusted workday
        date(2025, 10, 12): False,  # Sun
    }
    assert {d: cal.is_working_day(d) for d in expected} == expected
    note = cal.day_note(date(2025, 10, 11))
    assert note.kind is DayKind.ADJUSTED_WORKDAY and note.working and "调休" in note.reason
    assert cal.day_note(date(2025, 10, 3)).reason == f"holiday: {NATIONAL_DAY}"
    assert cal.day_note(date(2025, 10, 12)).reason == "rest day (weekly schedule)"
    # an adjusted Sunday works the normal weekday hours
    segments = cal.working_segments(date(2025, 9, 28))
    assert segments == ((at(2025, 9, 28, 8, 30), at(2025, 9, 28, 17, 30)),)


# --------------------------------------------------------------------------
# SLA-01: urban 2 working hours / suburban 3 working hours
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "hours", "due"),
    [
        # before National Day: Friday afternoon runs into the adjusted Sunday
        (at(2025, 9, 26, 16, 0), 2, at(2025, 9, 28, 9, 0)),
        (at(2025, 9, 26, 16, 0), 3, at(2025, 9, 28, 10, 0)),
        # the last afternoon before the holiday: the clock stops Oct 1-8
        (at(2025, 9, 30, 16, 45), 2, at(2025, 10, 9, 9, 45)),
        (at(2025, 9, 30, 16, 45), 3, at(2025, 10, 9, 10, 45)),
        # reported during the holiday: the clock starts Oct 9 08:30
        (at(2025, 10, 3, 10, 0), 2, at(2025, 10, 9, 10, 30)),
        (at(2025, 10, 3, 10, 0), 3, at(2025, 10, 9, 11, 30)),
        # across the adjusted Saturday Oct 11
        (at(2025, 10, 10, 17, 0), 2, at(2025, 10, 11, 10, 0)),
        (at(2025, 10, 10, 17, 0), 3, at(2025, 10, 11, 11, 0)),
        # from the adjusted Saturday over the ordinary Sunday
        (at(2025, 10, 11, 16, 30), 2, at(2025, 10, 13, 9, 30)),
        (at(2025, 10, 11, 16, 30), 3, at(2025, 10, 13, 10, 30)),
    ],
)
def test_sla01_urban_and_suburban_response_around_national_day(
    reported: datetime, hours: int, due: datetime
) -> None:
    cal = cn_calendar()
    r = cal.add(reported, hours, WH)
    assert r.value == due
    assert r.provisional is False
    assert cal.elapsed(reported, due, WH).value == hours


def test_sla01_explanation_lists_the_skipped_holiday() -> None:
    cal = cn_calendar()
    r = cal.add(at(2025, 9, 30, 16, 45), 2, WH, explain=True)
    skipped = [n.day for n in r.explanation if not n.working]
    assert skipped == [date(2025, 10, d) for d in range(1, 9)]
    assert [n.name for n in r.explanation] == [NATIONAL_DAY] * 5 + [MID_AUTUMN] + [NATIONAL_DAY] * 2
    assert r.explanation[5].reason == f"holiday: {MID_AUTUMN}"
    assert cal.add(at(2025, 9, 30, 16, 45), 2, WH).explanation == ()  # off by default


def test_sla01_explanation_lists_weekends_and_adjusted_days() -> None:
    cal = cn_calendar()
    r = cal.add(at(2025, 10, 10, 17, 0), 10, WH, explain=True)  # Fri -> adj. Sat -> Mon
    assert r.value == at(2025, 10, 13, 9, 0)
    assert [(n.day, n.kind, n.working, n.reason) for n in r.explanation] == [
        (
            date(2025, 10, 11),
            DayKind.ADJUSTED_WORKDAY,
            True,
            f"adjusted workday (调休): {NATIONAL_DAY}",
        ),
        (date(2025, 10, 12), DayKind.REGULAR, False, "rest day (weekly schedule)"),
    ]
    e = cal.elapsed(at(2025, 10, 17, 9, 0), at(2025, 10, 20, 9, 0), WH, explain=True)
    assert e.value == 9  # 8.5 h on Friday, 0.5 h on Monday
    assert [n.day for n in e.explanation] == [date(2025, 10, 18), date(2025, 10, 19)]


def test_sla01_boundary_lands_on_segment_end_not_next_morning() -> None:
    """Using up the segment exactly ends at 17:30 the same day (convention)."""
    cal = cn_calendar()
    assert cal.add(at(2025, 9, 30, 15, 30), 2, WH).value == at(2025, 9, 30, 17, 30)
    one_more = cal.add(at(2025, 9, 30, 15, 30), Fraction(7201, 3600), WH).value
    assert one_more == at(2025, 10, 9, 8, 30, 1)
    # the same at the lunch break: 12:00, not 13:00
    lunch = cn_calendar(HOURS_WITH_LUNCH)
    assert lunch.add(at(2025, 10, 9, 11, 0), 1, WH).value == at(2025, 10, 9, 12, 0)
    assert lunch.add(at(2025, 10, 9, 11, 0), 2, WH).value == at(2025, 10, 9, 14, 0)
    # zero is zero: the start itself, even outside working time
    assert cal.add(at(2025, 10, 1, 3, 0), 0, WH).value == at(2025, 10, 1, 3, 0)


def test_sla01_lunch_break_is_not_working_time() -> None:
    cal = cn_calendar(HOURS_WITH_LUNCH)
    assert cal.add(at(2025, 9, 30, 11, 30), 2, WH).value == at(2025, 9, 30, 14, 30)
    assert cal.elapsed(at(2025, 9, 30, 8, 30), at(2025, 9, 30, 17, 30), WH).value == Fraction(8)
    # reported during lunch: the clock starts at 13:00
    assert cal.add(at(2025, 9, 30, 12, 20), 1, WH).value == at(2025, 9, 30, 14, 0)


# --------------------------------------------------------------------------
# SLA-02: the working window's edges
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hms", "working"),
    [
        ((8, 29, 59), False),
        ((8, 30, 0), True),
        ((17, 29, 59), True),
        ((17, 30, 0), False),
        ((17, 30, 1), False),
    ],
)
def test_sla02_window_edges(hms: tuple[int, int, int], working: bool) -> None:
    cal = cn_calendar()
    assert cal.is_working_time(at(2025, 9, 30, *hms)) is working
    assert cal.is_working_time(at(2025, 10, 2, *hms)) is False  # holiday
    assert cal.is_working_time(at(2025, 10, 11, *hms)) is working  # adjusted Saturday


def test_sla02_lunch_edges_and_next_working_time() -> None:
    cal = cn_calendar(HOURS_WITH_LUNCH)
    assert cal.is_working_time(at(2025, 9, 30, 11, 59, 59))
    assert not cal.is_working_time(at(2025, 9, 30, 12, 0))
    assert not cal.is_working_time(at(2025, 9, 30, 12, 59, 59))
    assert cal.is_working_time(at(2025, 9, 30, 13, 0))
    assert cal.next_working_time(at(2025, 9, 30, 12, 30)) == at(2025, 9, 30, 13, 0)
    assert cal.next_working_time(at(2025, 9, 30, 17, 30)) == at(2025, 10, 9, 8, 30)
    assert cal.next_working_time(at(2025, 9, 30, 9, 0)) == at(2025, 9, 30, 9, 0)


# --------------------------------------------------------------------------
# CAL-02: working days (Civil Code art. 201/203) across Spring Festival 2026
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "due"),
    [
        # Fri Feb 13: day 1 = adjusted Sat Feb 14, day 2 = Tue Feb 24, day 3 = Wed Feb 25
        (at(2026, 2, 13, 10, 0), at(2026, 2, 25, 17, 30)),
        # Thu Feb 12 at 07:00 (before office hours; the event day never counts)
        (at(2026, 2, 12, 7, 0), at(2026, 2, 24, 17, 30)),
        # during the holiday: Feb 24, 25, 26
        (at(2026, 2, 17, 10, 0), at(2026, 2, 26, 17, 30)),
        # Fri Feb 27 evening: adjusted Sat Feb 28, Mon Mar 2, Tue Mar 3
        (at(2026, 2, 27, 20, 0), at(2026, 3, 3, 17, 30)),
    ],
)
def test_cal02_within_3_working_days_across_spring_festival_2026(
    event: datetime, due: datetime
) -> None:
    cal = cn_calendar()
    r = cal.add(event, 3, WD, explain=True)
    assert r.value == due
    assert cal.elapsed(event, due, WD).value == 3
    assert cal.elapsed(event, due - timedelta(seconds=1), WD).value < 3
    assert all(n.day >= event.date() for n in r.explanation)


def test_cal02_working_day_fractions() -> None:
    cal = cn_calendar()
    event = at(2026, 2, 13, 10, 0)
    # same day: nothing counted yet
    assert cal.elapsed(event, at(2026, 2, 13, 17, 30), WD).value == 0
    # Feb 14 counted fully, Feb 24 half-way through its 9 hours
    assert cal.elapsed(event, at(2026, 2, 24, 13, 0), WD).value == Fraction(3, 2)
    assert cal.add(event, Fraction(3, 2), WD).value == at(2026, 2, 24, 13, 0)
    # lunch break: a day is 8 working hours
    lunch = cn_calendar(HOURS_WITH_LUNCH)
    assert lunch.add(event, Decimal("1.5"), WD).value == at(2026, 2, 24, 13, 30)
    # 7/16 of 8 hours = 3.5 hours: lands on the end of the morning segment
    assert lunch.add(event, 1 + Fraction(7, 16), WD).value == at(2026, 2, 24, 12, 0)


def test_cal02_calendar_days_and_months_follow_art_203() -> None:
    cal = cn_calendar()
    # 5 days from Sep 30: nominal last day Oct 5 is a holiday -> Oct 9, until 24:00
    assert cal.add(at(2025, 9, 30, 16, 0), 5, Unit.CALENDAR_DAYS).value == at(2025, 10, 10)
    # 1 day from Thu Oct 9: Fri Oct 10 ends at 24:00
    r = cal.add(at(2025, 10, 9, 9, 0), 1, Unit.CALENDAR_DAYS)
    assert r.value == at(2025, 10, 11)
    assert cal.elapsed(at(2025, 10, 9, 9, 0), r.value, Unit.CALENDAR_DAYS).value == 1
    # one month from Jan 31 2026: Feb 28 (clamped) is an adjusted Saturday: it counts
    assert cal.add(at(2026, 1, 31, 9, 0), 1, Unit.MONTHS).value == at(2026, 3, 1)
    # one month from Aug 31 2025: clamped to Tue Sep 30, ends at 24:00
    assert cal.add(at(2025, 8, 31, 9, 0), 1, Unit.MONTHS).value == at(2025, 10, 1)
    # from Dec 31 2025: Jan 31 2026 is a Saturday -> Mon Feb 2 2026
    assert cal.add(at(2025, 12, 31, 9, 0), 1, Unit.MONTHS).value == at(2026, 2, 3)
    # half-way through the second month of a 2-month period
    start = at(2025, 3, 10, 9, 0)
    # month 3 runs from May 10 24:00 to Jun 10 24:00 (31 days); half-way is May 26 12:00
    assert cal.elapsed(start, at(2025, 5, 26, 12, 0), Unit.MONTHS).value == Fraction(5, 2)
    assert cal.elapsed(start, at(2025, 3, 10, 23, 0), Unit.MONTHS).value == 0


# --------------------------------------------------------------------------
# 7×24 and half days
# --------------------------------------------------------------------------


def test_seven_by_twenty_four_ignores_holidays() -> None:
    cal = seven_by_twenty_four(first_year=2025, last_year=2026)
    assert cal.add(at(2025, 9, 30, 16, 45), 2, WH).value == at(2025, 9, 30, 18, 45)
    assert cal.add(at(2025, 10, 1, 23, 0), 2, WH).value == at(2025, 10, 2, 1, 0)
    assert cal.elapsed(at(2025, 10, 1), at(2025, 10, 8), WH).value == 7 * 24
    assert cal.is_working_time(at(2025, 10, 1, 3, 0))
    # 1 working day after an event on Oct 1 ends at 24:00 on Oct 2
    assert cal.add(at(2025, 10, 1, 10, 0), 1, WD).value == at(2025, 10, 3)
    # 24:00 is one instant: the last working second of a day lands on midnight
    assert cal.add(at(2025, 10, 1, 23, 0), 1, WH).value == at(2025, 10, 2)


def test_half_day_uses_its_own_segments() -> None:
    half = {date(2025, 12, 31): DayOverride.half_day(["08:30-12:00"], "New Year's Eve")}
    cal = cn_calendar(extra=half)
    # 1 h until 12:00, Jan 1-3 off, then the adjusted Sunday Jan 4
    assert cal.add(at(2025, 12, 31, 11, 0), 2, WH).value == at(2026, 1, 4, 9, 30)
    assert cal.close_of_business(date(2025, 12, 31)) == at(2025, 12, 31, 12, 0)
    assert not cal.is_working_time(at(2025, 12, 31, 13, 0))
    # as a working day it counts for one whole day of 3.5 hours
    assert cal.elapsed(at(2025, 12, 30, 9, 0), at(2025, 12, 31, 10, 15), WD).value == Fraction(1, 2)


# --------------------------------------------------------------------------
# provisional years, range, inputs
# --------------------------------------------------------------------------


def test_provisional_flag_only_when_a_provisional_day_is_consulted() -> None:
    cal = cn_calendar(last_year=2027, provisional_years=[2027])
    inside = cal.add(at(2026, 12, 30, 16, 0), 2, WH)
    assert inside.value == at(2026, 12, 31, 9, 0) and inside.provisional is False
    across = cal.add(at(2026, 12, 31, 16, 0), 2, WH)
    assert across.value == at(2027, 1, 1, 9, 0) and across.provisional is True
    # landing exactly at 24:00 on Dec 31 consults nothing of 2027
    seven = seven_by_twenty_four(first_year=2026, last_year=2027)
    assert seven.add(at(2026, 12, 31, 23, 0), 1, WH).provisional is False
    assert cal.elapsed(at(2026, 12, 1), at(2027, 1, 4), WH).provisional is True
    assert cal.elapsed(at(2026, 12, 1), at(2026, 12, 4), WH).provisional is False
    assert cal.is_provisional_between(date(2026, 12, 31), date(2027, 1, 1))


def test_out_of_range_is_an_error_not_a_guess() -> None:
    cal = cn_calendar()
    with pytest.raises(CalendarError, match="no calendar data for 2027"):
        cal.add(at(2026, 12, 31, 17, 0), 2, WH)
    with pytest.raises(CalendarError, match="no calendar data for 2027"):
        cal.add(at(2027, 1, 4, 9, 0), 2, WH)
    with pytest.raises(CalendarError, match="no calendar data for 2024"):
        cal.elapsed(at(2024, 12, 31, 9, 0), at(2025, 1, 2, 9, 0), WH)
    with pytest.raises(CalendarError, match="no calendar data for 2027"):
        cal.add(at(2026, 12, 28, 9, 0), 5, WD)
    with pytest.raises(CalendarError, match="no calendar data for 2027"):
        cal.is_working_day(date(2027, 1, 4))


def test_naive_datetime_is_rejected() -> None:
    cal = cn_calendar()
    with pytest.raises(CalendarError, match="naive datetime"):
        cal.add(datetime(2025, 9, 30, 9, 0), 2, WH)
    with pytest.raises(CalendarError, match="naive datetime"):
        cal.elapsed(at(2025, 9, 30, 9, 0), datetime(2025, 9, 30, 10, 0), WH)
    with pytest.raises(CalendarError, match="naive datetime"):
        cal.is_working_time(datetime(2025, 9, 30, 9, 0))
    with pytest.raises(CalendarError, match="timezone-aware datetime"):
        cal.add(date(2025, 9, 30), 2, WH)  # type: ignore[arg-type]


def test_other_time_zones_in_result_in_calendar_zone() -> None:
    cal = cn_calendar()
    utc_start = datetime(2025, 9, 30, 8, 45, tzinfo=UTC)  # 16:45 Beijing
    r = cal.add(utc_start, 2, WH)
    assert r.value == at(2025, 10, 9, 9, 45)
    assert r.value.tzinfo is SHANGHAI
    assert r.value.isoformat() == "2025-10-09T09:45:00+08:00"


@pytest.mark.parametrize("amount", [Fraction(1, 2), Decimal("0.5"), 0.5])
def test_amount_types_are_exact(amount: Fraction | Decimal | float) -> None:
    cal = cn_calendar()
    assert cal.add(at(2025, 9, 30, 17, 0), amount, WH).value == at(2025, 9, 30, 17, 30)
    assert cal.add(at(2025, 9, 30, 17, 0), 0.1, WH).value == at(2025, 9, 30, 17, 6)
    tiny = cal.add(at(2025, 9, 30, 17, 0), Fraction(1, 3600 * 10**6 * 3), WH).value
    assert tiny == at(2025, 9, 30, 17, 0) + timedelta(microseconds=1)  # rounded up


def test_plain_hours_ignore_the_calendar() -> None:
    cal = cn_calendar()
    start = at(2025, 9, 30, 16, 45)
    assert cal.add(start, 2, Unit.HOURS).value == at(2025, 9, 30, 18, 45)
    assert cal.add(start, 90, Unit.MINUTES).value == at(2025, 9, 30, 18, 15)
    assert cal.elapsed(start, at(2025, 10, 1, 16, 45), Unit.HOURS).value == 24
    assert cal.elapsed(start, at(2025, 10, 1, 16, 45), WH).value == Fraction(3, 4)


def test_elapsed_microseconds_are_exact() -> None:
    cal = cn_calendar()
    s = at(2025, 9, 30, 9, 0) + timedelta(microseconds=1)
    e = at(2025, 9, 30, 9, 0, 1)
    assert cal.elapsed(s, e, Unit.WORKING_MINUTES).value == Fraction(999_999, 60_000_000)


def test_calendar_is_immutable_and_picklable() -> None:
    cal = cn_calendar(HOURS_WITH_LUNCH, last_year=2027, provisional_years=[2027])
    with pytest.raises(AttributeError):
        cal.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cal.overrides[date(2025, 1, 6)] = DayOverride.holiday()  # type: ignore[index]
    clone = pickle.loads(pickle.dumps(cal))  # noqa: S301 - our own bytes
    start = at(2025, 9, 30, 11, 0)
    assert clone.add(start, 5, WH) == cal.add(start, 5, WH)
    assert clone.provisional_years == {2027}


def test_daylight_saving_time_is_real_elapsed_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    seven = seven_by_twenty_four(first_year=2030, last_year=2030, tz="Europe/Berlin")
    spring, autumn = datetime(2030, 3, 31, tzinfo=berlin), datetime(2030, 10, 27, tzinfo=berlin)
    assert seven.elapsed(spring, spring + timedelta(days=1), WH).value == 23
    assert seven.elapsed(autumn, autumn + timedelta(days=1), WH).value == 25
    assert seven.add(spring, 3, WH).value == datetime(2030, 3, 31, 4, 0, tzinfo=berlin)
    # a segment starting inside the spring-forward gap starts when the gap ends
    cal = WorkCalendar(
        tz=berlin, weekly={6: ["02:00-03:30"]}, first_year=2030, last_year=2030, name="gap"
    )
    assert cal.working_segments(date(2030, 3, 31)) == (
        (datetime(2030, 3, 31, 3, 0, tzinfo=berlin), datetime(2030, 3, 31, 3, 30, tzinfo=berlin)),
    )
    assert cal.elapsed(spring, spring + timedelta(days=1), Unit.WORKING_MINUTES).value == 30
    # ordinary office hours on the change day keep their length
    office = WorkCalendar(tz=berlin, weekly={6: HOURS_WITH_LUNCH}, first_year=2030, last_year=2030)
    assert office.elapsed(spring, spring + timedelta(days=1), WH).value == 8
    # output keeps the right UTC offset on either side of the change
    r = seven.add(datetime(2030, 3, 31, 1, 30, tzinfo=berlin), 1, WH).value
    assert r.utcoffset() == timedelta(hours=2) and (r.hour, r.minute) == (3, 30)
