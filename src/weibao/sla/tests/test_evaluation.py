"""SLA evaluation scenarios from the seed contracts (SLA-01..SLA-09), on the real China
calendar (2025 National Day, 2026 Spring Festival) — no database needed."""

from __future__ import annotations

import datetime
from fractions import Fraction
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from weibao.calendars.china import china_calendar
from weibao.calendars.worktime import WorkCalendar, seven_by_twenty_four
from weibao.sla.evaluation import Pause, SlaError, evaluate
from weibao.sla.policy import Policy

BJ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BJ)


@cache
def engine(code: str) -> WorkCalendar:
    if code == "7x24":
        return seven_by_twenty_four()
    return china_calendar(first_year=2024, last_year=2027, provisional_years=[2027])


# Seed 000 第三条二: urban outlets respond within 2 working hours, suburban within 3.
OUTLETS = Policy.from_spec({
    "calendar": "cn-0830-1730",
    "pause_states": ["awaiting_purchaser"],
    "stages": [{"code": "respond", "name": "响应", "start": "reported", "stop": "responded"}],
    "targets": [
        {"stage": "respond", "when": {"area_class": "urban"},
         "within": {"amount": 2, "unit": "working_hours"}},
        {"stage": "respond", "when": {"area_class": "suburban"},
         "within": {"amount": 3, "unit": "working_hours"}},
    ],
})

# Seed 002 §9.1.2: levels I–IV by window × scope; remote within 0.5 h (I, II) or 1 h (III, IV),
# then on site within 2/3/3/4 h of the purchaser's request; 7×24 service.
CA = Policy.from_spec({
    "calendar": "7x24",
    "fault_levels": {"calendar": "cn-0830-1730", "levels": [
        {"code": "I", "name": "紧急", "scope": "large", "window": "working"},
        {"code": "II", "name": "严重", "scope": "large", "window": "non_working"},
        {"code": "III", "name": "较大", "scope": "small", "window": "working"},
        {"code": "IV", "name": "一般", "scope": "small", "window": "non_working"},
    ]},
    "stages": [
        {"code": "remote", "name": "远程排除", "start": "reported", "stop": "restored"},
        {"code": "onsite", "name": "到场", "start": "onsite_requested", "stop": "arrived"},
        {"code": "resolve", "name": "处理完毕", "start": "reported", "stop": "resolved"},
    ],
    "targets": [
        {"stage": "remote", "when": {"fault_level": ["I", "II"]},
         "within": {"amount": 0.5, "unit": "hours"}},
        {"stage": "remote", "when": {"fault_level": ["III", "IV"]},
         "within": {"amount": 1, "unit": "hours"}},
        {"stage": "onsite", "when": {"fault_level": "I"},
         "within": {"amount": 2, "unit": "hours"}},
        {"stage": "onsite", "when": {"fault_level": ["II", "III"]},
         "within": {"amount": 3, "unit": "hours"}},
        {"stage": "onsite", "when": {"fault_level": "IV"},
         "within": {"amount": 4, "unit": "hours"}},
        {"stage": "resolve", "within": {"amount": 3, "unit": "working_days",
                                        "calendar": "cn-0830-1730"}},
    ],
})


def run(policy: Policy, attributes: dict[str, str], events: dict[str, str],
        now: str, pauses: list[Pause] | None = None):
    return evaluate(policy, attributes=attributes,
                    events={k: at(v) for k, v in events.items()}, pauses=pauses or [],
                    now=at(now), engine=engine)


def stage(result, code):
    return next(s for s in result.stages if s.stage.code == code)


@pytest.mark.parametrize(("area", "reported", "due"), [
    # SLA-01 on an ordinary Tuesday.
    ("urban", "2025-09-23T10:00", "2025-09-23T12:00"),
    ("suburban", "2025-09-23T10:00", "2025-09-23T13:00"),
    # Reported late on the last workday before National Day: the 8 days off are skipped.
    ("urban", "2025-09-30T16:45", "2025-10-09T09:45"),
    ("suburban", "2025-09-30T16:45", "2025-10-09T10:45"),
    # Reported on National Day itself: the clock starts at 08:30 on the first workday, the
    # adjusted Thursday after the holiday.
    ("urban", "2025-10-03T09:00", "2025-10-09T10:30"),
    # Friday evening before the adjusted Saturday 2025-10-11: that Saturday is a workday.
    ("suburban", "2025-10-10T16:00", "2025-10-11T10:00"),
    # Sunday 2025-09-28 is an adjusted workday too.
    ("urban", "2025-09-27T11:00", "2025-09-28T10:30"),
])
def test_sla01_response_by_area_class_across_national_day(area, reported, due):
    """SLA-01 [000]: urban 2 / suburban 3 working hours, 8:30–17:30, with 调休."""
    result = run(OUTLETS, {"area_class": area}, {"reported": reported}, now=reported)
    assert stage(result, "respond").due_at == at(due)


