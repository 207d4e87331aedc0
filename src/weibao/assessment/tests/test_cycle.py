"""The assessment cycle (ASM-01, ASM-02, ASM-03, ASM-06, PAY-03): create, compute, enter by
hand with a proof, the vendor's review, the purchaser's confirmation, the supervisor's
decisions, finalise (frozen snapshot and SM3 digest, the contract's final-assessment event)
and the roles allowed at each step."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from weibao.assessment.choices import AssessmentStatus, LineStatus
from weibao.assessment.models import Assessment, AssessmentLine, Breach
from weibao.assessment.selectors import visible_assessments, visible_breaches
from weibao.assessment.services.cycle import (
    canonical_json,
    compute,
    confirm,
    create_assessment,
    decide_line,
    enter_manual,
    finalise,
    result,
    review_line,
    submit_review,
)
from weibao.assessment.services.errors import AssessmentConflict, StaleRecord
from weibao.assessment.services.ledger import sync_ledger, waive_breach
from weibao.assessment.tests.conftest import Setup, _setup
from weibao.assessment.tests.test_ledger import late_reports
from weibao.contracts.choices import ContractEventKind, PartyRole
from weibao.core.crypto import digest
from weibao.security.signing import signature_valid
from weibao.testing.calendars import ensure_national_calendars

D = Decimal


def whole_period(setup: Setup, final: bool = True) -> Assessment:
    contract = setup.contract
    return create_assessment(contract, setup.people["purchaser"], contract.start_date,
                             contract.end_date, is_final=final)


def lines(assessment: Assessment) -> list[AssessmentLine]:
    return list(assessment.lines.select_related("item").order_by("item__sequence"))


def score_001(setup: Setup, points: list[str], final: bool = True) -> Assessment:
    """Seed 001: the purchaser enters the five items' points (all scored by hand)."""
    assessment = compute(whole_period(setup, final), setup.people["purchaser"])
    for row, value in zip(lines(assessment), points, strict=True):
        enter_manual(row, setup.people["purchaser"], points=D(value), note="考核小组评分")
    assessment.refresh_from_db()
    return assessment


def criteria_002(setup: Setup, met: int) -> Assessment:
    """Seed 002: the first ``met`` criteria met, the others not (entered by hand)."""
    assessment = compute(whole_period(setup), setup.people["purchaser"])
    for index, row in enumerate(lines(assessment)):
        enter_manual(row, setup.people["purchaser"], met=index < met, note="年度考核会议纪要")
    assessment.refresh_from_db()
    return assessment


def close(setup: Setup, assessment: Assessment) -> Assessment:
    """The vendor agrees with everything, the purchaser confirms and finalises."""
    for row in lines(assessment):
        review_line(row, setup.people["manager"], agree=True)
    submit_review(assessment, setup.people["manager"])
    confirm(assessment, setup.people["purchaser"])
    return finalise(assessment, setup.people["purchaser"])


@pytest.mark.parametrize(("points", "factor"), [
    (["20", "10", "20", "20", "14.99"], D("90")),   # 84.99
    (["20", "10", "20", "20", "15"], D("90")),      # 85 (含85分)
    (["20", "10", "20", "20", "15.01"], D("100")),  # 85.01
    (["20", "10", "20", "20", "10"], D("90")),      # 80
    (["20", "10", "20", "20", "5"], D("80")),       # 75
])
def test_seed_001_score_bands(onsite: Setup, points: list[str], factor: Decimal) -> None:
    """ASM-01, PAY-03 [001 第一条四]: above 85 pays all, 75–85 (85 included) 90 %."""
    assessment = score_001(onsite, points)
    assert result(assessment).factor == factor
    assert assessment.factor == factor
    assert assessment.score == sum((D(p) for p in points), D(0))


def test_seed_001_points_are_capped(onsite: Setup) -> None:
    """ASM-01: 25 points entered on a 20-point item count 20."""
    assessment = compute(whole_period(onsite), onsite.people["purchaser"])
    row = lines(assessment)[0]
    entered = enter_manual(row, onsite.people["purchaser"], points=D(25), note="评分")
    assert entered.points == D("20.00")
    assert entered.manual and entered.entered_by == onsite.people["purchaser"]


def test_manual_entry_needs_a_proof_or_note(onsite: Setup) -> None:
    assessment = compute(whole_period(onsite), onsite.people["purchaser"])
    with pytest.raises(ValidationError) as refused:
        enter_manual(lines(assessment)[0], onsite.people["purchaser"], points=D(18))
    assert "proof_note" in refused.value.message_dict


def test_score_waits_for_every_item(onsite: Setup) -> None:
    """ASM-01: no score while an item has no points."""
    assessment = compute(whole_period(onsite), onsite.people["purchaser"])
    enter_manual(lines(assessment)[0], onsite.people["purchaser"], points=D(18), note="评分")
    assessment.refresh_from_db()
    assert assessment.score is None
    assert not result(assessment).complete


