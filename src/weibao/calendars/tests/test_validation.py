"""CAL-01: invalid calendar data and invalid inputs raise a clear CalendarError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from weibao.calendars.worktime import (
    CalendarError,
    DayKind,
    DayOverride,
    Segment,
    Unit,
    WorkCalendar,
    parse_segments,
)

from ._data import at, cn_calendar


def build(**changes: Any) -> WorkCalendar:
    kwargs: dict[str, Any] = {
        "tz": "Asia/Shanghai",
        "weekly": dict.fromkeys(range(5), ("08:30-17:30",)),
        "first_year": 2025,
        "last_year": 2026,
    }
    kwargs.update(changes)
    return WorkCalendar(**kwargs)


def test_calendar_error_is_a_value_error() -> None:
    assert issubclass(CalendarError, ValueError)


def test_overlapping_segments_are_rejected() -> None:
    with pytest.raises(CalendarError, match="overlapping segments 08:30-12:30 and 12:00-17:30"):
        build(weekly={0: ["12:00-17:30", "08:30-12:30"]})
    with pytest.raises(CalendarError, match="overlapping"):
        DayOverride.half_day(["08:30-12:00", "09:00-10:00"])


def test_unsorted_and_touching_segments_are_fine() -> None:
    assert parse_segments(["13:00-17:30", "08:30-12:00"]) == (
        Segment(8 * 3600 + 1800, 12 * 3600),
        Segment(13 * 3600, 17 * 3600 + 1800),
    )
    cal = build(weekly={0: ["12:00-17:30", "08:30-12:00"]})
    assert cal.add(at(2025, 9, 29, 11, 0), 2, Unit.WORKING_HOURS).value == at(2025, 9, 29, 13, 0)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("09:00-09:00", "empty or reversed"),
        ("17:30-08:30", "empty or reversed"),
        ("08:30", "must look like"),
        ("8h-9h", "expected 'HH:MM'"),
        ("08:61-09:00", "invalid time"),
        ("24:00-24:00", "start out of range"),
        ("23:00-24:30", "invalid time"),
        ((time(9), time(9, 0, 0, 5)), "whole seconds"),
        ((0, 86_401), "end out of range"),
    ],
)
def test_bad_segments(spec: Any, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        Segment.of(spec)


def test_segment_forms() -> None:
    assert Segment.of("22:00-24:00") == Segment(79_200, 86_400)
    assert Segment.of((time(8, 30), "12:00")) == Segment(30_600, 43_200)
    assert str(Segment(30_600, 86_400)) == "08:30-24:00"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: build(tz="Mars/Olympus"), "unknown time zone"),
        (lambda: build(first_year=2027, last_year=2026), "invalid covered range"),
        (lambda: build(first_year=1600, last_year=2026), "longer than"),
        (lambda: build(weekly={7: ["08:30-17:30"]}), "weekday 0..6"),
        (
            lambda: build(overrides={date(2027, 1, 1): DayOverride.holiday("New Year")}),
            "override 2027-01-01 outside covered range 2025..2026",
        ),
        (
            lambda: build(overrides={datetime(2025, 1, 1): DayOverride.holiday()}),
            "must be dates",
        ),
        (lambda: build(overrides={date(2025, 1, 1): "holiday"}), "must be a DayOverride"),
        (lambda: build(provisional_years=[2030]), "provisional year 2030 outside"),
        (lambda: build(workday_template=9), "workday_template"),
        (
            lambda: build(
                weekly={5: ["09:00-12:00"]},
                overrides={date(2025, 9, 28): DayOverride.adjusted_workday("National Day")},
            ),
            "workday template, which is empty",
        ),
        (lambda: DayOverride(DayKind.REGULAR), "non-REGULAR"),
        (lambda: DayOverride(DayKind.HOLIDAY, "x", (Segment(0, 60),)), "cannot have working"),
        (lambda: DayOverride(DayKind.HALF_DAY, "x"), "needs its"),
        (lambda: DayOverride(DayKind.CUSTOM, "x"), "explicit segments"),
    ],
)
def test_invalid_calendar_data(make: Callable[[], object], message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        make()


def test_explicit_adjusted_segments_and_template() -> None:
    cal = build(
        workday_template=["09:00-12:00"],
        overrides={
            date(2025, 9, 27): DayOverride.adjusted_workday("A"),
            date(2025, 9, 28): DayOverride.adjusted_workday("B", ["10:00-11:00"]),
        },
    )
    assert cal.close_of_business(date(2025, 9, 27)) == at(2025, 9, 27, 12, 0)
    assert cal.close_of_business(date(2025, 9, 28)) == at(2025, 9, 28, 11, 0)
    with pytest.raises(CalendarError, match="not a working day"):
        cal.close_of_business(date(2025, 10, 4))


@pytest.mark.parametrize(
    ("unit", "amount", "message"),
    [
        (Unit.WORKING_HOURS, -1, "negative amount"),
        (Unit.WORKING_DAYS, Fraction(-1, 2), "negative amount"),
        (Unit.HOURS, -0.5, "negative amount"),
        (Unit.WORKING_HOURS, True, "not a bool"),
        (Unit.WORKING_HOURS, Decimal("NaN"), "finite"),
        (Unit.WORKING_HOURS, float("inf"), "finite"),
        (Unit.WORKING_HOURS, "2", "unsupported amount type"),
        (Unit.CALENDAR_DAYS, Fraction(3, 2), "whole number"),
        (Unit.MONTHS, 0.5, "whole number"),
    ],
)
def test_invalid_amounts(unit: Unit, amount: Any, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        cn_calendar().add(at(2025, 9, 30, 9, 0), amount, unit)


def test_end_before_start_is_rejected() -> None:
    with pytest.raises(CalendarError, match="precedes start"):
        cn_calendar().elapsed(at(2025, 9, 30, 10), at(2025, 9, 30, 9), Unit.WORKING_HOURS)


def test_zero_amounts_return_the_start() -> None:
    cal = cn_calendar()
    start = at(2025, 10, 4, 3, 0)
    for unit in Unit:
        assert cal.add(start, 0, unit).value == start
        assert cal.elapsed(start, start, unit).value == 0