def test_sla01_explanation_names_the_rule_and_the_skipped_holidays():
    result = run(OUTLETS, {"area_class": "urban"}, {"reported": "2025-09-30T16:45"},
                 now="2025-09-30T16:45")
    lines = "\n".join(stage(result, "respond").explanation)
    assert "area_class=urban" in lines
    assert "2025-10-01" in lines and "2025-10-08" in lines
    assert "2025-10-09" not in lines


@pytest.mark.parametrize(("reported", "scope", "level"), [
    ("2025-09-23T08:29:59", "large", "II"),
    ("2025-09-23T08:30:00", "large", "I"),
    ("2025-09-23T17:29:59", "large", "I"),
    ("2025-09-23T17:30:00", "large", "II"),
    ("2025-09-23T17:30:01", "large", "II"),
    ("2025-09-23T08:29:59", "small", "IV"),
    ("2025-09-23T08:30:00", "small", "III"),
    ("2025-09-23T17:30:00", "small", "IV"),
    ("2025-09-23T17:30:01", "small", "IV"),
    # A holiday in working hours is outside the working window.
    ("2025-10-02T10:00:00", "large", "II"),
    # An adjusted Saturday in working hours is inside it.
    ("2025-10-11T10:00:00", "small", "III"),
])
def test_sla02_fault_level_at_window_edges(reported, scope, level):
    """SLA-02 [002 §9.1.2]: I/III in working hours (8:30–17:30), II/IV outside; 17:30 itself
    is outside (working time is [08:30, 17:30))."""
    result = run(CA, {"scope": scope}, {"reported": reported}, now=reported)
    assert result.level is not None and result.level.code == level
    assert level in result.level_reason


@pytest.mark.parametrize(("level", "remote_due", "onsite_due"), [
    ("I", "10:30", "14:00"), ("II", "10:30", "15:00"),
    ("III", "11:00", "15:00"), ("IV", "11:00", "16:00"),
])
def test_sla03_remote_window_then_onsite_arrival(level, remote_due, onsite_due):
    """SLA-03: remote within 0.5 h (I, II) or 1 h (III, IV); after the purchaser asks for
    on-site support (12:00), arrival within 2/3/3/4 h, counted 7×24."""
    result = run(CA, {"fault_level": level},
                 {"reported": "2025-09-23T10:00", "onsite_requested": "2025-09-23T12:00"},
                 now="2025-09-23T12:00")
    assert stage(result, "remote").due_at == at(f"2025-09-23T{remote_due}")
    assert stage(result, "remote").status == "breached"  # not restored by 12:00
    onsite = stage(result, "onsite")
    assert onsite.due_at == at(f"2025-09-23T{onsite_due}")
    assert onsite.status == "running"


def test_sla03_onsite_clock_waits_for_the_request():
    result = run(CA, {"fault_level": "I"}, {"reported": "2025-09-23T10:00",
                                            "restored": "2025-09-23T10:20"},
                 now="2025-09-23T11:00")
    assert stage(result, "remote").status == "met"
    assert stage(result, "onsite").status == "not_started"


def test_sla05_three_working_days_across_spring_festival_2026():
    """'Processed within 3 working days' (SLA-05) from Friday 2026-02-13: Spring Festival
    (Feb 15–23) is skipped; Saturday 2026-02-14 and 2026-02-28 are adjusted workdays."""
    result = run(CA, {"scope": "small"}, {"reported": "2026-02-13T15:00"},
                 now="2026-02-13T15:00")
    resolve = stage(result, "resolve")
    # Civil Code counting: the event day is not counted; workdays Feb 14, Feb 24, Feb 25.
    assert resolve.due_at == at("2026-02-25T17:30")
    assert any("2026-02-17" in line for line in resolve.explanation)


def test_sla04_resident_team_within_one_hour_7x24():
    """SLA-04 [001]: arrive at the post within 1 hour of a request, at any hour."""
    policy = Policy.from_spec({
        "calendar": "7x24",
        "stages": [{"code": "arrive", "name": "到岗", "start": "onsite_requested",
                    "stop": "arrived"}],
        "targets": [{"stage": "arrive", "within": {"amount": 1, "unit": "hours"}}],
    })
    result = run(policy, {}, {"onsite_requested": "2025-10-01T23:30",
                              "arrived": "2025-10-02T00:25"}, now="2025-10-02T01:00")
    arrive = stage(result, "arrive")
    assert arrive.due_at == at("2025-10-02T00:30") and arrive.status == "met"
    assert arrive.used == Fraction(55, 60)