@pytest.mark.parametrize(("met", "rating", "factor"), [
    (7, "优秀", D(100)), (6, "良好", D(100)), (5, "一般", D(97)), (4, "", None)])
def test_seed_002_criteria_grades(ca: Setup, met: int, rating: str,
                                  factor: Decimal | None) -> None:
    """ASM-02, PAY-03 [002 §6]: 7 met 优秀, 6 良好 (100 %), 5 一般 (97 %), 4 no grade."""
    assessment = criteria_002(ca, met)
    figures = result(assessment)
    assert (figures.criteria_met, figures.rating, figures.factor) == (met, rating, factor)


def test_seed_002_value_compared_with_threshold(ca: Setup) -> None:
    """ASM-02: 数据完整性和准确率 大于 98%: 98 is not met, 98.5 is."""
    assessment = compute(whole_period(ca), ca.people["purchaser"])
    row = next(r for r in lines(assessment) if r.item.code == "data-reporting")
    assert enter_manual(row, ca.people["purchaser"], value=D(98), note="抽查").met is False
    assert enter_manual(row, ca.people["purchaser"], value=D("98.5"), note="抽查").met is True


def test_seed_000_ledger_method(outlets: Setup) -> None:
    """ASM-03: the ledger alone — factor 100 %, the period's penalties, termination at 5."""
    late_reports(outlets.contract, [f"2025-10-{d:02d} 10:00" for d in (1, 2, 3, 4, 5)])
    assessment = compute(whole_period(outlets), outlets.people["purchaser"])
    figures = result(assessment)
    assert (figures.factor, figures.breach_count, figures.penalties) == (
        D(100), 5, D("83190.00"))
    assert figures.termination_right
    assert figures.termination_penalty == D("332760.00")
    waive_breach(Breach.objects.first(), outlets.people["purchaser"], "平台故障")  # type: ignore[arg-type]
    assessment = compute(assessment, outlets.people["purchaser"])
    figures = result(assessment)
    assert (figures.breach_count, figures.penalties, figures.termination_right) == (
        4, D("66552.00"), False)
    assert Breach.objects.count() == 5


def test_final_is_frozen_and_records_the_contract_event(onsite: Setup) -> None:
    """ASM-06, PAY-03: finalising freezes snapshot, digest and figures; later records never
    change them; compute and entries are refused; the FINAL_ASSESSMENT event carries the
    factor, the score and the penalties."""
    late_reports(onsite.contract, ["2022-05-23 10:00"], prefix="early")
    assessment = close(onsite, score_001(onsite, ["20", "10", "20", "20", "10"]))
    assert assessment.status == AssessmentStatus.FINAL
    assert assessment.digest == digest(canonical_json(assessment.snapshot), "sm3")
    assert assessment.digest_algorithm == "sm3"
    # PLT-03: the final assessment's digest carries the installation's SM2 signature
    assert signature_valid("assessment.final", assessment.pk, assessment.digest) is True
    event = assessment.contract_event
    assert event is not None and event.kind == ContractEventKind.FINAL_ASSESSMENT
    assert (event.factor, event.score, event.penalties) == (D(90), D(80), D("4360.00"))
    frozen = (dict(assessment.snapshot), assessment.digest, result(assessment))
    late_reports(onsite.contract, ["2022-06-01 10:00"])
    sync_ledger()
    waive_breach(Breach.objects.get(submission__key="early0"), onsite.people["purchaser"],
                 "事后豁免")
    with pytest.raises(AssessmentConflict):
        compute(assessment, onsite.people["purchaser"])
    with pytest.raises(AssessmentConflict):
        enter_manual(lines(assessment)[0], onsite.people["purchaser"], points=D(1),
                     note="改分")
    assessment.refresh_from_db()
    assert (assessment.snapshot, assessment.digest, result(assessment)) == frozen
    assert (result(assessment).penalties, result(assessment).breach_count) == (D("4360.00"), 1)
    assert assessment.snapshot["breaches"][0]["status"] == "recorded"


def test_final_must_cover_the_service_period_and_is_unique(onsite: Setup) -> None:
    contract, purchaser = onsite.contract, onsite.people["purchaser"]
    with pytest.raises(ValidationError) as refused:
        create_assessment(contract, purchaser, contract.start_date,
                          contract.end_date - datetime.timedelta(days=1), is_final=True)
    assert "is_final" in refused.value.message_dict
    with pytest.raises(ValidationError):
        create_assessment(contract, purchaser, contract.start_date - datetime.timedelta(1),
                          contract.end_date)
    whole_period(onsite)
    with pytest.raises(AssessmentConflict):
        whole_period(onsite)
    first = create_assessment(contract, purchaser, datetime.date(2022, 2, 1),
                              datetime.date(2022, 7, 31))
    assert first.status == AssessmentStatus.DRAFT
    with pytest.raises(AssessmentConflict):
        create_assessment(contract, purchaser, datetime.date(2022, 7, 1),
                          datetime.date(2022, 12, 31))


