"""Recurrence of plans (PM-01, PM-03..07): the windows a plan's visits count in, in Beijing
time, end exclusive, within the contract's service period."""

from __future__ import annotations

import datetime
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.maintenance.choices import DayRule, Frequency, PlanScope
from weibao.maintenance.models import MaintenancePlan, MajorEvent
from weibao.maintenance.schedule import PERIOD_FREQUENCIES, Window, period_containing, windows
from weibao.maintenance.tests.conftest import Setup, at, make_plan

D = datetime.date
SLOTS = [{"code": "morning", "name": "早", "start": "08:30", "end": "10:00"},
         {"code": "evening", "name": "晚", "start": "17:00", "end": "18:30"}]


def test_twice_daily_slots_make_two_bounded_windows_a_day(ca: Setup) -> None:
    """PM-03: a daily plan with a morning and an evening check has two windows each day,
    bounded by the slots' times, with the slot in the key."""
    plan = make_plan(ca.contract, "ca-daily", frequency=Frequency.DAILY,
                     scope=PlanScope.CONTRACT, slots=SLOTS)
    found = windows(plan, D(2025, 10, 10), D(2025, 10, 11))
    assert [(w.start, w.end, w.slot, w.key) for w in found] == [
        (at("2025-10-10 08:30"), at("2025-10-10 10:00"), "morning", "2025-10-10:morning"),
        (at("2025-10-10 17:00"), at("2025-10-10 18:30"), "evening", "2025-10-10:evening"),
        (at("2025-10-11 08:30"), at("2025-10-11 10:00"), "morning", "2025-10-11:morning"),
        (at("2025-10-11 17:00"), at("2025-10-11 18:30"), "evening", "2025-10-11:evening"),
    ]


def test_slot_without_times_is_the_whole_day_and_past_midnight_runs_on(ca: Setup) -> None:
    """PM-03/PM-04: a slot without times spans the day; one ending before it starts runs
    past midnight."""
    plan = make_plan(ca.contract, "ca-night", frequency=Frequency.DAILY,
                     scope=PlanScope.CONTRACT,
                     slots=[{"code": "day", "name": "日"},
                            {"code": "night", "name": "夜", "start": "22:00", "end": "02:00"}])
    day, night = windows(plan, D(2025, 10, 10), D(2025, 10, 10))
    assert (day.start, day.end) == (at("2025-10-10 00:00"), at("2025-10-11 00:00"))
    assert (night.start, night.end) == (at("2025-10-10 22:00"), at("2025-10-11 02:00"))


def test_working_days_skip_holidays_and_include_make_up_days(outlets: Setup) -> None:
    """PM-04: a working-days plan follows the contract's calendar (cn-0830-1730): the
    National Day holidays 1–8 Oct 2025 are skipped, the 调休 Sunday 28 Sep and Saturday
    11 Oct are included, ordinary weekends are skipped."""
    plan = make_plan(outlets.contract, "db-daily", frequency=Frequency.DAILY,
                     scope=PlanScope.CONTRACT, days=DayRule.WORKING_DAYS)
    days = [w.start.date() for w in windows(plan, D(2025, 9, 27), D(2025, 10, 12))]
    assert days == [D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 9),
                    D(2025, 10, 10), D(2025, 10, 11)]


def test_every_day_plan_ignores_the_calendar(outlets: Setup) -> None:
    """PM-03: an every-day plan has a window on holidays too."""
    plan = make_plan(outlets.contract, "daily", frequency=Frequency.DAILY,
                     scope=PlanScope.CONTRACT)
    assert len(windows(plan, D(2025, 10, 1), D(2025, 10, 8))) == 8


def test_monthly_windows_are_calendar_months_across_month_ends(outlets: Setup) -> None:
    """PM-01: monthly windows are whole calendar months (February too, and October that
    starts on a holiday); only windows starting in the range are returned."""
    plan = make_plan(outlets.contract, site_types=[outlets.site_type("sbk-outlet")])
    found = windows(plan, D(2026, 1, 15), D(2026, 3, 10))
    assert [(w.key, w.start, w.end) for w in found] == [
        ("2026-02", at("2026-02-01 00:00"), at("2026-03-01 00:00")),
        ("2026-03", at("2026-03-01 00:00"), at("2026-04-01 00:00"))]
    october, = windows(plan, D(2025, 10, 1), D(2025, 10, 31))
    assert (october.start, october.end) == (at("2025-10-01 00:00"), at("2025-11-01 00:00"))
    leap, = windows(plan, D(2028, 2, 1), D(2028, 2, 29), period=(D(2028, 1, 1), D(2028, 12, 31)))
    assert leap.end == at("2028-03-01 00:00") and leap.days()[-1] == D(2028, 2, 29)


