"""Reads of the contracts domain: scoping (PLT-01), milestone amounts and schedules, the final
price (PAY-01..03), payments due."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from weibao.contracts.choices import (
    AmountBasis,
    BondStatus,
    ContractEventKind,
    MilestoneTrigger,
    OffsetUnit,
    TriggerEvent,
)
from weibao.contracts.models import Contract, ContractEvent, PaymentMilestone
from weibao.utils.money import share_of, split_by_percent

__all__ = [
    "ContractEvents",
    "FinalPrice",
    "MilestoneAmount",
    "MilestoneState",
    "budget_year",
    "contract_events",
    "factor_for",
    "final_price",
    "milestone_amount_details",
    "milestone_amounts",
    "milestone_schedule",
    "payments_due",
    "scope_to_user",
    "visible_contracts",
]


def visible_contracts(user: Any) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user)


def scope_to_user(queryset: QuerySet[Any], user: Any, contract_path: str = "contract") -> Any:
    """Limit any contract-bound queryset to the user's contracts (PLT-01)."""
    if user.is_authenticated and user.is_active and user.is_administrator:
        return queryset
    return queryset.filter(**{f"{contract_path}__in": visible_contracts(user)})


@dataclass
class ContractEvents:
    """The recorded events of one contract, by what milestones look them up with."""

    assessment: ContractEvent | None = None
    acceptance: ContractEvent | None = None
    budgets: dict[int, ContractEvent] = field(default_factory=dict)
    deliverables: dict[str, ContractEvent] = field(default_factory=dict)


def contract_events(contract: Contract) -> ContractEvents:
    events = ContractEvents()
    for event in contract.events.select_related("entered_by").order_by("occurred_on", "id"):
        if event.kind == ContractEventKind.FINAL_ASSESSMENT:
            events.assessment = event
        elif event.kind == ContractEventKind.FINAL_ACCEPTANCE:
            events.acceptance = event
        elif event.kind == ContractEventKind.APPROVED_BUDGET and event.year:
            events.budgets[event.year] = event
        elif event.kind == ContractEventKind.DELIVERABLE_ACCEPTED:
            events.deliverables[event.deliverable] = event
    return events


@dataclass(frozen=True)
class FinalPrice:
    """PAY-03: 最终合同总价 = contract amount × assessment factor − penalties."""

    contract_amount: Decimal
    factor: Decimal
    penalties: Decimal
    price: Decimal
    event: ContractEvent


def final_price(contract: Contract, events: ContractEvents | None = None) -> FinalPrice | None:
    """The final price once the final assessment is recorded, else None. The factor applies to
    the whole contract amount [001 第一条四 (2), 002 5.1]."""
    events = contract_events(contract) if events is None else events
    assessment = events.assessment
    if assessment is None or assessment.factor is None:
        return None
    penalties = assessment.penalties or Decimal(0)
    price = share_of(contract.amount, assessment.factor) - penalties
    return FinalPrice(contract.amount, assessment.factor, penalties, price, assessment)


def factor_for(contract: Contract, *, score: Decimal | None = None,
               rating: str = "") -> Decimal | None:
    """The factor the contract's bands give a score or a rating (PAY-03), None when the contract
    has no such bands or none matches. Score bands are read from the highest: a score above a
    band's bound gets its factor; the band without a bound takes every lower score [001 第一条四
    (2): "75分至85分（含85分）" is "above 75", and 85 is not above 85]."""
    bands = list(contract.factor_bands.order_by("sequence"))
    if rating:
        return next((b.factor for b in bands if b.rating == rating), None)
    if score is None:
        return None
    score_bands = sorted((b for b in bands if not b.rating),
                         key=lambda b: (b.above_score is None, -(b.above_score or 0)))
    for band in score_bands:
        if band.above_score is None or score > band.above_score:
            return band.factor
    return None


@dataclass(frozen=True)
class MilestoneAmount:
    amount: Decimal | None
    pending: str = ""  # why the amount is not known yet


def budget_year(milestone: PaymentMilestone, contract: Contract) -> int:
    return milestone.budget_year or contract.start_date.year


