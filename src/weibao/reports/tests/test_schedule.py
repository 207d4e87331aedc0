"""Due-date rules of deliverables (RPT-01..06): weekly "before Tuesday", monthly "by the
21st"/"by the 5th" clamped to the month, quarterly after the period end, N working days after
an event across the National Day holiday and its 调休 Saturday, and periods clipped to the
service period."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.maintenance.schedule import day_bounds, period_containing
from weibao.reports.choices import Cadence, Covers, DelayUnit, TriggerKind
from weibao.reports.models import Deliverable
from weibao.reports.schedule import (
    Period,
    add_working_days,
    contract_end_moment,
    event_due,
    periods,
    remind_day,
)
from weibao.reports.tests.conftest import SHANGHAI, Setup, at, make_deliverable

D = datetime.date


def _due(deliverable: Deliverable, day: datetime.date) -> tuple[Period, datetime.datetime]:
    """The period containing ``day`` and its due time."""
    (found,) = periods(deliverable, day, day)
    return found


def test_weekly_before_tuesday_is_due_at_the_start_of_tuesday(outlets: Setup) -> None:
    """RPT-01 (seed 000 每周二前): the weekly report of week 41 (6–12 October 2025) is due
    before Tuesday 14 October, i.e. at its 00:00; without "before" it is due at the end of
    that Tuesday."""
    before = make_deliverable(outlets.contract, "weekly", cadence=Cadence.WEEKLY,
                              due_weekday=2, due_exclusive=True)
    on = make_deliverable(outlets.contract, "weekly-on", cadence=Cadence.WEEKLY,
                          due_weekday=2)
    assert _due(before, D(2025, 10, 8)) == (
        Period(D(2025, 10, 6), D(2025, 10, 12), "2025-W41"), at("2025-10-14 00:00"))
    assert _due(on, D(2025, 10, 12))[1] == at("2025-10-15 00:00")


def test_weekly_covering_the_current_week_is_due_the_same_week(outlets: Setup) -> None:
    """RPT-01: a weekly report of the current week due on Friday is due at the end of that
    week's Friday."""
    friday = make_deliverable(outlets.contract, "weekly", cadence=Cadence.WEEKLY,
                              due_weekday=5, covers=Covers.CURRENT)
    assert _due(friday, D(2025, 10, 6))[1] == at("2025-10-11 00:00")


def test_monthly_by_the_21st_and_clamped_day_31(outlets: Setup) -> None:
    """RPT-01/RPT-02 (seed 000 每月21日前): October's report is due by the end of 21
    November; a day 31 rule falls on the last day of February (28 February 2026) and of
    April (30 April); covering the current month, day 31 of February is the 28th too."""
    by21 = make_deliverable(outlets.contract, "monthly", due_day=21)
    by31 = make_deliverable(outlets.contract, "monthly-31", due_day=31)
    current = make_deliverable(outlets.contract, "monthly-now", due_day=31,
                               covers=Covers.CURRENT)
    assert _due(by21, D(2025, 10, 1)) == (
        Period(D(2025, 10, 1), D(2025, 10, 31), "2025-10"), at("2025-11-22 00:00"))
    assert _due(by31, D(2026, 1, 15))[1] == at("2026-03-01 00:00")
    assert _due(by31, D(2026, 3, 15))[1] == at("2026-05-01 00:00")
    assert _due(by31, D(2025, 11, 15))[1] == at("2026-01-01 00:00")
    assert _due(current, D(2026, 2, 1))[1] == at("2026-03-01 00:00")


def test_day_of_month_stays_on_a_holiday_but_working_days_move(outlets: Setup) -> None:
    """RPT-02 (seed 002 每月5日前): the day-of-month rule is a calendar day — September's plan
    is due on 5 October 2025 although it is a National Day holiday; a rule of 3 working days
    after the third quarter moves past the holiday (1–8 October) to Saturday 11 October, a
    调休 working day."""
    by5 = make_deliverable(outlets.contract, "plan", due_day=5)
    quarterly = make_deliverable(outlets.contract, "quarterly", cadence=Cadence.QUARTERLY,
                                 due_after_amount=3, due_after_unit=DelayUnit.WORKING_DAYS)
    assert _due(by5, D(2025, 9, 10))[1] == at("2025-10-06 00:00")
    assert _due(quarterly, D(2025, 9, 10)) == (
        Period(D(2025, 9, 1), D(2025, 9, 30), "2025-Q3"), at("2025-10-12 00:00"))


