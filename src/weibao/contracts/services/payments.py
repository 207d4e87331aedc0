"""Payment milestones, bond, invoices, payments and the contract events milestones wait for
(PAY-01..03)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from weibao.contracts.choices import (
    AmountBasis,
    BondStatus,
    MilestoneTrigger,
    OffsetUnit,
    TriggerEvent,
)
from weibao.contracts.models import (
    Contract,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.selectors import milestone_amount_details
from weibao.core.errors import ServiceError
from weibao.utils.money import share_of, to_fen

__all__ = [
    "MilestoneInput",
    "check_amounts_cover_records",
    "milestone_errors",
    "record_bond",
    "record_invoice",
    "record_payment",
    "save_milestone",
]


#: Codes of deliverables (and other contract objects): lower-case letters, digits, hyphens.
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass
class MilestoneInput:
    name: str
    percent: Decimal | None
    trigger: str
    due_date: datetime.date | None = None
    event: str = ""
    event_delay_months: int = 0
    offset_amount: int = 0
    offset_unit: str = ""
    and_invoice: bool = False
    amount_basis: str = AmountBasis.PERCENT
    budget_year: int | None = None
    deliverable: str = ""
    requires_invoice: bool = True
    condition: str = ""


def milestone_errors(data: MilestoneInput) -> dict[str, list[str]]:
    """The trigger decides which fields a milestone needs (PAY-01)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.name.strip():
        add("name", _("A milestone needs a name."))
    if data.amount_basis not in AmountBasis.values:
        add("amount_basis", _("Unknown amount %(value)s.") % {"value": data.amount_basis})
    elif data.amount_basis == AmountBasis.PERCENT:
        if data.percent is None or not Decimal(0) < Decimal(data.percent) <= 100:
            add("percent", _("The percent must be greater than 0 and at most 100."))
    elif data.percent is not None:
        add("percent", _("A remainder has no percent: its amount is what is left."))
    if data.budget_year is not None and (
            data.amount_basis != AmountBasis.APPROVED_BUDGET or not 2000 <= data.budget_year
            <= 2100):
        add("budget_year", _("A budget year (2000–2100) belongs to the approved-budget "
                             "remainder only."))
    if data.trigger not in MilestoneTrigger.values:
        add("trigger", _("Unknown trigger %(trigger)s.") % {"trigger": data.trigger})
    if data.trigger == MilestoneTrigger.BY_DATE and data.due_date is None:
        add("due_date", _("A milestone due by a date needs the date."))
    if data.trigger == MilestoneTrigger.AFTER_EVENT:
        if data.event not in TriggerEvent.values:
            add("event", _("Name the event the period counts from."))
        if data.offset_amount <= 0 and data.event_delay_months <= 0:
            add("offset_amount", _("Give the period after the event."))
    if data.trigger == MilestoneTrigger.AFTER_DELIVERABLE and not CODE.match(data.deliverable):
        add("deliverable", _("Give the code of the deliverable (lower-case letters, digits, "
                             "hyphens), e.g. monthly-report-10."))
    if data.offset_amount and data.offset_unit not in OffsetUnit.values:
        add("offset_unit", _("Give the unit of the period (working days, days or months)."))
    return errors


def check_amounts_cover_records(contract: Contract) -> None:
    """PAY-02: no milestone may end up below what is already invoiced or paid against it
    (after a milestone's percent, the contract amount or a recorded event changed)."""
    details = milestone_amount_details(contract)
    invoiced = dict(Invoice.objects.filter(milestone__contract=contract)
                    .values("milestone").annotate(s=Sum("amount")).values_list("milestone", "s"))
    paid = dict(Payment.objects.filter(milestone__contract=contract)
                .values("milestone").annotate(s=Sum("amount")).values_list("milestone", "s"))
    for milestone in contract.milestones.all():
        recorded = max(invoiced.get(milestone.pk) or Decimal(0),
                       paid.get(milestone.pk) or Decimal(0))
        amount = details[milestone.pk].amount
        if recorded and amount is None:
            raise ServiceError(
                {"percent": [_("The amount of milestone %(name)s would not be known any more "
                               "(it %(reason)s), but %(recorded)s is already invoiced or paid "
                               "against it.")
                             % {"name": milestone.name, "reason": details[milestone.pk].pending,
                                "recorded": recorded}]}
            )
        if recorded and amount is not None and amount < recorded:
            raise ServiceError(
                {"percent": [_("Milestone %(name)s would be %(amount)s, less than the %(recorded)s "
                               "already invoiced or paid.")
                             % {"name": milestone.name, "amount": amount, "recorded": recorded}]}
            )


def _known_amount(milestone: PaymentMilestone) -> Decimal:
    """The milestone's amount; refused while it waits for an event (nothing to invoice yet)."""
    detail = milestone_amount_details(milestone.contract)[milestone.pk]
    if detail.amount is None:
        raise ServiceError({"amount": [
            _("The amount of %(name)s is not known yet: it %(reason)s.")
            % {"name": milestone.name, "reason": detail.pending}]})
    return detail.amount


def _check_milestone_order(contract: Contract) -> None:
    """The final-price remainder is the last milestone: it takes what is left of the final price
    after every other one (PAY-03)."""
    rows = list(contract.milestones.order_by("sequence").values_list("amount_basis", "name"))
    finals = [i for i, (basis, _name) in enumerate(rows) if basis == AmountBasis.FINAL_PRICE]
    if len(finals) > 1 or (finals and finals[0] != len(rows) - 1):
        raise ServiceError({"amount_basis": [
            _("The final-price remainder must be the last milestone, and there is only one.")]})


