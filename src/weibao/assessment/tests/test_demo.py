"""The assessment demo: a waived breach on seed 000 and seed 001's half-year assessment
reviewed by the vendor, through the services, idempotent (ASM-03, ASM-06)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weibao.assessment import demo
from weibao.assessment.choices import AssessmentStatus, BreachStatus, LineStatus
from weibao.assessment.models import Assessment, Breach, PenaltyRule
from weibao.assessment.services.ledger import apply_penalty
from weibao.contracts.models import Contract
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import Role
from weibao.reports.demo import demo_person

from .conftest import EXAMPLES, at


@pytest.mark.django_db
def test_demo_waives_a_breach_and_leaves_a_reviewed_half_year() -> None:
    """000: the purchaser waives the earliest recorded breach with a reason — it stays in the
    ledger without its penalty. 001: the first half-year is computed, scored 80 by hand (a
    factor of 90 %), four items agreed and the attendance score disputed with a comment,
    the review submitted. A second run changes nothing."""
    for prefix in ("000", "001"):
        import_text(next(EXAMPLES.glob(f"{prefix}-*.yaml")).read_text("utf-8"))
    outlets = Contract.objects.get(number=demo.CONTRACTS["000"])
    purchaser = demo_person(outlets.purchaser.organisation,  # type: ignore[union-attr]
                            "purchaser", Role.PURCHASER_STAFF)
    rule = PenaltyRule.objects.filter(contract=outlets).first()
    assert rule is not None
    apply_penalty(outlets, purchaser, rule, rule.min_percent, at("2025-10-10 09:00"),
                  "演示违约", "演示")
    lines: list[str] = []
    demo.load_demo(lines.append)
    breach = Breach.objects.get(contract=outlets)
    assert breach.status == BreachStatus.WAIVED and breach.reason

    onsite = Contract.objects.get(number=demo.CONTRACTS["001"])
    assessment = Assessment.objects.get(contract=onsite)
    assert assessment.status == AssessmentStatus.VENDOR_REVIEWED
    assert (assessment.period_start.isoformat(), assessment.period_end.isoformat()) == (
        "2022-02-01", "2022-07-31")
    assert assessment.score == Decimal(80) and assessment.factor == Decimal(90)
    statuses = {line.item.code: line.status for line in assessment.lines.select_related("item")}
    assert statuses.pop(demo.DISPUTE) == LineStatus.DISPUTED
    assert set(statuses.values()) == {LineStatus.AGREED}

    version = assessment.version
    demo.load_demo(lines.append)
    assert Assessment.objects.get(contract=onsite).version == version
    assert Breach.objects.filter(contract=outlets, status=BreachStatus.WAIVED).count() == 1
