"""The settlement of a contract (PAY-03): 最终合同总价 = contract amount × the assessment's factor
− penalties; the last instalment is the final price minus the earlier instalments, and what
is still owed is the final price minus what was paid.

The arithmetic is the contracts domain's (``final_price``, ``milestone_amount_details``,
``milestone_schedule``): a recorded final-assessment event settles the contract; a draft (or
not yet final) assessment gives a projection with the same arithmetic, its factor and
penalties standing in for the event that is not recorded yet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from weibao.assessment.choices import AssessmentStatus
from weibao.assessment.models import Assessment
from weibao.assessment.services.cycle import result
from weibao.contracts.choices import AmountBasis, ContractEventKind
from weibao.contracts.models import Contract, ContractEvent, PaymentMilestone
from weibao.contracts.selectors import (
    MilestoneState,
    contract_events,
    final_price,
    milestone_schedule,
)

__all__ = ["Settlement", "SettlementLine", "settlement"]


@dataclass(frozen=True)
class SettlementLine:
    """One payment milestone: its amount (None while it waits — ``pending`` says for what),
    what was paid against it, and what it should still pay."""

    milestone: PaymentMilestone
    amount: Decimal | None
    paid: Decimal
    to_pay: Decimal | None
    pending: str
    is_remainder: bool


@dataclass(frozen=True)
class Settlement:
    """The contract's settlement, or its projection (``projected``) from an assessment that
    is not final. ``final_price`` is None while no factor is known."""

    contract_amount: Decimal
    factor: Decimal | None
    penalties: Decimal
    final_price: Decimal | None
    paid: Decimal
    outstanding: Decimal | None
    last_instalment: Decimal | None
    milestones: list[SettlementLine]
    projected: bool
    assessment: Assessment | None


def _assessment_for(contract: Contract) -> Assessment | None:
    return Assessment.objects.filter(contract=contract, is_final=True).first()


def _line(state: MilestoneState) -> SettlementLine:
    amount = state.amount
    return SettlementLine(
        milestone=state.milestone, amount=amount, paid=state.paid,
        to_pay=None if amount is None else max(amount - state.paid, Decimal(0)),
        pending=state.amount_pending,
        is_remainder=state.milestone.amount_basis == AmountBasis.FINAL_PRICE)


def settlement(contract: Contract, assessment: Assessment | None = None) -> Settlement:
    """The settlement by the recorded final assessment; with ``assessment`` not final (or
    none recorded yet), the projection its current figures give."""
    events = contract_events(contract)
    chosen = assessment if assessment is not None else _assessment_for(contract)
    projected = False
    recorded = events.assessment is not None and (
        chosen is None or (chosen.status == AssessmentStatus.FINAL and chosen.is_final))
    if not recorded and chosen is not None:
        figures = result(chosen)
        projected = True
        events.assessment = (None if figures.factor is None else ContractEvent(
            contract=contract, kind=ContractEventKind.FINAL_ASSESSMENT,
            occurred_on=timezone.localdate(), factor=figures.factor, score=figures.score,
            rating=figures.rating, penalties=figures.penalties))
    price = final_price(contract, events)
    states = milestone_schedule(contract, events)
    lines = [_line(state) for state in states]
    paid = sum((state.paid for state in states), Decimal(0))
    remainder = next((line for line in reversed(lines) if line.is_remainder), None)
    penalties = price.penalties if price else (
        result(chosen).penalties if chosen is not None else Decimal("0.00"))
    return Settlement(
        contract_amount=contract.amount, factor=price.factor if price else None,
        penalties=penalties, final_price=price.price if price else None, paid=paid,
        outstanding=price.price - paid if price else None,
        last_instalment=remainder.amount if remainder else None, milestones=lines,
        projected=projected, assessment=chosen)