def test_quarterly_half_yearly_and_yearly_after_the_period_end(outlets: Setup) -> None:
    """RPT-04/RPT-05: quarterly, half-yearly and yearly reports fall due the given number of
    calendar days after the period's last day ("before" the 15th: at its start), or at the
    period's end without a number; a period clipped by the contract's end keeps the due time
    of the whole period."""
    quarterly = make_deliverable(outlets.contract, "q", cadence=Cadence.QUARTERLY,
                                 due_after_amount=10, due_after_unit=DelayUnit.DAYS)
    half = make_deliverable(outlets.contract, "h", cadence=Cadence.HALF_YEARLY)
    yearly = make_deliverable(outlets.contract, "y", cadence=Cadence.YEARLY,
                              due_after_amount=15, due_after_unit=DelayUnit.DAYS,
                              due_exclusive=True)
    assert _due(quarterly, D(2025, 11, 1)) == (
        Period(D(2025, 10, 1), D(2025, 12, 31), "2025-Q4"), at("2026-01-11 00:00"))
    assert _due(half, D(2025, 11, 1)) == (
        Period(D(2025, 9, 1), D(2025, 12, 31), "2025-H2"), at("2026-01-01 00:00"))
    assert _due(yearly, D(2025, 11, 1)) == (
        Period(D(2025, 9, 1), D(2025, 12, 31), "2025"), at("2026-01-15 00:00"))
    assert _due(yearly, D(2026, 3, 1)) == (
        Period(D(2026, 1, 1), D(2026, 8, 31), "2026"), at("2027-01-15 00:00"))


def test_working_days_after_an_event_across_national_day(outlets: Setup) -> None:
    """RPT-05/RPT-06 (seed 002 UPS reports within a week): N working days after an event
    count the contract's working days — the National Day holiday (1–8 October 2025) is
    skipped, the 调休 Saturday 11 October and Sunday 28 September count; calendar days do
    not skip anything."""
    working = make_deliverable(outlets.contract, "ups", cadence=Cadence.AFTER_EVENT,
                               trigger=TriggerKind.VISIT_DONE, due_after_amount=2,
                               due_after_unit=DelayUnit.WORKING_DAYS)
    assert event_due(working, at("2025-09-30 15:00")) == at("2025-10-11 00:00")
    working.due_after_amount = 3
    assert event_due(working, at("2025-09-30 23:59")) == at("2025-10-12 00:00")
    working.due_after_amount = 1
    assert event_due(working, at("2025-09-26 10:00")) == at("2025-09-29 00:00")
    days = make_deliverable(outlets.contract, "ups-days", cadence=Cadence.AFTER_EVENT,
                            trigger=TriggerKind.VISIT_DONE, due_after_amount=7,
                            due_after_unit=DelayUnit.DAYS)
    assert event_due(days, at("2025-09-30 15:00")) == at("2025-10-08 00:00")
    plain = make_deliverable(outlets.contract, "same-day", cadence=Cadence.AFTER_EVENT,
                             trigger=TriggerKind.TICKET_RESTORED)
    assert event_due(plain, at("2025-10-09 16:00")) == at("2025-10-10 00:00")


def test_working_day_arithmetic_on_the_calendar(outlets: Setup) -> None:
    """RPT-05: the 1st working day after Friday 26 September 2025 is Sunday 28 September
    (调休); after 30 September it is 9 October; a reminder two working days before the
    last day Monday 13 October falls on Friday 10 October (Saturday 11 October works)."""
    from weibao.maintenance.schedule import contract_working_days

    working_days = contract_working_days(outlets.contract)
    assert add_working_days(D(2025, 9, 26), 1, working_days) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 30), 1, working_days) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 0, working_days) == D(2025, 9, 30)
    assert remind_day(at("2025-10-14 00:00"), 2, working_days) == D(2025, 10, 10)


