"""The example specs' ``maintenance`` sections say what their seeds say (PM-01..07): each
plan and item kept to the cadence, wording and people the seed names, the seed's line cited
beside it, and nothing the seed does not give (no thresholds, photos, times or penalties
invented). Line numbers are those of the seed files in ``/work/shared/seeds``; the checks
that read the seeds are skipped where the seeds are not present."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import load_yaml
from weibao.maintenance.choices import Frequency, PlanScope, SignatureRule
from weibao.maintenance.models import MaintenancePlan

from .conftest import EXAMPLES

SEEDS = Path("/work/shared/seeds")
CITATION = re.compile(r"#.*?seed (\d{3}) ((?:L\d+(?:–\d+)?(?:, )?)+)")


def _path(prefix: str) -> Path:
    return next(EXAMPLES.glob(f"{prefix}-*.yaml"))


def _section(prefix: str) -> dict[str, Any]:
    return load_yaml(_path(prefix).read_text("utf-8"))["maintenance"]


def _seed_lines(prefix: str) -> list[str]:
    files = list(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("the seed files are not present")
    return files[0].read_text("utf-8").splitlines()


def _maintenance_lines(prefix: str) -> list[str]:
    lines = _path(prefix).read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("maintenance:"))
    # The section's own comment block sits just above its key.
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return lines[start:]


def _cited(text: str) -> list[int]:
    numbers: list[int] = []
    for match in CITATION.finditer(text):
        for part in re.findall(r"L(\d+)(?:–(\d+))?", match.group(2)):
            first = int(part[0])
            numbers.extend(range(first, int(part[1] or first) + 1))
    return numbers


def _items(section: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return next(c for c in section["checklists"] if c["code"] == code)["items"]


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_every_plan_and_item_cites_a_seed_line_that_has_text(prefix: str) -> None:
    """Each item and plan line of the section carries a citation into its seed, and every
    cited line exists (seeds have blank lines: a cited range may span one)."""
    lines = _maintenance_lines(prefix)
    plans = lines.index("  plans:")
    for index, line in enumerate(lines):
        is_item = re.match(r"\s+- \{code: .*kind:", line)
        is_plan = index > plans and re.match(r"    - code: ", line)
        if is_item or is_plan:
            assert f"seed {prefix} L" in line, f"no seed citation: {line}"
    seed = _seed_lines(prefix)
    cited = [n for line in lines for n in _cited(line)]
    assert cited
    for number in cited:
        assert number <= len(seed)
    firsts = [int(m) for line in lines for m in re.findall(r"seed \d{3} L(\d+)", line)]
    assert all(seed[n - 1].strip() for n in firsts), "a citation starts on a blank line"


def test_000_items_are_the_seeds_words_on_the_cited_lines() -> None:
    """PM-01: 14 items for 社保卡受理网点 (L116–130), 13 for 居住证受理网点 (L134–148); each
    item's text is on the line it cites."""
    section = _section("000")
    assert len(_items(section, "sbk-outlet")) == 14
    assert len(_items(section, "rp-outlet")) == 13
    seed = _seed_lines("000")
    for line in _maintenance_lines("000"):
        text = re.search(r"text: ([^,]+(?:，[^,]+)*), kind:", line)
        if text is None:
            continue
        number = _cited(line)[0]
        assert text.group(1) in seed[number - 1], (number, text.group(1))


def test_000_monthly_plans_signed_by_outlet_staff_and_missed_is_a_breach() -> None:
    """PM-01/02/09: each outlet once a calendar month (L111); the 受理网点维护单 signed by the
    outlet's staff (L129, L146); 未按约检查 is a breach at 1 % (L170)."""
    plans = {p["code"]: p for p in _section("000")["plans"]}
    assert set(plans) == {"sbk-monthly", "rp-monthly"}
    for code, site_type in (("sbk-monthly", "sbk-outlet"), ("rp-monthly", "rp-outlet")):
        plan = plans[code]
        assert plan["frequency"] == Frequency.MONTHLY
        assert plan["scope"] == {"site_types": [site_type]}
        assert plan["signature"] == SignatureRule.SITE_STAFF
        assert plan["sheet_title"] == "受理网点维护单"
        assert plan["missed"] == {"breach": True, "penalty_percent": 1}
    seed = _seed_lines("000")
    assert "每个服务网点每个月必须维护一次" in seed[111 - 1]
    assert "受理网点维护单" in seed[129 - 1] and "网点工作人员签字" in seed[129 - 1]
    assert "未按约检查" in seed[170 - 1] and "1%" in seed[170 - 1]


def test_000_asset_verification_item_on_each_outlet_checklist() -> None:
    """AST-08: 核实网点资产 is an asset verification item of both checklists."""
    section = _section("000")
    for code in ("sbk-outlet", "rp-outlet"):
        kinds = {i["text"]: i["kind"] for i in _items(section, code)}
        assert kinds["核实网点资产"] == "asset_verification"


