"""The ``assets`` spec section (AST-01/02/04/05): kits, checks with paths, idempotent upsert,
round trip, and assets kept when a file has no ``items``."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry

from weibao.assets.models import Asset, AssetEvent, AssetType, KitItem
from weibao.assets.services import AssetInput, create_asset
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.validate import validate_text

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"

SPEC: dict[str, Any] = {
    "spec_version": 1,
    "contract": {"number": "AST-SPEC-1", "title": "资产测试合同", "amount": Decimal("1000.00"),
                 "period": {"start": "2025-01-01", "end": "2025-12-31"}},
    "parties": [
        {"role": "purchaser", "organisation": {"name": "资产甲方", "code": "ast-p",
                                               "kind": "purchaser"}},
        {"role": "vendor", "organisation": {"name": "资产乙方", "code": "ast-v",
                                            "kind": "vendor"}},
    ],
    "sites": {
        "site_types": [{"code": "room", "name": "机房"}],
        "items": [{"code": "r1", "name": "一号机房", "type": "room"},
                  {"code": "r2", "name": "二号机房", "type": "room"}],
    },
    "assets": {
        "types": [
            {"code": "ups", "name": "UPS", "category": "hardware", "attributes": [
                {"code": "capacity", "name": "容量", "kind": "decimal", "unit": "KVA",
                 "required": True}]},
            {"code": "battery", "name": "电池组", "category": "hardware", "parent": "ups"},
            {"code": "fiber", "name": "裸光纤", "category": "line"},
            {"code": "sys", "name": "信息系统", "category": "information_system"},
        ],
        "kits": [{"site_type": "room", "items": [{"type": "ups", "quantity": 2},
                                                 {"type": "fiber"}]}],
        "items": [
            {"code": "u1", "type": "ups", "site": "r1", "name": "GE UPS", "brand": "GE",
             "quantity": 2, "attributes": {"capacity": Decimal("6.5")},
             "installed_on": "2012-01-01", "warranty_until": "2026-01-01"},
            {"code": "b1", "type": "battery", "site": "r1", "name": "电池组", "parent": "u1",
             "attributes": {"capacity": 120}},
            {"code": "f1", "type": "fiber", "site": "r1", "remote_site": "r2", "name": "光纤"},
            {"code": "s1", "type": "sys", "name": "劳动保障系统", "importance": "important"},
        ],
    },
}


def _spec(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SPEC)
    data["assets"].update(changes)
    return data


@pytest.mark.django_db
def test_ast01_kits_and_types_from_spec():
    contract = import_spec(_spec()).contract
    assert AssetType.objects.get(contract=contract, code="battery").parent.code == "ups"
    kit = KitItem.objects.filter(contract=contract).order_by("order")
    assert [(k.site_type.code, k.asset_type.code, k.quantity) for k in kit] == [
        ("room", "ups", 2), ("room", "fiber", 1)]
    u1 = Asset.objects.get(contract=contract, code="u1")
    assert u1.attributes == {"capacity": "6.5"} and u1.quantity == 2
    assert Asset.objects.get(code="b1").parent == u1
    assert Asset.objects.get(code="f1").remote_site.code == "r2"
    assert u1.events.get().kind == "installation"


@pytest.mark.django_db
def test_ast02_spec_round_trips_and_reimport_writes_nothing():
    contract = import_spec(_spec()).contract
    exported = export_data(contract)
    assert exported["assets"] == SPEC["assets"]
    entries, events = LogEntry.objects.count(), AssetEvent.objects.count()
    import_spec(exported)
    assert (LogEntry.objects.count(), AssetEvent.objects.count()) == (entries, events)


@pytest.mark.django_db
def test_ast02_assets_kept_without_items_and_removed_from_full_list():
    contract = import_spec(_spec()).contract
    create_asset(contract, AssetInput(asset_type=AssetType.objects.get(code="fiber"),
                                      name="Excel 导入"), None)
    without = _spec()
    del without["assets"]["items"]
    import_spec(without)
    assert Asset.objects.filter(contract=contract).count() == 5
    shorter = _spec(items=[SPEC["assets"]["items"][2]])
    import_spec(shorter)
    assert sorted(Asset.objects.filter(contract=contract).values_list("code", flat=True)) == [
        "", "f1"]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "path"), [
    ({"types": [*SPEC["assets"]["types"], {"code": "x", "name": "X", "category": "hardware",
                                          "parent": "nope"}]}, "assets.types[4].parent"),
    ({"kits": [{"site_type": "kiosk", "items": [{"type": "ups"}]}]}, "assets.kits[0].site_type"),
    ({"kits": [{"site_type": "room", "items": [{"type": "nope"}]}]},
     "assets.kits[0].items[0].type"),
    ({"items": [{"code": "x", "type": "nope", "name": "X"}]}, "assets.items[0].type"),
    ({"items": [{"code": "x", "type": "fiber", "name": "X", "site": "r9"}]},
     "assets.items[0].site"),
    ({"items": [{"code": "x", "type": "fiber", "name": "X", "parent": "u9"}]},
     "assets.items[0].parent"),
    ({"items": [{"code": "x", "type": "ups", "name": "X", "attributes": {"capacity": "big"}}]},
     "assets.items[0].attributes"),
    ({"items": [{"code": "x", "type": "fiber", "name": "X", "importance": "important"}]},
     "assets.items[0].importance"),
    ({"types": [{"code": "a", "name": "A", "category": "hardware", "parent": "b"},
                {"code": "b", "name": "B", "category": "hardware", "parent": "a"}],
      "kits": [], "items": []}, "assets.types[0].parent"),
])
def test_ast02_bad_references_name_their_path(change, path):
    with pytest.raises(SpecInvalid) as exc:
        import_spec(_spec(**change))
    assert path in {e.path for e in exc.value.errors}, exc.value.messages("en")
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_ast01_example_000_has_the_table_one_kits():
    path = next(EXAMPLES.glob("000-*.yaml"))
    contract = import_text(path.read_text(encoding="utf-8")).contract
    kit = KitItem.objects.filter(contract=contract, site_type__code="sbk-outlet")
    assert kit.count() == 26
    assert kit.filter(asset_type__category="hardware").count() == 12


@pytest.mark.django_db
def test_ast02_example_002_ups_and_lines():
    path = next(EXAMPLES.glob("002-*.yaml"))
    data = validate_text(path.read_text(encoding="utf-8"))
    contract = import_spec(data, validated=True).contract
    ups = Asset.objects.filter(contract=contract, asset_type__code="ups")
    assert sorted(int(Decimal(a.attributes["capacity"])) for a in ups) == [
        6, 15, 20, 30, 100, 120, 300]
    assert sum(a.quantity for a in ups) == 15  # 一览表 小计 15
    assert Asset.objects.get(contract=contract, code="sys-labour").importance == "important"
    assert Asset.objects.filter(contract=contract, asset_type__parent__code="line").count() == 8
