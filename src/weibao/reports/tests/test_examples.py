"""The example specs' ``deliverables`` sections say what their seeds say (RPT-01..06): each
report kept to the cadence and deadline the seed names, the seed's line cited beside it, no
deadline or penalty the seed does not give, and the 002 payment milestone naming a report
that exists. Line numbers are those of the seed files in ``/work/shared/seeds``; the checks
that read the seeds are skipped where the seeds are not present."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from weibao.contracts.spec.loader import load_yaml
from weibao.reports.choices import Cadence, TriggerKind
from weibao.reports.models import Deliverable, Submission
from weibao.reports.schedule import event_due, periods

from .conftest import EXAMPLES, at

SEEDS = Path("/work/shared/seeds")
CITATION = re.compile(r"#.*?seed (\d{3}) ((?:L\d+(?:–\d+)?(?:, )?)+)")
PREFIXES = ["000", "001", "002", "004"]


def _path(prefix: str) -> Path:
    return next(EXAMPLES.glob(f"{prefix}-*.yaml"))


def _spec(prefix: str) -> dict[str, Any]:
    return load_yaml(_path(prefix).read_text("utf-8"))


def _section(prefix: str) -> dict[str, dict[str, Any]]:
    return {entry["code"]: entry for entry in _spec(prefix)["deliverables"]}


def _seed_lines(prefix: str) -> list[str]:
    files = list(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("the seed files are not present")
    return files[0].read_text("utf-8").splitlines()


def _entry_lines(prefix: str) -> list[str]:
    """The section's lines whose entries begin with ``- code:``."""
    lines = _path(prefix).read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("deliverables:"))
    return [line for line in lines[start:] if line.lstrip().startswith("- code:")]


def _cited(text: str) -> list[int]:
    """The cited lines: single lines and the first and last line of each range (a range may
    span the seed's blank lines between paragraphs)."""
    numbers: list[int] = []
    for match in CITATION.finditer(text):
        for part in re.findall(r"L(\d+)(?:–(\d+))?", match.group(2)):
            numbers.extend({int(part[0]), int(part[1] or part[0])})
    return numbers


def _seed_text(prefix: str, *numbers: int) -> str:
    seed = _seed_lines(prefix)
    return "".join(seed[n - 1] for n in numbers).replace(" ", "")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_deliverable_cites_a_seed_line_that_has_text(prefix: str) -> None:
    """RPT-01..06: each deliverable cites the seed line(s) it transcribes; each cited line
    exists and is not blank."""
    seed = _seed_lines(prefix)
    for line in _entry_lines(prefix):
        cited = _cited(line)
        assert cited, f"no seed citation on {line!r}"
        assert all(1 <= n <= len(seed) and seed[n - 1].strip() for n in cited), line


def test_000_weekly_before_tuesday_and_monthly_by_the_21st() -> None:
    """RPT-01: seed 000 L107 — 《网点运维周报表》 每周二前, 《网点运维月报表》 每月 21 日前; the
    维护单 go with the monthly report (no deliverable of their own); a late one is a breach of
    1 % (第七条 L170)."""
    text = _seed_text("000", 107)
    assert "每周二前向甲方递交《网点运维周报表》" in text and "每月21日前" in text
    assert "《受理网点维护单》" in text
    assert "每次构成违约即支付合同价款的1%" in _seed_text("000", 170)
    section = _section("000")
    assert list(section) == ["weekly-report", "monthly-report"]
    weekly, monthly = section["weekly-report"], section["monthly-report"]
    assert (weekly["name"], weekly["cadence"], weekly["due"]) == (
        "网点运维周报表", "weekly", {"weekday": 2, "before": True})
    assert (monthly["name"], monthly["cadence"], monthly["due"]) == (
        "网点运维月报表", "monthly", {"day": 21})
    assert "inspections" in monthly["sections"]  # the month's signed 维护单
    for entry in (weekly, monthly):
        assert entry["missed"] == {"breach": True, "penalty_percent": 1}