@transaction.atomic
def save_milestone(contract: Contract, data: MilestoneInput, *, sequence: int | None = None,
                   milestone: PaymentMilestone | None = None) -> PaymentMilestone:
    errors = milestone_errors(data)
    if errors:
        raise ServiceError(errors)
    # Lock the contract so two people adding milestones cannot exceed 100% together.
    Contract.objects.select_for_update().get(pk=contract.pk)
    others = contract.milestones.all()
    if milestone is not None:
        others = others.exclude(pk=milestone.pk)
    total = (others.aggregate(s=Sum("percent"))["s"] or Decimal(0)) + Decimal(data.percent or 0)
    if total > 100:
        raise ServiceError(
            {"percent": [_("The milestones would add up to %(total)s%%, more than 100%%.")
                         % {"total": total}]}
        )
    if milestone is None:
        milestone = PaymentMilestone(contract=contract)
        if sequence is None:
            last = others.order_by("-sequence").values_list("sequence", flat=True).first()
            sequence = (last or 0) + 1
    if sequence is not None:
        milestone.sequence = sequence
    for f in fields(MilestoneInput):
        setattr(milestone, f.name, getattr(data, f.name))
    try:
        with transaction.atomic():
            milestone.save()
    except IntegrityError as exc:
        raise ServiceError({"sequence": [_("Milestone number %(n)s already exists.")
                                         % {"n": milestone.sequence}]}) from exc
    _check_milestone_order(contract)
    check_amounts_cover_records(contract)
    return milestone


@transaction.atomic
def record_bond(contract: Contract, *, percent: Decimal, form: str = "",
                status: str = BondStatus.EXPECTED, received_on: datetime.date | None = None,
                returned_on: datetime.date | None = None, reference: str = "",
                bond: PerformanceBond | None = None) -> PerformanceBond:
    """Record the performance bond (履约保证金); its amount is the percent of the contract."""
    if not Decimal(0) < Decimal(percent) <= 100:
        raise ServiceError({"percent": [_("The percent must be greater than 0 and at most 100.")]})
    if status in (BondStatus.RECEIVED, BondStatus.RETURNED) and received_on is None:
        raise ServiceError({"received_on": [_("Give the date the bond was received.")]})
    if status == BondStatus.RETURNED and returned_on is None:
        raise ServiceError({"returned_on": [_("Give the date the bond was returned.")]})
    if received_on and returned_on and returned_on < received_on:
        raise ServiceError({"returned_on": [_("A bond cannot be returned before it is received.")]})
    bond = bond or PerformanceBond(contract=contract)
    bond.percent, bond.amount = Decimal(percent), share_of(contract.amount, Decimal(percent))
    bond.form, bond.status, bond.reference = form, status, reference
    bond.received_on, bond.returned_on = received_on, returned_on
    bond.save()
    return bond


@transaction.atomic
def record_invoice(milestone: PaymentMilestone, *, number: str, issued_on: datetime.date,
                   amount: Decimal, notes: str = "") -> Invoice:
    """An invoice for a milestone; invoices never exceed the milestone's amount."""
    PaymentMilestone.objects.select_for_update().get(pk=milestone.pk)
    amount = to_fen(amount)
    if amount <= 0:
        raise ServiceError({"amount": [_("The amount must be positive.")]})
    if not number.strip():
        raise ServiceError({"number": [_("Give the invoice number.")]})
    due = _known_amount(milestone)
    invoiced = milestone.invoices.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if invoiced + amount > due:
        raise ServiceError(
            {"amount": [_("Invoices would total %(total)s, more than the milestone's %(due)s.")
                        % {"total": invoiced + amount, "due": due}]}
        )
    try:
        with transaction.atomic():
            return Invoice.objects.create(
                milestone=milestone, number=number.strip(), issued_on=issued_on, amount=amount,
                notes=notes,
            )
    except IntegrityError as exc:
        raise ServiceError({"number": [_("Invoice %(number)s is already recorded.")
                                       % {"number": number}]}) from exc


@transaction.atomic
def record_payment(milestone: PaymentMilestone, *, paid_on: datetime.date,
                   amount: Decimal, invoice: Invoice | None = None,
                   reference: str = "") -> Payment:
    """A payment against a milestone. PAY-02: backed by an unpaid invoice of equal amount."""
    PaymentMilestone.objects.select_for_update().get(pk=milestone.pk)
    amount = to_fen(amount)
    if amount <= 0:
        raise ServiceError({"amount": [_("The amount must be positive.")]})
    if milestone.requires_invoice and invoice is None:
        raise ServiceError({"invoice": [_("An invoice of equal amount is required before "
                                          "each payment (PAY-02).")]})
    if invoice is not None:
        if invoice.milestone_id != milestone.pk:
            raise ServiceError({"invoice": [_("The invoice belongs to another milestone.")]})
        if Payment.objects.filter(invoice=invoice).exists():
            raise ServiceError({"invoice": [_("Invoice %(number)s is already paid.")
                                            % {"number": invoice.number}]})
        if invoice.amount != amount:
            raise ServiceError(
                {"amount": [_("The payment (%(amount)s) must equal the invoice (%(invoice)s).")
                            % {"amount": amount, "invoice": invoice.amount}]}
            )
        if paid_on < invoice.issued_on:
            raise ServiceError({"paid_on": [_("A payment cannot precede its invoice.")]})
    due = _known_amount(milestone)
    paid = milestone.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if paid + amount > due:
        raise ServiceError(
            {"amount": [_("Payments would total %(total)s, more than the milestone's %(due)s.")
                        % {"total": paid + amount, "due": due}]}
        )
    return Payment.objects.create(
        milestone=milestone, invoice=invoice, paid_on=paid_on, amount=amount, reference=reference
    )
