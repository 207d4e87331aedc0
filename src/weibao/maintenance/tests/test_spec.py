"""The contract spec's ``maintenance`` section: checks with paths and clear messages, an
idempotent import, deletion rules and the export round trip (PM-01..09, AST-08)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.validate import spec_errors
from weibao.maintenance.choices import ItemKind, PlanScope, SignatureRule
from weibao.maintenance.models import ChecklistTemplate, MaintenancePlan, Visit
from weibao.maintenance.spec import check

from .conftest import at

BASE: dict[str, Any] = {
    "spec_version": 1,
    "contract": {"number": "PM-SPEC-1", "title": "巡检测试合同", "amount": Decimal("100000.00"),
                 "period": {"start": "2025-01-01", "end": "2025-12-31"}},
    "parties": [
        {"role": "purchaser",
         "organisation": {"name": "巡检甲方", "code": "pm-purchaser", "kind": "purchaser"}},
        {"role": "vendor",
         "organisation": {"name": "巡检乙方", "code": "pm-vendor", "kind": "vendor"}},
    ],
    "sites": {"site_types": [{"code": "outlet", "name": "受理网点"},
                             {"code": "room", "name": "机房"}]},
    "assets": {"types": [{"code": "ups", "name": "UPS", "category": "hardware"}]},
    "maintenance": {
        "checklists": [
            {"code": "outlet", "name": "网点检查表", "description": "每月一次",
             "items": [
                 {"code": "hw", "text": "检查软硬件是否正常工作", "kind": "pass_fail"},
                 {"code": "temp", "text": "机房温度", "kind": "number", "unit": "℃",
                  "range": [-20, 60], "normal": [10, Decimal("30.5")]},
                 {"code": "load", "text": "负载", "kind": "number", "range": [0, None]},
                 {"code": "state", "text": "运行状态", "kind": "choice",
                  "choices": ["正常", "告警", "故障"], "abnormal": ["告警", "故障"]},
                 {"code": "assets", "text": "核实网点资产", "kind": "asset_verification"},
                 {"code": "photo", "text": "现场照片", "kind": "photo", "help": "拍设备全景"},
                 {"code": "printer", "text": "对制卡机进行维护", "kind": "pass_fail",
                  "photo": "required", "clause": "第三条 (9)"},
                 {"code": "note", "text": "备注", "kind": "text", "required": False},
             ]},
            {"code": "system", "name": "系统检查", "items": [
                {"code": "ca", "text": "CA 认证系统检查", "kind": "pass_fail"}]},
        ],
        "plans": [
            {"code": "outlet-monthly", "name": "网点月度维护", "checklist": "outlet",
             "scope": {"site_types": ["outlet", "room"]}, "frequency": "monthly",
             "done_by": ["vendor_engineer"], "signature": "site_staff",
             "sheet_title": "受理网点维护单",
             "missed": {"breach": True, "penalty_percent": 1}, "clause": "每月维护一次"},
            {"code": "ca-daily", "name": "CA 早晚检查", "checklist": "system",
             "scope": {"contract": True}, "frequency": "daily", "days": "working_days",
             "checks": [{"code": "morning", "name": "早间检查", "start": "08:30",
                         "end": "12:00"},
                        {"code": "evening", "name": "晚间检查"}]},
            {"code": "ups-quarterly", "name": "UPS 季度维护", "checklist": "system",
             "scope": {"asset_types": ["ups"]}, "frequency": "quarterly",
             "signature": "purchaser", "active": False},
        ],
    },
}

DELETE = object()


def spec(**changes: Any) -> dict[str, Any]:
    """BASE with dotted-path changes below ``maintenance``, e.g.
    spec(**{"plans.0.frequency": "daily"})."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = data["maintenance"]
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


def _messages(data: dict[str, Any]) -> list[str]:
    return [e.message("en") for e in spec_errors(data)]