def test_permission_matrix(onsite: Setup) -> None:
    """ASM-06, PLT-01: the vendor cannot enter or confirm; the purchaser cannot review (nor
    edit the vendor's comment); the supervisor decides; an outsider sees nothing."""
    people = onsite.people
    with pytest.raises(PermissionDenied):
        whole_period(Setup(onsite.contract, {"purchaser": people["manager"]}))
    assessment = score_001(onsite, ["20", "10", "20", "20", "10"])
    first, *rest = lines(assessment)
    with pytest.raises(PermissionDenied):
        enter_manual(first, people["manager"], points=D(20), note="自评")
    with pytest.raises(PermissionDenied):
        review_line(first, people["purchaser"], agree=True)
    with pytest.raises(PermissionDenied):
        review_line(first, people["outsider"], agree=True)
    review_line(first, people["manager"], agree=False, comment="日常维护应得满分")
    for row in rest:
        review_line(row, people["manager"], agree=True)
    with pytest.raises(PermissionDenied):
        confirm(assessment, people["manager"])
    with pytest.raises(AssessmentConflict):
        confirm(assessment, people["purchaser"])  # not submitted yet
    submit_review(assessment, people["manager"])
    confirm(assessment, people["purchaser"], notes={first.pk: "出勤记录见附件"})
    first.refresh_from_db()
    assert (first.vendor_comment, first.purchaser_note) == ("日常维护应得满分", "出勤记录见附件")
    with pytest.raises(AssessmentConflict):
        finalise(assessment, people["purchaser"])  # a dispute waits for the supervisor
    with pytest.raises(PermissionDenied):
        decide_line(first, people["purchaser"], points=D(20), decision="维持")
    with pytest.raises(PermissionDenied):
        decide_line(first, people["manager"], points=D(20), decision="维持")
    decided = decide_line(first, people["supervisor"], points=D("19.5"),
                          decision="出勤记录缺两天")
    assert (decided.status, decided.points) == (LineStatus.DECIDED, D("19.5"))
    final = finalise(assessment, people["purchaser"])
    assert final.score == D("79.5")
    assert not visible_assessments(people["outsider"]).exists()
    assert not visible_breaches(people["outsider"]).exists()
    assert visible_assessments(people["supervisor"]).get() == final
    assert visible_assessments(people["engineer"]).exists() is True


def test_without_supervisor_the_purchaser_decides_at_confirmation(ca: Setup) -> None:
    """ASM-06: no supervisor party — the purchaser decides the disputed items when
    confirming."""
    ca.contract.parties.filter(role=PartyRole.SUPERVISOR).delete()
    assessment = criteria_002(ca, 5)
    rows = lines(assessment)
    review_line(rows[5], ca.people["manager"], agree=False, comment="数据准确率达标")
    for row in rows[:5] + rows[6:]:
        review_line(row, ca.people["manager"], agree=True)
    submit_review(assessment, ca.people["manager"])
    confirmed = confirm(assessment, ca.people["purchaser"],
                        decisions={rows[5].pk: {"met": True, "decision": "复核后达标"}})
    assert (confirmed.criteria_met, confirmed.rating, confirmed.factor) == (6, "良好", D(100))
    final = finalise(assessment, ca.people["purchaser"])
    assert final.contract_event is not None and final.contract_event.rating == "良好"


def test_stale_version_is_a_conflict(onsite: Setup) -> None:
    assessment = compute(whole_period(onsite), onsite.people["purchaser"])
    version = assessment.version
    enter_manual(lines(assessment)[0], onsite.people["purchaser"], points=D(18), note="评分",
                 expected_version=version)
    with pytest.raises(StaleRecord):
        enter_manual(lines(assessment)[1], onsite.people["purchaser"], points=D(8),
                     note="评分", expected_version=version)


def test_recompute_keeps_manual_entries(onsite: Setup) -> None:
    assessment = score_001(onsite, ["20", "10", "20", "20", "10"], final=False)
    again = compute(assessment, onsite.people["purchaser"])
    assert again.score == D(80)
    assert again.lines.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL")
def test_two_workers_compute_at_once(transactional_db: None) -> None:
    """ASM-06: two computations of the same draft at once give one line per item and one
    ledger entry per breach; neither fails."""
    ensure_national_calendars()  # a transactional test before may have flushed them
    setup = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    late_reports(setup.contract, [f"2025-10-{d:02d} 10:00" for d in range(1, 21)])
    assessment = whole_period(setup)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            compute(assessment.pk, setup.people["purchaser"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assessment.refresh_from_db()
    assert (assessment.breach_count, assessment.version) == (20, 3)
    assert Breach.objects.count() == 20