def test_sla09_pause_in_an_allowed_state_moves_the_due_time():
    """SLA-09: waiting for the purchaser 10:30–11:30 does not count."""
    pause = Pause(at("2025-09-23T10:30"), at("2025-09-23T11:30"), "awaiting_purchaser",
                  "甲方未开门")
    result = run(OUTLETS, {"area_class": "urban"}, {"reported": "2025-09-23T10:00"},
                 now="2025-09-23T12:30", pauses=[pause])
    respond = stage(result, "respond")
    assert respond.due_at == at("2025-09-23T13:00")
    assert respond.used == Fraction(3, 2)
    assert respond.status == "warning"  # 1.5 of 2 hours = 75 %
    assert any("甲方未开门" in line for line in respond.explanation)


def test_sla09_an_open_pause_shows_paused():
    pause = Pause(at("2025-09-23T10:30"), None, "awaiting_purchaser")
    result = run(OUTLETS, {"area_class": "urban"}, {"reported": "2025-09-23T10:00"},
                 now="2025-09-23T11:00", pauses=[pause])
    assert stage(result, "respond").status == "paused"
    assert stage(result, "respond").used == Fraction(1, 2)


def test_sla09_a_state_the_contract_does_not_allow_is_refused():
    pause = Pause(at("2025-09-23T10:30"), at("2025-09-23T11:00"), "vendor_busy")
    with pytest.raises(SlaError, match="vendor_busy"):
        run(OUTLETS, {"area_class": "urban"}, {"reported": "2025-09-23T10:00"},
            now="2025-09-23T12:00", pauses=[pause])


def test_met_breached_and_time_left():
    met = run(OUTLETS, {"area_class": "urban"},
              {"reported": "2025-09-23T10:00", "responded": "2025-09-23T11:59"},
              now="2025-09-23T15:00")
    assert stage(met, "respond").status == "met"
    late = run(OUTLETS, {"area_class": "urban"},
               {"reported": "2025-09-23T10:00", "responded": "2025-09-23T12:01"},
               now="2025-09-23T15:00")
    assert stage(late, "respond").status == "breached"
    running = run(OUTLETS, {"area_class": "urban"}, {"reported": "2025-09-23T10:00"},
                  now="2025-09-23T10:30")
    assert stage(running, "respond").status == "running"
    assert stage(running, "respond").left == Fraction(3, 2)


def test_no_matching_target_and_ambiguous_targets():
    result = run(OUTLETS, {"area_class": "island"}, {"reported": "2025-09-23T10:00"},
                 now="2025-09-23T10:00")
    assert stage(result, "respond").status == "no_target"
    twice = Policy.from_spec({
        "calendar": "cn-0830-1730",
        "stages": [{"code": "respond", "name": "响应", "start": "reported", "stop": "responded"}],
        "targets": [
            {"stage": "respond", "within": {"amount": 2, "unit": "working_hours"}},
            {"stage": "respond", "when": {"channel": "phone"},
             "within": {"amount": 1, "unit": "working_hours"}},
        ],
    })
    with pytest.raises(SlaError, match="priority"):
        run(twice, {"channel": "phone"}, {"reported": "2025-09-23T10:00"}, now="2025-09-23T10:00")


def test_provisional_year_is_flagged():
    result = run(OUTLETS, {"area_class": "urban"}, {"reported": "2027-03-02T10:00"},
                 now="2027-03-02T10:00")
    assert result.provisional
    assert any("Provisional" in line for line in stage(result, "respond").explanation)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(SlaError, match="Unknown attributes"):
        run(OUTLETS, {"colour": "red"}, {"reported": "2025-09-23T10:00"}, now="2025-09-23T10:00")
    with pytest.raises(SlaError, match="Unknown events"):
        run(OUTLETS, {}, {"teleported": "2025-09-23T10:00"}, now="2025-09-23T10:00")
    with pytest.raises(SlaError, match="time zone"):
        evaluate(OUTLETS, attributes={}, events={"reported": datetime.datetime(2025, 9, 23)},
                 pauses=[], now=at("2025-09-23T10:00"), engine=engine)
    with pytest.raises(SlaError, match="2036"):
        run(OUTLETS, {"area_class": "urban"}, {"reported": "2036-01-05T10:00"},
            now="2036-01-05T10:00")
