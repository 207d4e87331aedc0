"""The settlement (PAY-03): final price = amount × factor − penalties, the last instalment and
what each milestone should still pay — recorded by the final assessment, projected from a
draft with the same arithmetic."""

from __future__ import annotations

import datetime
from decimal import Decimal

from weibao.assessment.services.cycle import compute, create_assessment, enter_manual
from weibao.assessment.services.settlement import settlement
from weibao.assessment.tests.conftest import Setup
from weibao.assessment.tests.test_cycle import close, criteria_002, lines, score_001
from weibao.assessment.tests.test_ledger import late_reports
from weibao.contracts.choices import ContractEventKind
from weibao.contracts.models import PaymentMilestone
from weibao.contracts.services.events import record_contract_event
from weibao.contracts.services.payments import record_invoice, record_payment

D = Decimal


def pay(milestone: PaymentMilestone, day: datetime.date, amount: str) -> None:
    """An invoice of equal amount, then its payment (PAY-02)."""
    invoice = record_invoice(milestone, number=f"INV-{milestone.pk}", issued_on=day,
                             amount=D(amount))
    record_payment(milestone, paid_on=day, amount=D(amount), invoice=invoice)


def test_seed_001_score_80_pays_90_percent(onsite: Setup) -> None:
    """PAY-03 [001 第一条四, 第四条]: score 80 → 90 % of 436,000 = 392,400 in all; 10 % and
    40 % paid (43,600 + 174,400), the tail 174,400."""
    milestones = list(onsite.contract.milestones.order_by("sequence"))
    pay(milestones[0], datetime.date(2022, 10, 20), "43600")
    pay(milestones[1], datetime.date(2022, 10, 20), "174400")
    close(onsite, score_001(onsite, ["20", "10", "20", "20", "10"]))
    result = settlement(onsite.contract)
    assert not result.projected
    assert (result.factor, result.penalties, result.final_price) == (D(90), D(0),
                                                                    D("392400.00"))
    assert (result.paid, result.outstanding, result.last_instalment) == (
        D("218000.00"), D("174400.00"), D("174400.00"))
    assert [(line.amount, line.to_pay) for line in result.milestones] == [
        (D("43600.00"), D(0)), (D("174400.00"), D(0)), (D("174400.00"), D("174400.00"))]


def test_seed_001_draft_is_a_projection(onsite: Setup) -> None:
    """PAY-03: a draft scoring 85.01 projects the whole amount; nothing is recorded."""
    draft = score_001(onsite, ["20", "10", "20", "20", "15.01"])
    projected = settlement(onsite.contract, draft)
    assert projected.projected
    assert (projected.factor, projected.final_price, projected.last_instalment) == (
        D(100), D("436000.00"), D("218000.00"))
    assert not onsite.contract.events.filter(
        kind=ContractEventKind.FINAL_ASSESSMENT).exists()


def test_penalties_reduce_the_final_price(onsite: Setup) -> None:
    """PAY-03: a late report's 1 % (4,360) comes off the final price; waived ones would not."""
    late_reports(onsite.contract, ["2022-06-01 10:00"])
    draft = score_001(onsite, ["20", "10", "20", "20", "10"])
    projected = settlement(onsite.contract, draft)
    assert (projected.penalties, projected.final_price) == (D("4360.00"), D("388040.00"))


def test_without_a_factor_nothing_is_priced(onsite: Setup) -> None:
    """PAY-03: while an item lacks points there is no factor and no final price."""
    draft = compute(create_assessment(onsite.contract, onsite.people["purchaser"],
                                      onsite.contract.start_date, onsite.contract.end_date,
                                      is_final=True), onsite.people["purchaser"])
    enter_manual(lines(draft)[0], onsite.people["purchaser"], points=D(20), note="评分")
    result = settlement(onsite.contract, draft)
    assert (result.factor, result.final_price, result.last_instalment) == (None, None, None)
    assert result.milestones[-1].pending


def test_seed_002_rating_general_pays_97_percent(ca: Setup) -> None:
    """PAY-03 [002 5.1, 5.2]: 一般 → 97 % of 10,770,199 = 10,447,093.03; with a 2025 budget of
    8,000,000 the second instalment is 8,000,000 − 5,385,099.50 and the tail the rest."""
    record_contract_event(ca.contract, kind=ContractEventKind.APPROVED_BUDGET,
                          occurred_on=datetime.date(2025, 6, 1), actor=ca.people["purchaser"],
                          year=2025, amount=D("8000000"))
    close(ca, criteria_002(ca, 5))
    result = settlement(ca.contract)
    assert (result.factor, result.final_price) == (D(97), D("10447093.03"))
    assert [line.amount for line in result.milestones] == [
        D("5385099.50"), D("2614900.50"), D("2447093.03")]
    assert result.last_instalment == D("2447093.03")
    assert result.outstanding == D("10447093.03")
