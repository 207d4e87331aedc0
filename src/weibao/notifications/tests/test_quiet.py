"""Quiet hours (免打扰): overnight windows, days off by the national calendar with its 调休
working weekends, and level I faults that go out at once (SLA-10)."""

from __future__ import annotations

import datetime

import pytest

from weibao.notifications.models import Preference
from weibao.notifications.quiet import in_quiet_window, release_time
from weibao.testing.examples import at

pytestmark = pytest.mark.django_db


def _preference(start: str | None, end: str | None, days_off: bool = False) -> Preference:
    return Preference(quiet_start=datetime.time.fromisoformat(start) if start else None,
                      quiet_end=datetime.time.fromisoformat(end) if end else None,
                      quiet_non_working_days=days_off)


@pytest.mark.parametrize(("now", "released"), [
    ("2025-09-10 23:00", "2025-09-11 07:00"),   # overnight: to the next morning
    ("2025-09-10 06:00", "2025-09-10 07:00"),   # early morning: the same morning
    ("2025-09-10 12:00", "2025-09-10 12:00"),   # outside: at once
    ("2025-09-10 22:00", "2025-09-11 07:00"),   # the window starts inclusive
    ("2025-09-10 07:00", "2025-09-10 07:00"),   # and ends exclusive
])
def test_overnight_quiet_hours(now: str, released: str) -> None:
    assert release_time(_preference("22:00", "07:00"), at(now)) == at(released)


def test_daytime_window_and_no_window() -> None:
    lunch = _preference("12:00", "13:30")
    assert in_quiet_window(lunch, datetime.time(12, 45))
    assert not in_quiet_window(lunch, datetime.time(13, 30))
    assert release_time(lunch, at("2025-09-10 12:10")) == at("2025-09-10 13:30")
    assert release_time(_preference(None, None), at("2025-09-10 03:00")) == at(
        "2025-09-10 03:00")


def test_days_off_follow_the_national_calendar_with_tiaoxiu() -> None:
    """National Day 2025: 1–8 October off, Saturday 11 October a working day (调休)."""
    nights_and_days_off = _preference("22:00", "07:00", days_off=True)
    assert release_time(nights_and_days_off, at("2025-10-03 10:00")) == at("2025-10-09 07:00")
    assert release_time(nights_and_days_off, at("2025-10-11 10:00")) == at("2025-10-11 10:00")
    days_off_only = _preference(None, None, days_off=True)
    assert release_time(days_off_only, at("2025-10-12 09:00")) == at("2025-10-13 00:00")