def test_002_twice_daily_checks_without_invented_times() -> None:
    """PM-03: the seven CA / e-seal / timestamp / RA / 电子营业执照 systems are checked 早晚两次
    every day; the full software inspection likewise (L7104). The seed names no clock times,
    so the two checks have none."""
    section = _section("002")
    plans = {p["code"]: p for p in section["plans"]}
    for code in ("ca-twice-daily", "sw-twice-daily"):
        plan = plans[code]
        assert plan["frequency"] == Frequency.DAILY and plan["scope"] == {"contract": True}
        assert [c["code"] for c in plan["checks"]] == ["morning", "evening"]
        assert all(set(c) == {"code", "name"} for c in plan["checks"])
    assert len(_items(section, "ca-systems")) == 7
    seed = _seed_lines("002")
    for number in (6486, 6510, 6533, 6557, 6604, 6650, 6692):
        assert "早晚两次检查" in seed[number - 1]
    assert "每天早晚提供二次全面巡检服务" in seed[7104 - 1]
    assert "巡检群进行通报" in seed[7111 - 1]


def test_002_database_hardware_ups_and_event_cadences() -> None:
    """PM-04/05/07: database daily / monthly / quarterly shutdown checks and quarterly cold
    backup (L6159, L6163); hardware monthly and quarterly (L7309–7311); UPS monthly
    inspection, quarterly maintenance and half-yearly cleaning per UPS (L7457–7475); the day
    before a major event (L7325)."""
    plans = {p["code"]: p for p in _section("002")["plans"]}
    assert {code: p["frequency"] for code, p in plans.items()} == {
        "ca-twice-daily": "daily", "sw-twice-daily": "daily", "db-daily": "daily",
        "db-monthly": "monthly", "db-quarterly-shutdown": "quarterly",
        "db-cold-backup": "quarterly", "hw-monthly": "monthly", "hw-quarterly": "quarterly",
        "event-eve": "before_event", "ups-monthly": "monthly", "ups-quarterly": "quarterly",
        "ups-half-yearly": "half_yearly"}
    for code in ("ups-monthly", "ups-quarterly", "ups-half-yearly"):
        assert plans[code]["scope"] == {"asset_types": ["ups"]}
    seed = _seed_lines("002")
    assert "每日巡检、月度系统巡检、季度全面停机巡检" in seed[6159 - 1]
    assert "每季度进行数据库冷备" in seed[6163 - 1]
    assert "每个月硬件进行预防性维护保养" in seed[7309 - 1]
    assert "每季度对系统进行一次阶段性维护保养" in seed[7311 - 1]
    assert "活动前一天的设备巡查" in seed[7325 - 1]
    assert "每三个月进行一次常规维护保养" in seed[7457 - 1]
    assert "每半年一次对 UPS 作必要的清扫" in seed[7461 - 1]
    assert "每月巡检一次" in seed[7475 - 1]


def test_004_cadence_free_inspections_are_on_demand() -> None:
    """PM-06: seed 004 L57 names hardware, resource-pool and system security inspections and
    periodic VM scans without a cadence: every plan is on_demand."""
    plans = _section("004")["plans"]
    assert {p["frequency"] for p in plans} == {Frequency.ON_DEMAND}
    assert "定期完成虚拟机的安全扫描" in _seed_lines("004")[57 - 1]


def test_001_has_no_maintenance_section() -> None:
    """Seed 001 has no inspection clause: its example has no section, and says why."""
    text = _path("001").read_text("utf-8")
    assert "maintenance" not in load_yaml(text)
    assert "# No maintenance section" in text


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_nothing_the_seeds_do_not_give(prefix: str) -> None:
    """No numeric thresholds, required photos, check times or penalties beyond 000's 1 %
    (only seed 000 has a breach clause for inspections)."""
    section = _section(prefix)
    for checklist in section["checklists"]:
        for item in checklist["items"]:
            assert not {"range", "normal", "photo", "unit"} & set(item), item
    for plan in section["plans"]:
        assert all("start" not in c and "end" not in c for c in plan.get("checks", []))
        if prefix != "000":
            assert "missed" not in plan and plan.get("signature", "none") == "none"


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "plans"), [("000", 2), ("002", 12), ("004", 4)])
def test_examples_import_their_plans(prefix: str, plans: int) -> None:
    """The examples import; plans resolve their site and asset types."""
    contract = import_text(_path(prefix).read_text("utf-8")).contract
    recorded = MaintenancePlan.objects.filter(contract=contract)
    assert recorded.count() == plans
    for plan in recorded:
        if plan.scope == PlanScope.SITE:
            assert plan.site_types.exists()
        elif plan.scope == PlanScope.ASSET:
            assert plan.asset_types.exists()