def test_002_deadlines_are_the_seeds() -> None:
    """RPT-02..05: seed 002 — the month's plan by the 5th (L4558), UPS reports within a week
    of the UPS visits (L7471, L7478), half-yearly report reviewed within 10 working days
    (L8036–8038), quarterly versions and data statistics (L8019, L8046), the final summary
    at the end of the service period (L8050–8054); no penalty anywhere."""
    assert "每月5日前向采购人提交本月度维护计划" in _seed_text("002", 4558)
    assert "结束后一周内提交UPS维护保养检查报告" in _seed_text("002", 7471)
    assert "巡检完成后一周提交巡检汇总报告" in _seed_text("002", 7478)
    assert "10个工作日内，完成运行维护服务质量考核" in _seed_text("002", 8038)
    assert "按季度提供产品及对应版本号" in _seed_text("002", 8019)
    assert "按季度提供数据归集情况统计分析报告" in _seed_text("002", 8046)
    section = _section("002")
    plan = section["monthly-plan"]
    assert (plan["cadence"], plan["covers"], plan["due"]) == ("monthly", "current", {"day": 5})
    for code, visit_plan in (("ups-maintenance-report", "ups-quarterly"),
                             ("ups-inspection-report", "ups-monthly")):
        assert section[code]["trigger"] == {"visit_done": visit_plan}
        assert section[code]["due"] == {"after": {"amount": 7, "unit": "days"}}
    assert section["half-yearly-report"]["cadence"] == "half_yearly"
    assert section["half-yearly-report"]["review_within_working_days"] == 10
    assert section["final-summary"]["trigger"] == {"contract_end": True}
    assert {section[c]["cadence"] for c in ("quarterly-versions", "quarterly-data")} == {
        "quarterly"}
    assert section["quarterly-versions"]["sections"] == ["versions"]
    assert section["monthly-effort"]["sections"] == ["effort"]
    # The seed names no deadline for these: the format's default, no invented due rule.
    for code in ("monthly-report", "monthly-effort", "quarterly-versions", "quarterly-data",
                 "half-yearly-report", "domino-annual-summary", "final-summary"):
        assert "due" not in section[code], code
    assert all("missed" not in entry for entry in section.values())


def test_002_second_instalment_waits_for_the_october_monthly_report() -> None:
    """RPT-04, PAY-01: seed 002 5.2 b (L2310) — the second instalment follows the acceptance
    of the 合同签订之日起至 10 月运维月报; the milestone names monthly-report-10, the October
    period of the file's monthly report, which the workflow records on acceptance."""
    assert "合同签订之日起至10月运维月报" in _seed_text("002", 2310)
    spec = _spec("002")
    named = [m["trigger"]["deliverable"] for m in spec["payment"]["milestones"]
             if m["trigger"]["kind"] == "after_deliverable"]
    assert named == ["monthly-report-10"]
    section = _section("002")
    assert section["monthly-report"]["cadence"] == "monthly"
    assert "monthly-report-10" not in section  # a period of monthly-report, not a report


@pytest.mark.django_db
def test_002_accepting_october_dates_the_second_instalment(ca) -> None:
    """PAY-01: accepting the October report of monthly-report records monthly-report-10,
    the code the example's milestone waits for; September's does not."""
    from weibao.contracts.choices import ContractEventKind
    from weibao.reports.services.workflow import _payment_codes

    report = Deliverable.objects.get(contract=ca.contract, code="monthly-report")
    codes = []
    for month in (9, 10):
        submission = Submission(contract=ca.contract, deliverable=report, key=f"2025-{month:02d}",
                                period_start=datetime.date(2025, month, 1),
                                period_end=datetime.date(2025, month, 28),
                                due_at=at(f"2025-{month + 1:02d}-02 00:00"))
        codes.append(_payment_codes(submission))
    assert codes == [["monthly-report"], ["monthly-report", "monthly-report-10"]]
    assert not ca.contract.events.filter(kind=ContractEventKind.DELIVERABLE_ACCEPTED).exists()