# (changes, expected path, expected English message fragment)
BROKEN = [
    ({"checklists.1.code": "outlet"}, "maintenance.checklists[1].code",
     "outlet appears more than once"),
    ({"checklists.0.items.1.code": "hw"}, "maintenance.checklists[0].items[1].code",
     "hw appears more than once"),
    ({"plans.1.code": "outlet-monthly"}, "maintenance.plans[1].code", "appears more than once"),
    ({"plans.0.checklist": "nope"}, "maintenance.plans[0].checklist",
     "nope is not a checklist of this contract"),
    ({"plans.0.scope": {"site_types": ["kiosk"]}}, "maintenance.plans[0].scope.site_types[0]",
     "kiosk is not a site type of this contract"),
    ({"plans.2.scope": {"asset_types": ["pc"]}}, "maintenance.plans[2].scope.asset_types[0]",
     "pc is not an asset type of this contract"),
    ({"plans.0.scope": {"site_types": ["outlet"], "contract": True}},
     "maintenance.plans[0].scope", "exactly one of site_types, asset_types or contract"),
    ({"plans.0.scope": {}}, "maintenance.plans[0].scope", "exactly one of"),
    ({"checklists.0.items.1.range": [60, -20]}, "maintenance.checklists[0].items[1].range",
     "the first value 60 is greater than the second -20"),
    ({"checklists.0.items.1.normal": [30, 10]}, "maintenance.checklists[0].items[1].normal",
     "the first value 30 is greater than the second 10"),
    ({"checklists.0.items.1.normal": [10, 70]}, "maintenance.checklists[0].items[1].normal",
     "must lie within the range"),
    ({"checklists.0.items.1.range": [Decimal("0.00001"), 1]},
     "maintenance.checklists[0].items[1].range[0]", "has more than 4 decimals"),
    ({"checklists.0.items.0.unit": "℃"}, "maintenance.checklists[0].items[0].unit",
     "only number items have unit"),
    ({"checklists.0.items.0.range": [1, 2]}, "maintenance.checklists[0].items[0].range",
     "only number items have range"),
    ({"checklists.0.items.0.choices": ["是", "否"]},
     "maintenance.checklists[0].items[0].choices", "only choice items have choices"),
    ({"checklists.0.items.3.choices": DELETE}, "maintenance.checklists[0].items[3].choices",
     "a choice item needs choices"),
    ({"checklists.0.items.3.abnormal": ["停机"]},
     "maintenance.checklists[0].items[3].abnormal[0]", "停机 is not one of the item's choices"),
    ({"checklists.0.items.3.choices": ["正常", "正常", "告警", "故障"]},
     "maintenance.checklists[0].items[3].choices[1]", "appears more than once"),
    ({"checklists.0.items.0.kind": "yes_no"}, "maintenance.checklists[0].items[0].kind",
     "is not one of"),
    ({"checklists.0.items": []}, "maintenance.checklists[0].items", "at least 1"),
    ({"plans.0.checks": [{"code": "a", "name": "早"}]}, "maintenance.plans[0].checks",
     "only daily plans have checks"),
    ({"plans.0.days": "working_days"}, "maintenance.plans[0].days",
     "only daily plans have days"),
    ({"plans.1.checks.1.code": "morning"}, "maintenance.plans[1].checks[1].code",
     "morning appears more than once"),
    ({"plans.1.checks.0.end": "08:30"}, "maintenance.plans[1].checks[0].end",
     "the check starts and ends at 08:30"),
    ({"plans.1.checks.0.start": 510}, "maintenance.plans[1].checks[0].start",
     "is not of type string"),
    ({"plans.1.checks.0.start": "8:30"}, "maintenance.plans[1].checks[0].start",
     "does not match the pattern"),
    ({"plans.0.missed": {"breach": False, "penalty_percent": 1}},
     "maintenance.plans[0].missed.penalty_percent",
     "a penalty is only charged when a missed visit is a breach"),
    ({"plans.0.missed.penalty_percent": Decimal("0.0001")},
     "maintenance.plans[0].missed.penalty_percent", "has more than 3 decimals"),
    ({"plans.0.missed.penalty_percent": 0}, "maintenance.plans[0].missed.penalty_percent",
     "must be greater than 0"),
    ({"plans.1.signature": "site_staff"}, "maintenance.plans[1].signature",
     "a check of the whole contract has no site whose staff could sign"),
    ({"plans.0.done_by": ["janitor"]}, "maintenance.plans[0].done_by[0]", "is not one of"),
    ({"plans.0.frequency": "hourly"}, "maintenance.plans[0].frequency", "is not one of"),
    ({"plans.0.window": "month"}, "maintenance.plans[0].window", "unknown key"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "path", "fragment"), BROKEN,
                         ids=[b[1] + ":" + b[2][:20] for b in BROKEN])
