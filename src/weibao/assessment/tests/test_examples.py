"""The example specs' ``assessment`` sections say what their seeds say (ASM-01..05, PAY-03):
seed 000 the breach ledger with its termination right, 001 five weighted items of 100 points
scored by hand, 002 seven criteria graded 优秀/良好/一般 with a factor band per grade, 004 no
scheme. Line numbers are those of the seed files in ``/work/shared/seeds``; the checks that
read the seeds are skipped where the seeds are not present."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from weibao.assessment.choices import Method, Metric, Scoring
from weibao.assessment.models import AssessmentItem, AssessmentScheme, PenaltyRule
from weibao.contracts.selectors import factor_for
from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.validate import spec_errors

from .conftest import EXAMPLES, Setup

SEEDS = Path("/work/shared/seeds")
CITATION = re.compile(r"#.*?seed (\d{3}) ((?:L\d+(?:–\d+)?(?:, )?)+)")


def _path(prefix: str) -> Path:
    return next(EXAMPLES.glob(f"{prefix}-*.yaml"))


def _section(prefix: str) -> dict[str, Any]:
    return load_yaml(_path(prefix).read_text("utf-8"))["assessment"]


def _seed(prefix: str) -> list[str]:
    files = list(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("the seed files are not present")
    return files[0].read_text("utf-8").splitlines()


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_every_example_is_valid(prefix: str) -> None:
    """ASM-01..05: the four example files pass the schema and the section's checks."""
    assert spec_errors(load_yaml(_path(prefix).read_text("utf-8"))) == []


def test_seed_000_is_the_ledger_with_termination_at_five_breaches() -> None:
    """ASM-03/04: seed 000 第七条 (L170) — no score, termination at 5 breaches and 20 % more;
    廉洁协议 十三 (L249) 1–5 %; the 1 % per other breach of 第一条、第二条及附件一."""
    section = _section("000")
    assert section["method"] == Method.LEDGER
    assert "items" not in section and "grades" not in section
    assert section["termination"] == {"breaches": 5, "penalty_percent": 20}
    rules = {p["code"]: p for p in section["penalties"]}
    assert (rules["integrity"]["min_percent"], rules["integrity"]["max_percent"]) == (1, 5)
    assert rules["other-breach"]["percent"] == 1
    seed = _seed("000")
    assert "累计达到5次违约" in _line(seed, 170) and "合同价款的20%" in _line(seed, 170)
    assert "1 至 5 %" in _line(seed, 249)


def test_seed_001_has_five_items_of_100_points_scored_by_hand() -> None:
    """ASM-01: seed 001 第一条四 (L66–92) — 日常维护 20, 响应度 10, 完成率 20, 满意率 20,
    出勤率 30 = 100; the seed gives no formula, so every item is scored by hand; penalties of
    第六条 (L178–184)."""
    section = _section("001")
    assert section["method"] == Method.SCORE and section["total_points"] == 100
    items = section["items"]
    assert [(i["name"], i["points"]) for i in items] == [
        ("日常维护", 20), ("响应度", 10), ("完成率", 20), ("满意率", 20),
        ("驻场工程师日常出勤率", 30)]
    assert sum(i["points"] for i in items) == section["total_points"]
    assert {i["scoring"] for i in items} == {Scoring.MANUAL}
    metrics = {i["code"]: i["metric"] for i in items}
    assert metrics["attendance"] == Metric.ATTENDANCE_RATE  # STF-04: measured, scored by hand
    assert metrics["responsiveness"] == Metric.STAGE_ATTAINMENT
    rules = {p["code"]: p for p in section["penalties"]}
    assert rules["not-rectified"]["percent"] == rules["service-not-rectified"]["percent"] == 20
    assert rules["false-commitment"] == {**rules["false-commitment"], "min_percent": 30}
    assert "max_percent" not in rules["false-commitment"]
    assert rules["intellectual-property"]["percent"] == 30
    seed = _seed("001")
    for number, name in ((70, "日常维护 20分"), (72, "响应度 10分"), (74, "完成率 20分"),
                         (76, "满意率 20分"), (78, "驻场工程师日常出勤率 30分")):
        assert name in _line(seed, number)
    assert "20%" in _line(seed, 178) and "不少于合同总价 30%" in _line(seed, 182)