def test_quarterly_and_half_yearly_windows_are_clipped_to_the_period(outlets: Setup) -> None:
    """PM-04/PM-05: quarters and half-years of the calendar; the first and last are clipped
    to the service period (1 Sep 2025 – 31 Aug 2026) and keep the period's key."""
    quarterly = make_plan(outlets.contract, "q", frequency=Frequency.QUARTERLY,
                          scope=PlanScope.CONTRACT)
    found = windows(quarterly, D(2025, 9, 1), D(2026, 8, 31))
    assert [(w.key, w.start, w.end) for w in found] == [
        ("2025-Q3", at("2025-09-01 00:00"), at("2025-10-01 00:00")),
        ("2025-Q4", at("2025-10-01 00:00"), at("2026-01-01 00:00")),
        ("2026-Q1", at("2026-01-01 00:00"), at("2026-04-01 00:00")),
        ("2026-Q2", at("2026-04-01 00:00"), at("2026-07-01 00:00")),
        ("2026-Q3", at("2026-07-01 00:00"), at("2026-09-01 00:00"))]
    half = make_plan(outlets.contract, "h", frequency=Frequency.HALF_YEARLY,
                     scope=PlanScope.CONTRACT)
    assert [(w.key, w.start, w.end) for w in windows(half, D(2025, 1, 1), D(2026, 12, 31))] == [
        ("2025-H2", at("2025-09-01 00:00"), at("2026-01-01 00:00")),
        ("2026-H1", at("2026-01-01 00:00"), at("2026-07-01 00:00")),
        ("2026-H2", at("2026-07-01 00:00"), at("2026-09-01 00:00"))]


def test_windows_outside_the_service_period_do_not_exist(ca: Setup) -> None:
    """PM-01: nothing is due before the service starts (seed 002: 1 Mar – 31 Dec 2025)."""
    plan = make_plan(ca.contract, "m", frequency=Frequency.MONTHLY, scope=PlanScope.CONTRACT)
    assert [w.key for w in windows(plan, D(2025, 1, 1), D(2025, 3, 31))] == ["2025-03"]
    assert windows(plan, D(2026, 1, 1), D(2026, 3, 31)) == []


def test_weekly_and_yearly_windows(outlets: Setup) -> None:
    """PM-06: ISO weeks from Monday; a yearly window is the calendar year (clipped)."""
    weekly = make_plan(outlets.contract, "w", frequency=Frequency.WEEKLY,
                       scope=PlanScope.CONTRACT)
    first, second = windows(weekly, D(2025, 10, 1), D(2025, 10, 13))
    assert (first.key, first.start, first.end) == (
        "2025-W41", at("2025-10-06 00:00"), at("2025-10-13 00:00"))
    assert second.key == "2025-W42"
    yearly = make_plan(outlets.contract, "y", frequency=Frequency.YEARLY,
                       scope=PlanScope.CONTRACT)
    assert [(w.key, w.start) for w in windows(yearly, D(2025, 1, 1), D(2026, 12, 31))] == [
        ("2025", at("2025-09-01 00:00")), ("2026", at("2026-01-01 00:00"))]


def test_before_event_window_is_the_day_before(ca: Setup) -> None:
    """PM-07: the equipment check counts on the calendar day before the major event."""
    plan = make_plan(ca.contract, "pre", frequency=Frequency.BEFORE_EVENT,
                     scope=PlanScope.CONTRACT)
    event = MajorEvent.objects.create(contract=ca.contract, name="进博会", date=D(2025, 11, 5))
    MajorEvent.objects.create(contract=ca.contract, name="later", date=D(2025, 12, 20))
    found = windows(plan, D(2025, 11, 1), D(2025, 11, 30))
    assert found == [Window(at("2025-11-04 00:00"), at("2025-11-05 00:00"), "",
                            f"event-{event.pk}", event.pk)]


def test_on_demand_plans_have_no_windows(ca: Setup) -> None:
    """PM-06: an on-demand plan's visits are made by hand."""
    plan = make_plan(ca.contract, "od", frequency=Frequency.ON_DEMAND, scope=PlanScope.CONTRACT)
    assert windows(plan, D(2025, 3, 1), D(2025, 12, 31)) == []


WIDE = (D(2000, 1, 1), D(2100, 12, 31))


@settings(max_examples=150, deadline=None)
@given(frequency=st.sampled_from([*PERIOD_FREQUENCIES, Frequency.DAILY]),
       first=st.dates(D(2020, 1, 1), D(2030, 12, 31)),
       length=st.integers(0, 800))
def test_period_windows_tile_the_range(frequency: str, first: D, length: int) -> None:
    """PM-01/PM-09: a plan's windows over a range follow each other without gap or overlap,
    have unique keys and start in the range; the first is the first period starting in the
    range and the last covers the range's last day."""
    plan = MaintenancePlan(frequency=frequency, days=DayRule.EVERY_DAY, slots=[])
    last = first + datetime.timedelta(days=length)
    found = windows(plan, first, last, period=WIDE)
    if frequency == Frequency.DAILY:
        opening, following = first, first + datetime.timedelta(days=1)
    else:
        opening, following, _key = period_containing(frequency, first)
    expected_first = first if opening == first else following
    if expected_first > last:
        assert found == []
        return
    assert found[0].start.date() == expected_first
    for before, after in itertools.pairwise(found):
        assert before.end == after.start
    assert len({w.key for w in found}) == len(found)
    assert all(first <= w.start.date() <= last for w in found)
    assert found[-1].start.date() <= last < found[-1].end.date()
