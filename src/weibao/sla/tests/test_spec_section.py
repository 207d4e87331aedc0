"""The `service_levels` section of the contract spec: every SLA rule as data (SLA-01..10),
bad input rejected with its path, round trip through the database."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_spec
from weibao.contracts.spec.validate import spec_errors
from weibao.contracts.tests.test_spec import BASE
from weibao.sla.models import SlaPolicy, SlaTarget

SERVICE_LEVELS: dict[str, Any] = {
    "calendar": "cn-0830-1730",
    "pause_states": ["awaiting_purchaser"],
    "fault_levels": {"calendar": "cn-0830-1730", "levels": [
        {"code": "I", "name": "紧急", "scope": "large", "window": "working"},
        {"code": "II", "name": "严重", "scope": "large", "window": "non_working"},
    ]},
    "stages": [
        {"code": "respond", "name": "响应", "start": "reported", "stop": "responded"},
        {"code": "onsite", "name": "到场", "start": "onsite_requested", "stop": "arrived"},
    ],
    "targets": [
        {"stage": "respond", "when": {"area_class": "urban"},
         "within": {"amount": 2, "unit": "working_hours"}},
        {"stage": "onsite", "when": {"fault_level": "I"},
         "within": {"amount": 2, "unit": "hours", "calendar": "7x24"}},
    ],
}


def spec_with(levels: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["service_levels"] = levels
    return data


def changed(path: str, value: Any) -> dict[str, Any]:
    levels = copy.deepcopy(SERVICE_LEVELS)
    target: Any = levels
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value
    return spec_with(levels)


BAD = [
    ("calendar", "no-such-calendar", "service_levels.calendar", "not a known calendar"),
    ("targets.1.within.calendar", "nope", "service_levels.targets[1].within.calendar",
     "not a known calendar"),
    ("targets.0.within.unit", "fortnights", "service_levels.targets[0].within.unit",
     "is not one of"),
    ("targets.0.within.amount", -2, "service_levels.targets[0].within.amount",
     "must be greater than 0"),
    ("targets.0.stage", "repair", "service_levels.targets[0].stage",
     "not a stage of this contract"),
    ("targets.1.when", {"fault_level": "V"}, "service_levels.targets[1].when.fault_level",
     "not a fault level"),
    ("targets.0.when", {"colour": "red"}, "service_levels.targets[0].when",
     "is not one of area_class"),
    ("stages.1.stop", "onsite_requested", "service_levels.stages[1].stop",
     "cannot start and stop"),
    ("stages.1.code", "respond", "service_levels.stages[1].code", "more than once"),
    ("fault_levels.levels.1.scope", "large", "service_levels.fault_levels.levels[1]",
     None),  # two levels with the same scope and window: checked below
    ("targets.0.within", {"amount": 1.5, "unit": "calendar_days"},
     "service_levels.targets[0].within.amount", "whole numbers"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "value", "where", "fragment"), BAD,
                         ids=[b[0] for b in BAD])
def test_bad_service_levels_are_rejected_with_their_path(path, value, where, fragment):
    data = changed(path, value)
    if path == "fault_levels.levels.1.scope":
        data["service_levels"]["fault_levels"]["levels"][1]["window"] = "working"
        fragment = "both cover scope large working"
    messages = [e.message("en") for e in spec_errors(data)]
    assert any(m.startswith(where) and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(data)
    assert not SlaPolicy.objects.exists()


@pytest.mark.django_db
def test_two_targets_for_the_same_tickets_at_the_same_priority_are_ambiguous():
    data = spec_with(copy.deepcopy(SERVICE_LEVELS))
    data["service_levels"]["targets"].append(
        {"stage": "respond", "when": {"area_class": ["urban"]},
         "within": {"amount": 3, "unit": "working_hours"}})
    messages = [e.message("en") for e in spec_errors(data)]
    assert any("service_levels.targets[2].when" in m and "same priority" in m
               for m in messages), messages
    data["service_levels"]["targets"][2]["priority"] = 5
    assert spec_errors(data) == []


@pytest.mark.django_db
def test_service_levels_round_trip_and_reimport_writes_nothing():
    from auditlog.models import LogEntry

    contract = import_spec(spec_with(SERVICE_LEVELS)).contract
    policy = contract.sla_policy
    assert policy.calendar == "cn-0830-1730"
    assert [s.code for s in policy.stages.all()] == ["respond", "onsite"]
    assert SlaTarget.objects.filter(policy=policy).count() == 2
    exported = export_data(contract)["service_levels"]
    again = spec_with(exported)
    entries = LogEntry.objects.count()
    import_spec(again)
    assert LogEntry.objects.count() == entries
    assert export_data(contract)["service_levels"] == exported


@pytest.mark.django_db
def test_a_contract_specific_calendar_from_the_same_file_is_accepted():
    data = spec_with(changed("calendar", "sh-outlets-hours")["service_levels"])
    data["calendars"] = [{"code": "sh-outlets-hours", "name": "网点工作时间",
                          "based_on": "cn-0830-1730"}]
    messages = [e.message("en") for e in spec_errors(data)]
    assert not any("service_levels.calendar" in m for m in messages), messages


NEW_CLAUSES: dict[str, Any] = {
    **SERVICE_LEVELS,
    "fault_levels": {"calendar": "cn-0830-1730-lunch", "levels": [
        {"code": "I", "name": "工作时间", "scope": "large", "window": "working"},
        {"code": "II", "name": "午休", "scope": "large", "window": "lunch_break"},
        {"code": "III", "name": "其他", "scope": "large", "window": "weeknight"},
        {"code": "IV", "name": "节假日", "scope": "large", "window": "holiday"},
        {"code": "V", "name": "休息日", "scope": "large", "window": "rest_day"},
    ]},
    "stages": [
        {"code": "respond", "name": "响应", "start": "reported", "stop": "responded"},
        {"code": "resolve", "name": "处理", "start": "reported", "stop": "resolved"},
        {"code": "report", "name": "报告", "start": "resolved", "stop": "report_submitted"},
        {"code": "progress", "name": "进展通报", "start": "responded", "stop": "restored",
         "every": True},
    ],
    "targets": [
        {"stage": "respond", "within": {"amount": 15, "unit": "minutes"}},
        {"stage": "resolve", "within": {"amount": 3, "unit": "working_days"},
         "kpi": {"above_percent": 95}, "clause": "§6.1 处理及时率>95%"},
        {"stage": "report", "within": {"days": 1, "at": "10:00",
                                       "day_unit": "working_days"},
         "kpi": {"at_least_percent": 100}},
        {"stage": "progress", "within": {"amount": 30, "unit": "minutes"},
         "penalty_percent": 0.1},
    ],
}


@pytest.mark.django_db
def test_item4_item10_kpi_clock_time_and_recurring_round_trip():
    """SLA-05 KPI targets (seed 002 §6.1), clock-time deadlines and recurring stages are
    stored, exported as written and re-imported without a change."""
    from weibao.sla.selectors import contract_policy

    contract = import_spec(spec_with(NEW_CLAUSES)).contract
    exported = export_data(contract)["service_levels"]
    assert exported["targets"][1]["kpi"] == {"above_percent": 95}
    assert exported["targets"][2]["within"] == {"days": 1, "at": "10:00",
                                                "day_unit": "working_days"}
    assert exported["targets"][2]["kpi"] == {"at_least_percent": 100}
    assert exported["stages"][3]["every"] is True and "every" not in exported["stages"][0]
    policy = contract_policy(contract)
    assert policy is not None
    resolve, report = policy.targets[1], policy.targets[2]
    assert not resolve.is_breach and resolve.kpi is not None and not resolve.kpi.inclusive
    assert report.at is not None and report.at.hour == 10 and report.unit == "working_days"
    assert policy.targets[0].is_breach and policy.stages[3].every
    import_spec(spec_with(exported))
    assert export_data(contract)["service_levels"] == exported


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "where", "fragment"), [
    (lambda d: d["targets"][1].update(penalty_percent=1), "targets[1].penalty_percent",
     "no penalty"),
    (lambda d: d["targets"][0]["within"].update(at="10:00"), "targets[0].within",
     "either amount and unit"),
    (lambda d: d["targets"][2]["within"].pop("at"), "targets[2].within",
     "either amount and unit"),
    (lambda d: d["targets"][3].update(within={"days": 0, "at": "17:00"}),
     "targets[3].within", "recurs"),
    (lambda d: d["targets"][3]["within"].update(unit="calendar_days", amount=1),
     "targets[3].within.unit", "recurs"),
    (lambda d: d["fault_levels"]["levels"].append(
        {"code": "VI", "name": "夜间", "scope": "large", "window": "non_working"}),
     "fault_levels.levels[5]", "III, VI both cover scope large weeknight"),
])
def test_new_clauses_are_checked(change, where, fragment):
    data = copy.deepcopy(NEW_CLAUSES)
    change(data)
    messages = [e.message("en") for e in spec_errors(spec_with(data))]
    assert any(m.startswith(f"service_levels.{where}") and fragment in m
               for m in messages), messages
