"""How pauses move deadlines (SLA-09, issue 15 item 11a) and what the explanation says about
the days counted (item 11c). The rule (docs/sla.md): a pause that begins before the due time
moves it by exactly what the pause contains *as the clock counts from its start* — working
time for working hours, its share of working days after the start's day for working days,
wall time for hours, wall time after the start's day for calendar days and months."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.calendars.worktime import Unit
from weibao.sla.evaluation import Pause, evaluate
from weibao.sla.policy import Policy
from weibao.sla.tests.test_evaluation import at, engine, stage

CAL = "cn-0830-1730"
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def one(amount, unit: str) -> Policy:
    return Policy.from_spec({
        "calendar": CAL, "pause_states": ["awaiting_purchaser"],
        "stages": [{"code": "fix", "name": "修复", "start": "reported", "stop": "resolved"}],
        "targets": [{"stage": "fix", "within": {"amount": amount, "unit": unit}}]})


def due(amount, unit: str, reported: datetime.datetime, pauses: list[Pause],
        now: datetime.datetime | None = None):
    result = evaluate(one(amount, unit), attributes={}, events={"reported": reported},
                      pauses=pauses, now=now or reported, engine=engine)
    return stage(result, "fix")


def paused(a: datetime.datetime, b: datetime.datetime | None) -> Pause:
    return Pause(a, b, "awaiting_purchaser")


def test_item11a_a_night_pause_does_not_move_a_working_day_deadline():
    """Issue 15 item 11a: reported 2025-07-14 20:00, 1 working day on cn-0830-1730, paused
    23:00–01:00: due stays 2025-07-15 17:30 (before the fix: 07-16 17:30)."""
    fix = due(1, "working_days", at("2025-07-14T20:00"),
              [paused(at("2025-07-14T23:00"), at("2025-07-15T01:00"))])
    assert fix.due_at == at("2025-07-15T17:30")


def test_a_pause_in_working_hours_moves_a_working_day_deadline_by_its_share():
    # One working hour of a nine-hour day is 1/9 working day: due 09:30 the day after.
    fix = due(1, "working_days", at("2025-07-14T20:00"),
              [paused(at("2025-07-15T10:00"), at("2025-07-15T11:00"))])
    assert fix.due_at == at("2025-07-16T09:30")


def test_a_pause_on_the_event_day_does_not_move_calendar_days():
    """Civil Code art. 201: the event day is not counted, so pausing on it changes nothing;
    a pause after it moves the 24:00 end by its wall time."""
    reported = at("2025-07-14T10:00")
    same_day = due(3, "calendar_days", reported,
                   [paused(at("2025-07-14T11:00"), at("2025-07-14T15:00"))])
    assert same_day.due_at == at("2025-07-18T00:00")
    later = due(3, "calendar_days", reported,
                [paused(at("2025-07-14T22:00"), at("2025-07-15T02:00"))])
    assert later.due_at == at("2025-07-18T02:00")


def test_an_open_pause_shows_the_due_as_if_resumed_now():
    fix = due(2, "working_hours", at("2025-09-23T10:00"),
              [paused(at("2025-09-23T10:30"), None)], now=at("2025-09-23T11:00"))
    assert fix.status == "paused"
    assert fix.due_at == at("2025-09-23T12:30")  # 1.5 h left from 11:00


# --- properties ---------------------------------------------------------------------------

# Instants in July 2025 (no holidays) and around National Day 2025 (holidays, 调休).
BASES = [at("2025-07-07T00:00"), at("2025-09-25T00:00")]
instants = st.builds(lambda base, minutes: base + datetime.timedelta(minutes=minutes),
                     st.sampled_from(BASES), st.integers(0, 14 * 24 * 60))
WORKING_UNITS = ["working_hours", "working_days"]


def night_pause(draw_day: int, base: datetime.datetime) -> Pause:
    start = base + datetime.timedelta(days=draw_day, hours=18)
    return paused(start, start + datetime.timedelta(hours=14))  # 18:00 -> 08:00


@SETTINGS
@given(reported=instants, unit=st.sampled_from(WORKING_UNITS), amount=st.integers(1, 5),
       day=st.integers(0, 10))
def test_property_a_pause_without_working_time_never_moves_a_working_due(reported, unit,
                                                                         amount, day):
    """A pause from 18:00 to 08:00 the next morning (or over a whole rest day) contains no
    working time of cn-0830-1730, so it moves no working-hour or working-day due."""
    cal = engine(CAL)
    pause = night_pause(day, reported.replace(hour=0, minute=0))
    if pause.start < reported or cal.elapsed(pause.start, pause.end, Unit.WORKING_HOURS).value:
        return
    assert due(amount, unit, reported, [pause]).due_at == due(amount, unit, reported,
                                                               []).due_at


@SETTINGS
@given(reported=instants, unit=st.sampled_from(WORKING_UNITS), amount=st.integers(1, 5),
       offset=st.integers(0, 6 * 24 * 60), length=st.integers(1, 3 * 24 * 60))
def test_property_a_pause_moves_the_due_by_exactly_its_working_content(reported, unit, amount,
                                                                      offset, length):
    """With a pause that begins before the due: the time counted from the start to the new
    due, minus the pause's content (as counted from the start), is exactly the amount; and
    the due never moves earlier."""
    cal, u = engine(CAL), Unit(unit)
    a = reported + datetime.timedelta(minutes=offset)
    b = a + datetime.timedelta(minutes=length)
    plain = due(amount, unit, reported, []).due_at
    if a >= plain:
        return
    moved = due(amount, unit, reported, [paused(a, b)]).due_at
    content = cal.elapsed(reported, b, u).value - cal.elapsed(reported, a, u).value
    assert moved >= plain
    assert cal.elapsed(reported, moved, u).value - content == amount
    # … and it is the earliest such instant: a microsecond earlier is not enough.
    earlier = moved - datetime.timedelta(microseconds=1)
    if earlier >= reported:
        assert cal.elapsed(reported, earlier, u).value - content < amount


@SETTINGS
@given(reported=instants, minutes=st.integers(1, 600), offset=st.integers(0, 600),
       length=st.integers(1, 600))
def test_property_wall_hours_move_by_the_pause_length(reported, minutes, offset, length):
    a = reported + datetime.timedelta(minutes=offset)
    b = a + datetime.timedelta(minutes=length)
    plain = reported + datetime.timedelta(minutes=minutes)
    moved = due(minutes, "minutes", reported, [paused(a, b)]).due_at
    assert moved == (plain + (b - a) if a < plain else plain)


@SETTINGS
@given(reported=instants, unit=st.sampled_from(WORKING_UNITS), amount=st.integers(1, 3),
       offset=st.integers(0, 3 * 24 * 60), length=st.integers(1, 24 * 60))
def test_property_used_plus_left_is_the_amount_while_running(reported, unit, amount, offset,
                                                             length):
    a = reported + datetime.timedelta(minutes=offset)
    pause = paused(a, a + datetime.timedelta(minutes=length))
    now = pause.end + datetime.timedelta(minutes=1)
    fix = due(amount, unit, reported, [pause], now=now)
    if fix.status in ("running", "warning"):
        assert fix.used + fix.left == amount
        assert fix.used == (engine(CAL).elapsed(reported, now, Unit(unit)).value
                            - (engine(CAL).elapsed(reported, pause.end, Unit(unit)).value
                               - engine(CAL).elapsed(reported, a, Unit(unit)).value))


# --- item 11c: the days the explanation lists ----------------------------------------------

def test_item11c_adjusted_workdays_are_listed_as_counted():
    """3 working days from Fri 2025-09-26: Sun 28 Sep is a 调休 workday and counted."""
    fix = due(3, "working_days", at("2025-09-26T10:00"), [])
    lines = fix.explanation
    assert any(line.startswith("2025-09-28 counted: adjusted workday") for line in lines)
    assert not any(line.startswith("2025-09-28 not counted") for line in lines)
    assert any(line.startswith("2025-09-27 not counted: rest day") for line in lines)


def test_item11c_reasons_are_translatable(monkeypatch):
    """The reasons go through gettext (the engine's own English texts are not shown), so the
    Chinese catalog translates them; here a stand-in catalog marks every translated text."""
    from weibao.calendars import explain

    monkeypatch.setattr(explain, "_", lambda text: "译:" + text)
    with translation.override("zh-hans"):
        fix = due(2, "working_hours", at("2025-09-30T16:45"), [])
    text = "\n".join(fix.explanation)
    assert "2025-10-01 不计入：译:holiday: 国庆节 National Day" in text


@pytest.mark.parametrize(("amount", "unit"), [(9, "working_hours"), (3, "working_days")])
def test_an_own_half_day_is_counted(amount, unit):
    from weibao.calendars.china import china_calendar
    from weibao.calendars.worktime import DayOverride

    half = china_calendar(first_year=2025, last_year=2025, extra_overrides={
        datetime.date(2025, 7, 15): DayOverride.half_day(["08:30-12:00"], "年中")})
    result = evaluate(one(amount, unit), attributes={}, events={"reported": at("2025-07-14T10:00")},
                      pauses=[], now=at("2025-07-14T10:00"), engine=lambda code: half)
    lines = stage(result, "fix").explanation
    assert any(line.startswith("2025-07-15 counted: half day: 年中") for line in lines), lines


def test_fraction_helpers_stay_exact():
    fix = due(Fraction(1, 3), "working_hours", at("2025-09-23T10:00"), [])
    assert fix.due_at == at("2025-09-23T10:20")
