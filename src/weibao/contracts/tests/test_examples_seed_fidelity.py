"""The example specs say what their seeds say (issue 15 item 9): each rule kept to the assets,
times and amounts the seed names, with the seed's line cited here as in the example. Line
numbers are those of the seed files in ``shared/seeds``."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import load_yaml

ROOT = Path(__file__).resolve().parents[4]
EXAMPLES = ROOT / "examples" / "contracts"


def _spec(prefix: str) -> dict[str, Any]:
    return load_yaml(next(EXAMPLES.glob(f"{prefix}-*.yaml")).read_text("utf-8"))


def _targets(data: dict[str, Any], stage: str) -> list[dict[str, Any]]:
    return [t for t in data["service_levels"]["targets"] if t["stage"] == stage]


def _stage(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in data["service_levels"]["stages"] if s["code"] == code)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_sla09_no_seed_has_a_pause_clause(prefix: str) -> None:
    """No seed writes a clause that stops a clock; 002 promises 无推诿 (seed 002 L7520)."""
    assert "pause_states" not in _spec(prefix)["service_levels"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_each_example_imports(prefix: str) -> None:
    path = next(EXAMPLES.glob(f"{prefix}-*.yaml"))
    contract = import_text(path.read_text("utf-8")).contract
    assert contract.number == str(_spec(prefix)["contract"]["number"])


# --- 000 ----------------------------------------------------------------------------------


def test_000_tail_date_in_the_example_and_the_docs() -> None:
    """Seed 000 L76 "甲方于 2025 年 11 月前支付剩余的合同款项": due 2025-10-31, the same in
    docs/contract-spec.md."""
    tail = _spec("000")["payment"]["milestones"][-1]["trigger"]["date"]
    assert str(tail) == "2025-10-31"
    docs = (ROOT / "docs" / "contract-spec.md").read_text("utf-8")
    assert re.findall(r"kind: by_date, date: (\S+?)\}", docs) == ["2025-10-31"]


def test_000_parts_need_not_be_new_and_its_ticket_types() -> None:
    """全新 is seed 004's rule (7.2.14), not 000's; 000's duties include installation and
    upgrades (L99), operator training (L104) and home photography (L105)."""
    data = _spec("000")
    assert {p["must_be_new"] for p in data["spare_parts"]["part_types"]} == {False}
    types = {t["code"]: t for t in data["tickets"]["types"]}
    assert {"installation", "training", "home_photo"} <= set(types)
    assert types["home_photo"]["name"] == "特殊人群上门拍照和照片替代扫描处理"


# --- 001 ----------------------------------------------------------------------------------


def test_001_number_systems_types_and_the_clock_from_the_report() -> None:
    data = _spec("001")
    # 合同编号 (L3) is blank; the cover carries 20241149308 (L17); 常采单[2022]0066 is the
    # procurement's number (L21).
    assert data["contract"]["number"] == "20241149308"
    assert "常采单[2022]0066" in data["contract"]["procurement_note"]
    names = {a["name"] for a in data["assets"]["items"]}
    assert {"统一经办门户", "公服网办大厅", "江苏智慧人社 APP", "智慧人社小程序", "权限系统",
            "开放平台", "人力资源市场系统", "社会保障卡系统", "机关事业单位养老保险系统",
            "省一体化系统常州创新区"} <= names  # L31–36
    types = {t["code"]: t["category"] for t in data["tickets"]["types"]}
    assert {"interface_test", "bulk_query", "bulk_processing", "db_training",
            "ops_training"} <= set(types)  # L52–58
    assert types["security_incident"] == "security_incident"  # L134
    # L104 "在接到服务请求或发现问题后1小时内到达指定工作岗位": from the report.
    assert _stage(data, "arrive")["start"] == "reported"


# --- 002 ----------------------------------------------------------------------------------


def test_002_each_rule_only_for_its_own_assets() -> None:
    data = _spec("002")
    when = {t["stage"]: t.get("when", {}) for t in data["service_levels"]["targets"]}
    assert when["ups-repair"]["asset_type"] == "ups"  # L7445, L7530
    assert when["ups-onsite"]["asset_type"] == "ups"  # L7441–7444
    assert when["fiber-respond"] == {"asset_type": "bare-fiber"}  # L7599
    assert when["hw-onsite"] == {"asset_type": "hw-maint"}  # L7317–7320
    ca = {t["when"]["area_class"]: t["within"]["amount"] for t in _targets(data, "ca-onsite")}
    assert ca == {"urban": 2, "suburban": 4}  # L7068–7070
    # Nothing on the respond stage relaxes §6.1(5)'s 15 minutes for some assets.
    assert not [t for t in _targets(data, "respond") if "asset_type" in t.get("when", {})]
    fault = next(t for t in _targets(data, "respond") if t.get("when") == {"ticket_type": "fault"})
    assert fault["within"] == {"amount": 15, "unit": "minutes"}  # L8021


def test_002_kpis_clocks_and_the_on_site_condition() -> None:
    data = _spec("002")
    kpis = {t["clause"][:4]: t["kpi"] for t in data["service_levels"]["targets"] if "kpi" in t}
    assert kpis == {"运维需求": {"above_percent": 90},  # §6.1(2), L8015
                    "运维工单": {"above_percent": 95}}  # §6.1(3), L8017
    stages = {s["code"] for s in data["service_levels"]["stages"]}
    assert "remote" not in stages  # the 0.5 h / 1 h are a condition (L8390–8403)
    assert _stage(data, "onsite")["start"] == "onsite_requested"
    assert _stage(data, "expert-onsite")["start"] == "reported"  # L7228–7229
    calendar = next(c for c in data["calendars"]
                    if c["code"] == data["service_levels"]["fault_levels"]["calendar"])
    assert calendar["holidays"] is False  # L8380–8386: clock windows on every day


def test_002_b3_battery_group_and_the_rooms() -> None:
    items = {a["code"]: a for a in _spec("002")["assets"]["items"]}
    b3 = items["bat-yp-b3"]
    assert b3["attributes"] == {"cells": 186} and b3["site"] == "yp-machine-room"  # L7561
    rooms = [a for a in items.values() if a["code"].startswith("rooms-p")]
    assert len(rooms) == 42  # §4.2.3.1 第四～八部分, L7767–7867 (2.2.5, L4402–4523)
    assert sum(a.get("quantity", 1) for a in rooms if a["type"] == "projector") == 8
    assert sum(a.get("quantity", 1) for a in rooms if a["type"] == "conference-tv") == 10


# --- 004 ----------------------------------------------------------------------------------


def test_004_clauses_the_format_cannot_say_yet_are_kept_in_notes() -> None:
    notes = _spec("004")["contract"]["notes"]
    assert "在15个工作日内作出书面答复（7.1.10）" in notes  # L181
    assert "在10个工作日内向甲方移交" in notes  # L221
    parts = _spec("004")["spare_parts"]["part_types"]
    assert all(p["must_be_new"] for p in parts)  # 7.2.14, L217
    assert Decimal(str(_spec("004")["contract"]["amount"])) == Decimal("2091800")