def test_004_year_end_summary_and_handover_list() -> None:
    """RPT-06: seed 004 7.2.16 (L221) — the summary at the end of the year's service, the
    handover list within 10 working days; 7.1.10 (L181) — the purchaser answers within 15
    working days; a breach without a penalty (十, no amount per breach)."""
    assert "在10个工作日内向甲方移交" in _seed_text("004", 221)
    assert "在15个工作日内作出书面答复" in _seed_text("004", 181)
    section = _section("004")
    summary, handover = section["annual-summary"], section["handover-list"]
    assert summary["trigger"] == handover["trigger"] == {"contract_end": True}
    assert "due" not in summary
    assert handover["due"] == {"after": {"amount": 10, "unit": "working_days"}}
    for entry in section.values():
        assert entry["review_within_working_days"] == 15
        assert "penalty_percent" not in entry.get("missed", {})
    assert "due" not in section["vm-security-report"]  # the seed names no deadline


def test_001_security_incident_report_after_the_incident() -> None:
    """RPT-06: seed 001 六 2(5) (L134) — a 安全事件报告 after each security incident, no
    deadline and no penalty given."""
    assert "形成安全事件报告报甲方备案" in _seed_text("001", 134)
    section = _section("001")
    assert list(section) == ["security-incident-report"]
    entry = section["security-incident-report"]
    assert entry["trigger"] == {"ticket_restored": "security_incident"}
    assert "due" not in entry and "missed" not in entry


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "count"), [("000", 2), ("001", 1), ("002", 10),
                                               ("004", 3)])
def test_examples_import_their_deliverables(prefix: str, count: int) -> None:
    """RPT-01: each example imports, its deliverables recorded with triggers resolved to the
    contract's own plans and ticket types."""
    from weibao.contracts.spec.importer import import_text

    contract = import_text(_path(prefix).read_text("utf-8")).contract
    rows = list(Deliverable.objects.filter(contract=contract).select_related(
        "trigger_plan", "trigger_ticket_type"))
    assert len(rows) == count
    for row in rows:
        if row.trigger == TriggerKind.VISIT_DONE:
            assert row.trigger_plan is not None and row.trigger_plan.contract_id == contract.pk
        if row.trigger == TriggerKind.TICKET_RESTORED:
            assert row.trigger_ticket_type is not None
            assert row.trigger_ticket_type.contract_id == contract.pk


def test_000_due_times_on_the_calendar(outlets) -> None:
    """RPT-01: the week of 6–12 October 2025 is due before Tuesday 14 October (00:00); the
    month of September by the end of 21 October — calendar days, the 国庆 holidays move
    neither."""
    rows = {d.code: d for d in Deliverable.objects.filter(contract=outlets.contract)}
    weekly = periods(rows["weekly-report"], datetime.date(2025, 10, 6),
                     datetime.date(2025, 10, 12))
    assert [(p.key, due) for p, due in weekly] == [("2025-W41", at("2025-10-14 00:00"))]
    monthly = periods(rows["monthly-report"], datetime.date(2025, 9, 1),
                      datetime.date(2025, 9, 30))
    assert [(p.key, due) for p, due in monthly] == [("2025-09", at("2025-10-22 00:00"))]
    assert rows["monthly-report"].cadence == Cadence.MONTHLY


def test_002_ups_report_due_a_week_after_the_visit(ca) -> None:
    """RPT-05: a UPS quarterly maintenance done on Friday 26 September 2025 asks for its
    report by the end of Friday 3 October (7 calendar days, 国庆 included)."""
    report = Deliverable.objects.get(contract=ca.contract, code="ups-maintenance-report")
    assert event_due(report, at("2025-09-26 15:00")) == at("2025-10-04 00:00")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_examples_export_their_deliverables_as_written(prefix: str) -> None:
    """RPT-01: the export of each example's deliverables is the file's section, key for key
    (defaults left out as the file leaves them out)."""
    from weibao.contracts.spec.exporter import export_data
    from weibao.contracts.spec.importer import import_text

    contract = import_text(_path(prefix).read_text("utf-8")).contract
    exported = export_data(contract)["deliverables"]
    assert [dict(entry) for entry in exported] == _spec(prefix)["deliverables"]