def test_seed_002_has_seven_criteria_and_three_grades() -> None:
    """ASM-02: seed 002 §6.1 (L8013–8032) — seven criteria with the seed's thresholds, 7 优秀,
    6 良好, 5 一般; 6.2 (L8038) 10 working days; 十一 (L8529) 1–3 %."""
    section = _section("002")
    assert section["method"] == Method.CRITERIA and section["review_working_days"] == 10
    items = section["items"]
    assert len(items) == 7
    assert [(i["comparison"], i["threshold"]) for i in items] == [
        ("le", 60), ("gt", 90), ("gt", 95), ("eq", 100), ("ge", 100), ("gt", 98), ("gt", 95)]
    assert section["grades"] == [{"met": 7, "rating": "优秀"}, {"met": 6, "rating": "良好"},
                                 {"met": 5, "rating": "一般"}]
    by_code = {i["code"]: i for i in items}
    assert by_code["requirement-response"]["params"]["working_days"] == 5
    assert by_code["ticket-processing"]["params"] == {"working_days": 3}
    assert by_code["fault-response"]["params"]["minutes"] == 15
    assert by_code["versions-quarterly"]["params"] == {"deliverables": ["quarterly-versions"]}
    assert section["penalties"] == [{**section["penalties"][0], "min_percent": 1,
                                     "max_percent": 3}]
    seed = _seed("002")
    assert "60 日内" in _line(seed, 8013) and "大于 90%" in _line(seed, 8015)
    assert "大于 95%" in _line(seed, 8017) and "15 分钟" in _line(seed, 8021)
    assert "大于 98%" in _line(seed, 8024) and "大于 95%" in _line(seed, 8026)
    assert "7 条" in _line(seed, 8028) and "5 条" in _line(seed, 8032)
    assert "10 个工作日内" in _line(seed, 8038) and "1%-3%" in _line(seed, 8529)


def test_seed_004_has_no_scheme() -> None:
    """The 004 contract leaves its assessment blank (L143): no section, a comment says so."""
    text = _path("004").read_text("utf-8")
    assert "assessment" not in load_yaml(text)
    assert "No assessment section" in text


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_citations_point_at_the_clause(prefix: str) -> None:
    """Every ``seed NNN Lx`` cited in the section's comments names a line that exists."""
    seed = _seed(prefix)
    lines = _path(prefix).read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("assessment:"))
    cited = [int(n) for m in CITATION.finditer("\n".join(lines[start - 20:]))
             for n in re.findall(r"L(\d+)", m.group(2))]
    assert cited
    assert all(0 < n <= len(seed) and _line(seed, n).strip() for n in cited), cited


def test_imported_schemes_and_their_factors(onsite: Setup, ca: Setup, outlets: Setup) -> None:
    """PAY-03: the imported schemes read back as the files say; score 80 -> 90 % (001),
    一般 -> 97 % (002); every grade of 002 has a factor band; export gives the section back."""
    for setup, prefix in ((onsite, "001"), (ca, "002"), (outlets, "000")):
        assert export_data(setup.contract)["assessment"] == _section(prefix)
    scheme = AssessmentScheme.objects.get(contract=onsite.contract)
    assert scheme.total_points == Decimal("100.00")
    assert AssessmentItem.objects.filter(scheme=scheme).count() == 5
    assert factor_for(onsite.contract, score=Decimal(80)) == Decimal(90)
    grades = AssessmentScheme.objects.get(contract=ca.contract).grades
    assert [factor_for(ca.contract, rating=g["rating"]) for g in grades] == [
        Decimal(100), Decimal(100), Decimal(97)]
    ledger = AssessmentScheme.objects.get(contract=outlets.contract)
    assert (ledger.termination_breaches, ledger.termination_penalty_percent) == (
        5, Decimal("20.000"))
    assert PenaltyRule.objects.filter(contract=outlets.contract).count() == 2