def milestone_amount_details(contract: Contract,
                             events: ContractEvents | None = None) -> dict[int, MilestoneAmount]:
    """Each milestone's amount in fen, or why it is not known yet.

    A percent is a share of the contract amount; when the percents add up to 100 the last
    milestone takes the rounding remainder so they add up to the contract amount exactly.
    A remainder (PAY-03) is the final price, or the year's approved budget, minus the amounts
    of the earlier milestones (paid or still due) [002 5.2 b: "当年已批复预算扣除第一笔支付金额的
    剩余金额"; 001 第四条: "根据考核结果向乙方支付剩余尾款"].
    """
    rows = list(contract.milestones.order_by("sequence"))
    shares = iter(split_by_percent(contract.amount,
                                   [m.percent for m in rows if m.percent is not None]))
    events = contract_events(contract) if events is None else events
    price = final_price(contract, events)
    out: dict[int, MilestoneAmount] = {}
    earlier = Decimal(0)
    unknown: PaymentMilestone | None = None  # the first earlier milestone without an amount
    for milestone in rows:
        if milestone.amount_basis == AmountBasis.PERCENT:
            result = MilestoneAmount(next(shares))
        elif unknown is not None:
            result = MilestoneAmount(None, _("waits for the amount of %(name)s")
                                     % {"name": unknown.name})
        elif milestone.amount_basis == AmountBasis.FINAL_PRICE:
            if price is None:
                result = MilestoneAmount(None, _("waits for the final assessment (factor and "
                                                 "penalties)"))
            else:
                result = MilestoneAmount(price.price - earlier)
        else:
            year = budget_year(milestone, contract)
            budget = events.budgets.get(year)
            if budget is None or budget.amount is None:
                result = MilestoneAmount(None, _("waits for the approved budget of %(year)s")
                                         % {"year": year})
            else:
                result = MilestoneAmount(max(budget.amount - earlier, Decimal(0)))
        if result.amount is None:
            unknown = unknown or milestone
        else:
            earlier += result.amount
        out[milestone.pk] = result
    return out


def milestone_amounts(contract: Contract,
                      events: ContractEvents | None = None) -> dict[int, Decimal | None]:
    """Each milestone's amount in fen; None while it waits for an event (see
    :func:`milestone_amount_details`)."""
    return {pk: a.amount for pk, a in milestone_amount_details(contract, events).items()}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class MilestoneState:
    milestone: PaymentMilestone
    amount: Decimal | None
    invoiced: Decimal
    paid: Decimal
    due_date: datetime.date | None
    rule: str
    amount_pending: str = ""  # why the amount is not known yet
    waiting_for: str = ""  # what the due date waits for

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.amount is None else self.amount - self.paid

    @property
    def status(self) -> str:
        if self.amount is None:
            return "pending"
        if self.amount <= 0 and self.paid == 0:
            return "overpaid" if self.amount < 0 else "nothing_due"
        if self.paid >= self.amount:
            return "paid"
        if self.paid > 0:
            return "part_paid"
        if self.invoiced > 0:
            return "invoiced"
        return "open"

    @property
    def status_label(self) -> str:
        return {
            "pending": _("Amount pending"),
            "nothing_due": _("Nothing due"),
            "overpaid": _("Paid more than the final price"),
            "paid": _("Paid"),
            "part_paid": _("Partly paid"),
            "invoiced": _("Invoiced"),
            "open": _("Not paid"),
        }[self.status]

    @property
    def is_settled(self) -> bool:
        return self.status in {"paid", "nothing_due", "overpaid"}

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_settled and self.due_date is not None and self.due_date < today


_IMPLIED_EVENT = {
    MilestoneTrigger.ON_SIGNING: TriggerEvent.SIGNING,
    MilestoneTrigger.AFTER_BOND: TriggerEvent.BOND,
    MilestoneTrigger.AFTER_ASSESSMENT: TriggerEvent.ASSESSMENT,
    MilestoneTrigger.AFTER_ACCEPTANCE: TriggerEvent.ACCEPTANCE,
}


def _event_date(milestone: PaymentMilestone, contract: Contract,
                events: ContractEvents | None = None) -> tuple[datetime.date | None, str]:
    """The date the trigger's period counts from, or None and what it waits for."""
    events = contract_events(contract) if events is None else events
    if milestone.trigger == MilestoneTrigger.AFTER_DELIVERABLE:
        accepted = events.deliverables.get(milestone.deliverable)
        if accepted is None:
            return None, _("acceptance of deliverable %(code)s") % {
                "code": milestone.deliverable}
        return accepted.occurred_on, ""
    event = milestone.event or _IMPLIED_EVENT.get(MilestoneTrigger(milestone.trigger), "")
    if event == TriggerEvent.SIGNING:
        return contract.signed_on, "" if contract.signed_on else _("the signing date")
    if event == TriggerEvent.SERVICE_START:
        return contract.start_date, ""
    if event == TriggerEvent.SERVICE_END:
        return contract.end_date, ""
    if event == TriggerEvent.BOND:
        received = [b.received_on for b in contract.bonds.all()
                    if b.status != BondStatus.EXPECTED and b.received_on]
        return (min(received), "") if received else (None, _("the performance bond"))
    if event == TriggerEvent.INVOICE:
        dates = [i.issued_on for i in milestone.invoices.all()]
        return (min(dates), "") if dates else (None, _("the invoice"))
    if event == TriggerEvent.ASSESSMENT:
        if events.assessment is None:
            return None, _("the final assessment")
        return events.assessment.occurred_on, ""
    if event == TriggerEvent.ACCEPTANCE:
        if events.acceptance is None:
            return None, _("the final acceptance")
        return events.acceptance.occurred_on, ""
    return None, ""


