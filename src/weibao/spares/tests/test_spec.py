"""The contract spec's ``spare_parts`` section (SPR-01..03): checks, upsert, round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_text
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.spares import services
from weibao.spares.models import BudgetCap, PartType, RatioRule, Warehouse
from weibao.spares.selectors import compliance

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


def _spec(name: str) -> dict:
    return load_yaml((EXAMPLES / name).read_text("utf-8"))


def _import(data: dict):
    return import_text(dump_yaml(data)).contract


@pytest.mark.django_db
def test_spr01_seed_000_ratios_of_table_two() -> None:
    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text()).contract
    ratios = {r.part_type.code: r.ratio for r in RatioRule.objects.filter(contract=contract)
              .select_related("part_type")}
    assert ratios == {
        "desktop": Decimal("0.1"), "flatbed-printer": Decimal("0.05"),
        "camera": Decimal("0.1"), "lighting-kit": Decimal("0.1"),
        "camera-adapter": Decimal("0.05"), "usb-connect-card": Decimal("0.03"),
        "card-reader": Decimal("0.15"), "card-printer": Decimal("0.01"),
        "image-scanner": Decimal("0.01"), "rewritable-device": Decimal("0.01"),
        "transit-card-reader": Decimal("0.01")}
    assert all(r.site_type_id is None for r in RatioRule.objects.filter(contract=contract))
    assert len(compliance(contract)) == 11


@pytest.mark.django_db
def test_spr03_seed_002_ups_battery_cap() -> None:
    contract = import_text(
        (EXAMPLES / "002-shanghai-hrss-ca-integration.yaml").read_text()).contract
    cap = BudgetCap.objects.get(contract=contract)
    assert cap.percent == 20 and cap.base_amount is None
    assert [p.code for p in cap.part_types.all()] == ["ups-battery"]


@pytest.mark.django_db
def test_spr_spec_reimport_writes_nothing_and_round_trips() -> None:
    data = _spec("000-shanghai-sbk-outlets.yaml")
    data["spare_parts"]["warehouses"] = [{"code": "main", "name": "主库", "address": "示例路1号"}]
    data["spare_parts"]["ratios"].append({"part_type": "desktop", "site_type": "rp-outlet",
                                          "ratio": Decimal("0.2")})
    data["spare_parts"]["part_types"][0]["unit_cost"] = Decimal("4999.5")
    data["spare_parts"]["budget_caps"] = [{"code": "pc", "name": "电脑", "base_amount": 100000,
                                           "percent": Decimal("12.5"),
                                           "part_types": ["desktop", "camera"]}]
    contract = _import(data)
    stamps = {m: list(m.objects.filter(contract=contract).values_list("pk", "updated_at"))
              for m in (PartType, Warehouse, RatioRule, BudgetCap)}
    exported = export_text(contract)
    assert load_yaml(exported)["spare_parts"] == data["spare_parts"]
    import_text(exported)
    for model, rows in stamps.items():
        assert list(model.objects.filter(contract=contract)
                    .values_list("pk", "updated_at")) == rows


def _errors(data: dict) -> dict[str, str]:
    with pytest.raises(SpecInvalid) as exc:
        _import(data)
    return {e.path: e.code for e in exc.value.errors}


@pytest.mark.django_db
def test_spr_spec_checks_name_the_path() -> None:
    data = _spec("000-shanghai-sbk-outlets.yaml")
    section = data["spare_parts"]
    section["ratios"].append({"part_type": "nope", "site_type": "no-type", "ratio": 0.5})
    section["warehouses"] = [{"code": "w", "name": "库", "site": "no-site"}]
    section["budget_caps"] = [{"code": "c", "name": "c", "percent": 5,
                               "part_types": ["ghost"], "base_amount": Decimal("1.001")}]
    section["part_types"].append(dict(section["part_types"][0]))
    errors = _errors(data)
    n = len(section["ratios"]) - 1
    assert errors[f"spare_parts.ratios[{n}].part_type"] == "unknown_part_type"
    assert errors[f"spare_parts.ratios[{n}].site_type"] == "unknown_site_type"
    assert errors["spare_parts.warehouses[0].site"] == "unknown_site"
    assert errors["spare_parts.budget_caps[0].part_types[0]"] == "unknown_part_type"
    assert errors["spare_parts.budget_caps[0].base_amount"] == "not_fen"
    assert errors["spare_parts.part_types[11]"] == "duplicate"


@pytest.mark.django_db
@pytest.mark.parametrize("ratio", [0, Decimal("1.5"), -1])
def test_spr01_ratio_must_be_in_zero_one(ratio) -> None:
    data = _spec("000-shanghai-sbk-outlets.yaml")
    data["spare_parts"]["ratios"][0]["ratio"] = ratio
    with pytest.raises(SpecInvalid):
        _import(data)


@pytest.mark.django_db
def test_spr_spec_cannot_remove_a_part_type_with_movements() -> None:
    data = _spec("000-shanghai-sbk-outlets.yaml")
    data["spare_parts"]["warehouses"] = [{"code": "main", "name": "主库"}]
    contract = _import(data)
    services.receive(warehouse=Warehouse.objects.get(contract=contract),
                     part_type=PartType.objects.get(contract=contract, code="camera"),
                     quantity=1)
    data["spare_parts"]["part_types"] = [p for p in data["spare_parts"]["part_types"]
                                         if p["code"] != "camera"]
    data["spare_parts"]["ratios"] = [r for r in data["spare_parts"]["ratios"]
                                     if r["part_type"] != "camera"]
    assert _errors(data) == {"spare_parts.part_types": "in_use"}
    assert PartType.objects.filter(contract=contract, code="camera").exists()
    # Without the warehouses key the warehouses stay as they are.
    del data["spare_parts"]["warehouses"]
    data["spare_parts"]["part_types"].append({"code": "camera", "name": "照相机",
                                              "must_be_new": True})
    _import(data)
    assert Warehouse.objects.filter(contract=contract).count() == 1