def test_periods_are_clipped_to_the_service_period(ca: Setup, outlets: Setup) -> None:
    """RPT-01: only periods inside the contract's service period count; seed 002's service
    starts on Saturday 1 March 2025, so week 9 covers 1–2 March and the first half-year 1
    March–30 June, with their whole periods' keys and due times; seed 000's last week is
    Monday 31 August 2026 alone."""
    weekly = make_deliverable(ca.contract, "weekly", cadence=Cadence.WEEKLY, due_weekday=2,
                              due_exclusive=True)
    half = make_deliverable(ca.contract, "half", cadence=Cadence.HALF_YEARLY,
                            due_after_amount=10, due_after_unit=DelayUnit.DAYS)
    assert periods(weekly, D(2025, 1, 1), D(2025, 3, 3)) == [
        (Period(D(2025, 3, 1), D(2025, 3, 2), "2025-W09"), at("2025-03-04 00:00")),
        (Period(D(2025, 3, 3), D(2025, 3, 9), "2025-W10"), at("2025-03-11 00:00"))]
    assert [p for p, _due in periods(half, D(2024, 1, 1), D(2026, 12, 31))] == [
        Period(D(2025, 3, 1), D(2025, 6, 30), "2025-H1"),
        Period(D(2025, 7, 1), D(2025, 12, 31), "2025-H2")]
    last_week = make_deliverable(outlets.contract, "weekly", cadence=Cadence.WEEKLY,
                                 due_weekday=1)
    assert periods(last_week, D(2026, 8, 31), D(2026, 12, 31)) == [
        (Period(D(2026, 8, 31), D(2026, 8, 31), "2026-W36"), at("2026-09-08 00:00"))]
    assert contract_end_moment(outlets.contract) == at("2026-09-01 00:00")


def test_event_deliverables_have_no_periods(outlets: Setup) -> None:
    """RPT-05: an event-driven deliverable has no calendar periods (its reports are created
    by the event)."""
    event = make_deliverable(outlets.contract, "ups", cadence=Cadence.AFTER_EVENT,
                             trigger=TriggerKind.VISIT_DONE)
    assert periods(event, D(2025, 9, 1), D(2026, 8, 31)) == []


_CADENCES = [Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.HALF_YEARLY,
             Cadence.YEARLY]
_DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(cadence=st.sampled_from(_CADENCES), covers=st.sampled_from(list(Covers)),
       service=st.tuples(_DAYS, _DAYS), scan=st.tuples(_DAYS, _DAYS),
       day=st.integers(1, 31), weekday=st.integers(1, 7), exclusive=st.booleans())
def test_periods_tile_the_range_without_gaps_or_overlaps(
        cadence: str, covers: str, service: tuple[datetime.date, datetime.date],
        scan: tuple[datetime.date, datetime.date], day: int, weekday: int,
        exclusive: bool) -> None:
    """RPT-01: the periods of a deliverable follow each other day after day, the first holds
    the first scanned service day and the last the last one, none leaves the service period,
    keys are unique, and each report is due after its period ends — or, covering the current
    week or month, on a day of that week or month."""
    first_service, last_service = sorted(service)
    start, end = sorted(scan)
    deliverable = Deliverable(cadence=cadence, covers=covers, due_day=day, due_weekday=weekday,
                              due_exclusive=exclusive)
    found = periods(deliverable, start, end, service=(first_service, last_service))
    low, high = max(start, first_service), min(end, last_service)
    if high < low:
        assert found == []
        return
    assert found[0][0].start <= low <= found[0][0].end
    assert found[-1][0].start <= high <= found[-1][0].end
    for (before, _d1), (after, _d2) in itertools.pairwise(found):
        assert after.start == before.end + datetime.timedelta(days=1)
    for period, due_at in found:
        assert first_service <= period.start <= period.end <= last_service
        due_day = due_at.astimezone(SHANGHAI).date() - datetime.timedelta(
            days=0 if exclusive else 1)
        if covers == Covers.CURRENT and cadence in (Cadence.WEEKLY, Cadence.MONTHLY):
            assert period_containing(cadence, due_day)[2] == period.key
        else:
            assert due_at >= day_bounds(period.end)[1]
    assert len({p.key for p, _due in found}) == len(found)


@pytest.mark.parametrize(("cadence", "day", "key"), [
    (Cadence.WEEKLY, D(2025, 10, 8), "2025-W41"), (Cadence.WEEKLY, D(2026, 1, 1), "2026-W01"),
    (Cadence.MONTHLY, D(2025, 10, 8), "2025-10"), (Cadence.QUARTERLY, D(2025, 11, 8), "2025-Q4"),
    (Cadence.HALF_YEARLY, D(2025, 7, 1), "2025-H2"), (Cadence.YEARLY, D(2025, 7, 1), "2025")])
def test_keys_are_stable(cadence: str, day: datetime.date, key: str) -> None:
    """RPT-07: a period's key names it the same way every time (idempotent submissions)."""
    deliverable = Deliverable(cadence=cadence, due_day=1, due_weekday=1)
    ((period, _due),) = periods(deliverable, day, day, service=(D(2020, 1, 1), D(2030, 1, 1)))
    assert period.key == key