def describe_rule(milestone: PaymentMilestone) -> str:
    """The trigger in words, e.g. '30 working days after service start + 6 months'."""
    trigger = MilestoneTrigger(milestone.trigger)
    if trigger == MilestoneTrigger.BY_DATE and milestone.due_date:
        text = _("by %(date)s") % {"date": milestone.due_date.isoformat()}
    elif trigger == MilestoneTrigger.AFTER_EVENT and milestone.event:
        text = _("after %(event)s") % {"event": TriggerEvent(milestone.event).label}
        if milestone.event_delay_months:
            text += _(" + %(n)d months") % {"n": milestone.event_delay_months}
    elif trigger == MilestoneTrigger.AFTER_DELIVERABLE:
        text = _("after deliverable %(code)s is accepted") % {"code": milestone.deliverable}
    else:
        text = str(trigger.label)
    if milestone.and_invoice:
        text = _("%(rule)s and the invoice") % {"rule": text}
    if milestone.offset_amount and milestone.offset_unit:
        text = _("within %(n)d %(unit)s, %(rule)s") % {
            "n": milestone.offset_amount,
            "unit": OffsetUnit(milestone.offset_unit).label,
            "rule": text,
        }
    return text


def _due_date(milestone: PaymentMilestone, contract: Contract,
              events: ContractEvents | None = None) -> tuple[datetime.date | None, str]:
    """The due date, or None and what it waits for."""
    if milestone.trigger == MilestoneTrigger.BY_DATE:
        return milestone.due_date, ""
    start, waiting = _event_date(milestone, contract, events)
    if start is None:
        return None, waiting
    start = add_months(start, milestone.event_delay_months)
    if milestone.and_invoice:
        # "…且甲方收到乙方开具的等额发票后 N 个工作日内": from the later of the two.
        invoiced = [i.issued_on for i in milestone.invoices.all()]
        if not invoiced:
            return None, _("the invoice")
        start = max(start, min(invoiced))
    if not milestone.offset_amount:
        return start, ""
    if milestone.offset_unit == OffsetUnit.CALENDAR_DAYS:
        return start + datetime.timedelta(days=milestone.offset_amount), ""
    if milestone.offset_unit == OffsetUnit.MONTHS:
        return add_months(start, milestone.offset_amount), ""
    due = working_days_after(start, milestone.offset_amount)
    if due is None:
        return None, _("the national working calendar after %(date)s") % {
            "date": start.isoformat()}
    return due, ""


def working_days_after(start: datetime.date, days: int) -> datetime.date | None:
    """The Nth working day after ``start`` by the national working calendar (the one an
    administrator corrects, CAL-01), None beyond its entered years."""
    from weibao.calendars.selectors import national_working_days_after

    return national_working_days_after(start, days)


def milestone_schedule(contract: Contract,
                       events: ContractEvents | None = None) -> list[MilestoneState]:
    milestones = list(contract.milestones.order_by("sequence").prefetch_related("invoices"))
    paid = dict(
        PaymentMilestone.objects.filter(contract=contract)
        .annotate(paid=Sum("payments__amount"))
        .values_list("pk", "paid")
    )
    events = contract_events(contract) if events is None else events
    amounts = milestone_amount_details(contract, events)
    states = []
    for m in milestones:
        due_date, waiting_for = _due_date(m, contract, events)
        states.append(MilestoneState(
            milestone=m,
            amount=amounts[m.pk].amount,
            amount_pending=amounts[m.pk].pending,
            invoiced=sum((i.amount for i in m.invoices.all()), Decimal(0)),
            paid=paid.get(m.pk) or Decimal(0),
            due_date=due_date,
            waiting_for=waiting_for,
            rule=describe_rule(m),
        ))
    return states


def payments_due(user: Any, *, limit: int = 10) -> list[tuple[Contract, MilestoneState]]:
    """Unpaid milestones of the user's contracts, soonest due first (unknown dates last)."""
    if not user.has_perm("contracts.view_paymentmilestone"):
        return []
    contracts = visible_contracts(user).prefetch_related("bonds")
    rows: list[tuple[Contract, MilestoneState]] = []
    for contract in contracts.filter(milestones__isnull=False).distinct():
        rows.extend((contract, s) for s in milestone_schedule(contract) if not s.is_settled)
    rows.sort(key=lambda r: (r[1].due_date is None, r[1].due_date or datetime.date.max))
    return rows[:limit]
