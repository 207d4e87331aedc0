"""The contract spec's ``emergency`` section (EMG-02): broken rules with their path and a
message in English and Chinese, import schedules the drills, rule removal and the round
trip."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_spec
from weibao.emergency.choices import DrillStatus
from weibao.emergency.models import Drill, DrillRule
from weibao.emergency.services.drills import close_windows
from weibao.testing.examples import at

BASE: dict[str, Any] = {
    "spec_version": 1,
    "contract": {"number": "EMG-SPEC-1", "title": "应急测试合同", "amount": Decimal("100000.00"),
                 "period": {"start": "2025-01-01", "end": "2025-12-31"}},
    "parties": [
        {"role": "purchaser",
         "organisation": {"name": "应急甲方", "code": "emg-purchaser", "kind": "purchaser"}},
        {"role": "vendor",
         "organisation": {"name": "应急乙方", "code": "emg-vendor", "kind": "vendor"}},
    ],
    "assets": {
        "types": [{"code": "sys", "name": "信息系统", "category": "information_system"},
                  {"code": "pc", "name": "电脑", "category": "hardware"}],
        "items": [{"code": "core", "type": "sys", "name": "核心系统", "importance": "important"},
                  {"code": "oa", "type": "sys", "name": "OA", "importance": "general"},
                  {"code": "web", "type": "sys", "name": "门户"},
                  {"code": "pc-1", "type": "pc", "name": "电脑 1"}],
    },
    "emergency": {"drills": [
        {"code": "important", "name": "重要系统演练", "systems": "important", "count": 2,
         "missed": {"breach": True, "penalty_percent": 0.5}, "clause": "每运维期 2 次"},
        {"code": "others", "name": "其他系统演练", "systems": "others", "count": 1, "per": "year",
         "missed": {"breach": False}},
    ]},
}


def spec(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        data["emergency"]["drills"][int(key[1])][key[4:]] = value
    return data


def _errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(SpecInvalid) as info:
        import_spec(data)
    return list(zip(info.value.messages("en"), info.value.messages("zh-hans"), strict=True))


@pytest.mark.django_db
def test_emg02_import_schedules_by_importance() -> None:
    """EMG-02: the important system gets 2 drills, the two others 1 each (the hardware
    none); the rules' penalty and breach flags are kept."""
    contract = import_spec(BASE).contract
    drills = Drill.objects.filter(contract=contract).select_related("system")
    assert sorted((d.system.code, d.sequence) for d in drills) == [
        ("core", 1), ("core", 2), ("oa", 1), ("web", 1)]
    rule = DrillRule.objects.get(contract=contract, code="important")
    assert (rule.missed_is_breach, rule.penalty_percent) == (True, Decimal("0.500"))
    assert export_data(contract)["emergency"] == {"drills": [
        {"code": "important", "name": "重要系统演练", "systems": "important", "count": 2,
         "per": "term", "missed": {"breach": True, "penalty_percent": Decimal("0.5")},
         "clause": "每运维期 2 次"},
        {"code": "others", "name": "其他系统演练", "systems": "others", "count": 1,
         "per": "year"}]}
    import_spec(BASE)  # idempotent
    assert Drill.objects.filter(contract=contract).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "path", "english"), [
    ({"[0].systems": "critical"}, "emergency.drills[0].systems", "is not one of"),
    ({"[0].count": 0}, "emergency.drills[0].count", "is less than"),
    ({"[1].code": "important"}, "emergency.drills[1].code", "appears more than once"),
    ({"[1].missed": {"breach": False, "penalty_percent": 1}},
     "emergency.drills[1].missed.penalty_percent",
     "a penalty is only charged when a missed drill is a breach"),
    ({"[0].missed": {"breach": True, "penalty_percent": 0.1234}},
     "emergency.drills[0].missed.penalty_percent", "has more than 3 decimals"),
    ({"[0].per": "month"}, "emergency.drills[0].per", "is not one of"),
])
def test_emg02_broken_rules_name_their_path(changes: dict[str, Any], path: str,
                                            english: str) -> None:
    """EMG-02: each broken rule is refused with its path, in English and in Chinese."""
    errors = _errors(spec(**changes))
    assert any(en.startswith(path) and english in en for en, _zh in errors), errors
    assert any(zh.startswith(path) for _en, zh in errors), errors
    assert not DrillRule.objects.exists()


@pytest.mark.django_db
def test_emg02_schema_errors_are_in_chinese() -> None:
    """EMG-02: the schema's messages come in Chinese for a Chinese reader."""
    errors = _errors(spec(**{"[0].count": "two"}))
    assert errors
    en, zh = errors[0]
    assert en.startswith("emergency.drills[0].count")
    assert zh != en


@pytest.mark.django_db
def test_emg02_rule_with_missed_drills_is_kept() -> None:
    """EMG-02: a rule whose drills were missed cannot be removed (evidence); made inactive
    it keeps them and schedules nothing more; a rule with open drills only is removed."""
    import_spec(BASE)
    close_windows(at("2026-01-02 00:00"))
    without = copy.deepcopy(BASE)
    without["emergency"]["drills"] = without["emergency"]["drills"][1:]
    with pytest.raises(SpecInvalid) as info:
        import_spec(without)
    assert info.value.messages("en") == [
        "emergency.drills: drill rule important has held or missed drills and cannot be "
        "removed; keep it with active: false"]
    inactive = spec(**{"[0].active": False})
    import_spec(inactive)
    assert Drill.objects.filter(rule__code="important", status=DrillStatus.MISSED).count() == 2


@pytest.mark.django_db
def test_emg02_rule_with_open_drills_is_removed() -> None:
    contract = import_spec(BASE).contract
    without = copy.deepcopy(BASE)
    without["emergency"]["drills"] = without["emergency"]["drills"][1:]
    import_spec(without)
    assert list(DrillRule.objects.filter(contract=contract).values_list("code", flat=True)) == [
        "others"]
    assert Drill.objects.filter(contract=contract).count() == 2