def test_broken_maintenance_section_names_the_place_and_the_rule(changes, path, fragment):
    """PM-01: every rule a plan or checklist breaks is reported with its path and a clear
    message, and nothing is written."""
    data = spec(**changes)
    messages = _messages(data)
    assert any(m.startswith(f"{path}: ") and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(data)
    assert not ChecklistTemplate.objects.exists()


@pytest.mark.django_db
def test_the_base_section_is_valid():
    assert spec_errors(spec()) == []
    # PM-03: a night check runs past midnight (the scheduler reads an earlier end so).
    assert spec_errors(spec(**{"plans.1.checks.1.start": "22:00",
                               "plans.1.checks.1.end": "02:00"})) == []


@pytest.mark.django_db
def test_import_writes_checklists_and_plans_as_the_file_says():
    """PM-01/02/03/09, AST-08: items with their kinds, limits and choices; plans with scope,
    cadence, daily checks in the scheduler's slot shape, signer, breach and penalty."""
    contract = import_spec(spec()).contract
    outlet = ChecklistTemplate.objects.get(contract=contract, code="outlet")
    items = {i.code: i for i in outlet.items.all()}
    assert list(items) == ["hw", "temp", "load", "state", "assets", "photo", "printer", "note"]
    temp = items["temp"]
    assert (temp.kind, temp.unit, temp.min_value, temp.max_value, temp.normal_min,
            temp.normal_max) == (ItemKind.NUMBER, "℃", -20, 60, 10, Decimal("30.5"))
    assert items["load"].min_value == 0 and items["load"].max_value is None
    assert items["state"].choices == ["正常", "告警", "故障"]
    assert items["state"].abnormal_choices == ["告警", "故障"]
    assert items["assets"].kind == ItemKind.ASSET_VERIFICATION
    assert items["printer"].photo_required and items["printer"].clause == "第三条 (9)"
    assert items["photo"].help_text == "拍设备全景"
    assert items["note"].required is False and items["hw"].required is True

    plans = {p.code: p for p in MaintenancePlan.objects.filter(contract=contract)}
    monthly = plans["outlet-monthly"]
    assert monthly.scope == PlanScope.SITE and monthly.checklist == outlet
    assert sorted(t.code for t in monthly.site_types.all()) == ["outlet", "room"]
    assert monthly.signature == SignatureRule.SITE_STAFF
    assert monthly.sheet_title == "受理网点维护单"
    assert monthly.missed_is_breach and monthly.penalty_percent == Decimal("1.000")
    assert monthly.performer_roles == ["vendor_engineer"] and monthly.active
    daily = plans["ca-daily"]
    assert daily.scope == PlanScope.CONTRACT and daily.days == "working_days"
    assert daily.slots == [{"code": "morning", "name": "早间检查", "start": "08:30",
                            "end": "12:00"},
                           {"code": "evening", "name": "晚间检查", "start": None, "end": None}]
    ups = plans["ups-quarterly"]
    assert ups.scope == PlanScope.ASSET and [t.code for t in ups.asset_types.all()] == ["ups"]
    assert ups.active is False and not ups.missed_is_breach and ups.penalty_percent is None
    assert [p.code for p in MaintenancePlan.objects.filter(contract=contract)] == [
        "outlet-monthly", "ca-daily", "ups-quarterly"]


@pytest.mark.django_db
def test_reimport_writes_nothing_and_export_round_trips():
    """PM-01: importing the same file again changes nothing (no audit entries); export then
    import gives the same data."""
    from auditlog.models import LogEntry

    contract = import_spec(spec()).contract
    entries = LogEntry.objects.count()
    import_spec(spec())
    assert LogEntry.objects.count() == entries, "an identical re-import must write nothing"
    exported = export_data(contract)["maintenance"]
    assert exported == BASE["maintenance"]
    text = export_text(contract)
    again = import_text(text)
    assert again.contract.pk == contract.pk
    assert LogEntry.objects.count() == entries
    assert load_yaml(export_text(again.contract)) == load_yaml(text)


@pytest.mark.django_db
def test_reimport_updates_in_place():
    """A changed file updates the rows it names, keeps their ids, and removes items and
    plans without visits that the file no longer lists."""
    contract = import_spec(spec()).contract
    outlet = ChecklistTemplate.objects.get(contract=contract, code="outlet")
    temp_id = outlet.items.get(code="temp").pk
    changed = spec(**{"checklists.0.items.1.range": [0, 50],
                      "checklists.0.items.1.normal": DELETE,
                      "checklists.0.items": BASE["maintenance"]["checklists"][0]["items"][:2],
                      "plans.0.scope": {"site_types": ["outlet"]},
                      "plans.0.missed": DELETE, "plans.2": DELETE})
    changed["maintenance"]["checklists"][0]["items"][1] = {
        "code": "temp", "text": "机房温度", "kind": "number", "range": [0, 50]}
    import_spec(changed)
    temp = outlet.items.get(code="temp")
    assert temp.pk == temp_id and (temp.min_value, temp.max_value) == (0, 50)
    assert temp.normal_min is None and temp.unit == ""
    assert list(outlet.items.values_list("code", flat=True)) == ["hw", "temp"]
    monthly = MaintenancePlan.objects.get(contract=contract, code="outlet-monthly")
    assert [t.code for t in monthly.site_types.all()] == ["outlet"]
    assert not monthly.missed_is_breach and monthly.penalty_percent is None
    assert not MaintenancePlan.objects.filter(contract=contract, code="ups-quarterly").exists()


def _visit(plan: MaintenancePlan) -> Visit:
    return Visit.objects.create(contract=plan.contract, plan=plan, key="test-1",
                                window_start=at("2025-03-01 00:00"),
                                window_end=at("2025-04-01 00:00"))


@pytest.mark.django_db
def test_a_plan_with_visits_is_not_removed_but_may_be_deactivated():
    """PM-09: visits are the evidence of performance; a plan that has them cannot be
    removed by a spec (the message says to set active: false), and nothing is written."""
    contract = import_spec(spec()).contract
    plan = MaintenancePlan.objects.get(contract=contract, code="outlet-monthly")
    _visit(plan)
    without = spec(**{"plans.0": DELETE, "checklists.0.name": "改名"})
    with pytest.raises(SpecInvalid) as info:
        import_spec(without)
    assert info.value.messages("en") == [
        "maintenance.plans: plan outlet-monthly has visits and cannot be removed; keep it "
        "with active: false to stop new visits"]
    assert ChecklistTemplate.objects.get(contract=contract, code="outlet").name == "网点检查表"
    import_spec(spec(**{"plans.0.active": False}))
    plan.refresh_from_db()
    assert plan.active is False and plan.visits.count() == 1


@pytest.mark.django_db
def test_a_checklist_used_by_a_plan_cannot_be_removed():
    """A checklist still named by a recorded plan (the file has no plans key) is kept and
    the import fails naming the plan; an unused checklist is removed."""
    contract = import_spec(spec()).contract
    with pytest.raises(SpecInvalid) as info:
        import_spec(spec(**{"checklists.1": DELETE, "plans": DELETE}))
    assert info.value.messages("en") == [
        "maintenance.checklists: checklist system is used by plan ca-daily, ups-quarterly and "
        "cannot be removed"]
    # The file's own plans are checked against its own checklists first.
    assert any("is not a checklist" in m for m in _messages(spec(**{"checklists.1": DELETE})))
    import_spec(spec(**{"checklists.1": DELETE, "plans": [BASE["maintenance"]["plans"][0]]}))
    assert list(ChecklistTemplate.objects.filter(contract=contract)
                .values_list("code", flat=True)) == ["outlet"]


@pytest.mark.django_db
def test_a_partial_file_refers_to_what_is_recorded():
    """A file with plans only (no checklists, sites or assets) may name the contract's
    recorded checklists and types; a section absent from the file is left as it is."""
    contract = import_spec(spec()).contract
    partial = spec(**{"checklists": DELETE})
    del partial["sites"], partial["assets"]
    assert spec_errors(partial) == []
    import_spec(partial)
    assert ChecklistTemplate.objects.filter(contract=contract).count() == 2
    absent = copy.deepcopy(partial)
    del absent["maintenance"]
    import_spec(absent)
    assert MaintenancePlan.objects.filter(contract=contract).count() == 3
    unknown = spec(**{"plans.0.checklist": "gone", "checklists": DELETE})
    assert any(m.startswith("maintenance.plans[0].checklist: gone is not a checklist")
               for m in _messages(unknown))


def test_checks_run_without_a_database_when_the_file_has_every_list():
    """`weibao contract validate` before migrate: the checks read the file's own lists."""
    data = spec()
    data["contract"] = {k: v for k, v in data["contract"].items() if k != "number"}
    assert check(data["maintenance"], data) == []


@given(low=st.integers(-1000, 1000), high=st.integers(-1000, 1000))
def test_a_range_is_refused_exactly_when_its_ends_are_reversed(low: int, high: int) -> None:
    """PM-01: [lowest, highest] is accepted iff lowest ≤ highest."""
    item = {"code": "n", "text": "数值", "kind": "number", "range": [low, high]}
    data = {"checklists": [{"code": "c", "name": "c", "items": [item]}]}
    errors = check(data, {"contract": {}})
    assert bool(errors) == (low > high)


@pytest.mark.django_db
def test_schema_documents_every_key():
    """The published reference shows the section with a description per plan key."""
    from weibao.contracts.spec.registry import build_schema

    section = build_schema()["properties"]["maintenance"]
    plan = section["properties"]["plans"]["items"]["properties"]
    assert {"scope", "frequency", "checks", "missed", "signature"} <= set(plan)
    assert all("description" in plan[key] for key in ("frequency", "checks", "done_by"))


_BOUND = st.one_of(st.none(), st.decimals(min_value=-9999999999, max_value=9999999999,
                                          places=4, allow_nan=False, allow_infinity=False))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bounds=st.lists(_BOUND, min_size=2, max_size=2),
       penalty=st.decimals(min_value=Decimal("0.001"), max_value=100, places=3))
def test_numbers_survive_import_and_export_exactly(bounds: list[Decimal | None],
                                                   penalty: Decimal) -> None:
    """PM-01/09: a number item's range (up to 4 decimals, either side open) and a plan's
    penalty (up to 3 decimals) are stored and exported exactly; re-importing the export
    changes nothing."""
    low, high = bounds
    if low is not None and high is not None and low > high:
        low, high = high, low
    data = spec(**{"checklists.0.items.2.range": [low, high],
                   "plans.0.missed.penalty_percent": penalty})
    if low is None and high is None:
        del data["maintenance"]["checklists"][0]["items"][2]["range"]
    contract = import_spec(data).contract
    exported = export_data(contract)["maintenance"]
    item = exported["checklists"][0]["items"][2]
    assert item.get("range") == (None if low is None and high is None else [low, high])
    assert exported["plans"][0]["missed"]["penalty_percent"] == penalty
    assert import_spec({**data, "maintenance": exported}).contract.pk == contract.pk
    assert export_data(contract)["maintenance"] == exported
