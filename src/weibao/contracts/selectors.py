"""Reads of the contracts domain: scoping (PLT-01), milestone schedules, payments due."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from weibao.contracts.choices import BondStatus, MilestoneTrigger, OffsetUnit, TriggerEvent
from weibao.contracts.models import Contract, PaymentMilestone
from weibao.utils.money import split_by_percent

__all__ = [
    "MilestoneState",
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


def milestone_amounts(contract: Contract) -> dict[int, Decimal]:
    """Each milestone's amount in fen; when the percents add up to 100 the last milestone takes
    the rounding remainder so the milestones add up to the contract amount exactly."""
    rows = list(contract.milestones.order_by("sequence").values_list("pk", "percent"))
    shares = split_by_percent(contract.amount, [p for _pk, p in rows])
    return {pk: share for (pk, _p), share in zip(rows, shares, strict=True)}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class MilestoneState:
    milestone: PaymentMilestone
    amount: Decimal
    invoiced: Decimal
    paid: Decimal
    due_date: datetime.date | None
    rule: str

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def status(self) -> str:
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
            "paid": _("Paid"),
            "part_paid": _("Partly paid"),
            "invoiced": _("Invoiced"),
            "open": _("Not paid"),
        }[self.status]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != "paid" and self.due_date is not None and self.due_date < today


def _event_date(milestone: PaymentMilestone, contract: Contract) -> datetime.date | None:
    event = milestone.event or {
        MilestoneTrigger.ON_SIGNING: TriggerEvent.SIGNING,
        MilestoneTrigger.AFTER_BOND: TriggerEvent.BOND,
    }.get(MilestoneTrigger(milestone.trigger), "")
    if event == TriggerEvent.SIGNING:
        return contract.signed_on
    if event == TriggerEvent.SERVICE_START:
        return contract.start_date
    if event == TriggerEvent.SERVICE_END:
        return contract.end_date
    if event == TriggerEvent.BOND:
        received = [b.received_on for b in contract.bonds.all()
                    if b.status != BondStatus.EXPECTED and b.received_on]
        return min(received) if received else None
    if event == TriggerEvent.INVOICE:
        dates = [i.issued_on for i in milestone.invoices.all()]
        return min(dates) if dates else None
    return None  # assessment and acceptance are recorded by later modules


def describe_rule(milestone: PaymentMilestone) -> str:
    """The trigger in words, e.g. '30 working days after service start + 6 months'."""
    trigger = MilestoneTrigger(milestone.trigger)
    if trigger == MilestoneTrigger.BY_DATE and milestone.due_date:
        text = _("by %(date)s") % {"date": milestone.due_date.isoformat()}
    elif trigger == MilestoneTrigger.AFTER_EVENT and milestone.event:
        text = _("after %(event)s") % {"event": TriggerEvent(milestone.event).label}
        if milestone.event_delay_months:
            text += _(" + %(n)d months") % {"n": milestone.event_delay_months}
    else:
        text = str(trigger.label)
    if milestone.offset_amount and milestone.offset_unit:
        text = _("within %(n)d %(unit)s, %(rule)s") % {
            "n": milestone.offset_amount,
            "unit": OffsetUnit(milestone.offset_unit).label,
            "rule": text,
        }
    return text


def _due_date(milestone: PaymentMilestone, contract: Contract) -> datetime.date | None:
    if milestone.trigger == MilestoneTrigger.BY_DATE:
        return milestone.due_date
    start = _event_date(milestone, contract)
    if start is None:
        return None
    start = add_months(start, milestone.event_delay_months)
    if not milestone.offset_amount:
        return start
    if milestone.offset_unit == OffsetUnit.CALENDAR_DAYS:
        return start + datetime.timedelta(days=milestone.offset_amount)
    if milestone.offset_unit == OffsetUnit.MONTHS:
        return add_months(start, milestone.offset_amount)
    return working_days_after(start, milestone.offset_amount)


def working_days_after(start: datetime.date, days: int) -> datetime.date | None:
    """The Nth working day after ``start`` by the national working calendar (the one an
    administrator corrects, CAL-01), None beyond its entered years."""
    from weibao.calendars.selectors import national_working_days_after

    return national_working_days_after(start, days)


def milestone_schedule(contract: Contract) -> list[MilestoneState]:
    milestones = list(contract.milestones.order_by("sequence").prefetch_related("invoices"))
    paid = dict(
        PaymentMilestone.objects.filter(contract=contract)
        .annotate(paid=Sum("payments__amount"))
        .values_list("pk", "paid")
    )
    amounts = milestone_amounts(contract)
    return [
        MilestoneState(
            milestone=m,
            amount=amounts[m.pk],
            invoiced=sum((i.amount for i in m.invoices.all()), Decimal(0)),
            paid=paid.get(m.pk) or Decimal(0),
            due_date=_due_date(m, contract),
            rule=describe_rule(m),
        )
        for m in milestones
    ]


def payments_due(user: Any, *, limit: int = 10) -> list[tuple[Contract, MilestoneState]]:
    """Unpaid milestones of the user's contracts, soonest due first (unknown dates last)."""
    if not user.has_perm("contracts.view_paymentmilestone"):
        return []
    contracts = visible_contracts(user).prefetch_related("bonds")
    rows: list[tuple[Contract, MilestoneState]] = []
    for contract in contracts.filter(milestones__isnull=False).distinct():
        rows.extend((contract, s) for s in milestone_schedule(contract) if s.status != "paid")
    rows.sort(key=lambda r: (r[1].due_date is None, r[1].due_date or datetime.date.max))
    return rows[:limit]
