"""Contract events that payment milestones wait for (PAY-01, PAY-03): the final assessment with
its factor and penalties, final acceptance, a year's approved budget, a deliverable's acceptance.

Until the assessment and deliverables modules record them, a named user enters them by hand;
the event keeps who (``entered_by``) and that it was by hand (``source``), and the audit log
keeps every change (PLT-03).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.choices import ContractEventKind, EventSource
from weibao.contracts.models import Contract, ContractEvent
from weibao.contracts.selectors import factor_for
from weibao.contracts.services.payments import CODE, check_amounts_cover_records
from weibao.core.errors import ServiceError
from weibao.core.models import User
from weibao.utils.money import share_of, to_fen

__all__ = ["delete_contract_event", "record_contract_event"]


@transaction.atomic
def record_contract_event(contract: Contract, *, kind: str, occurred_on: datetime.date | None,
                          actor: User | None, factor: Decimal | None = None,
                          score: Decimal | None = None, rating: str = "",
                          penalties: Decimal | None = None, amount: Decimal | None = None,
                          year: int | None = None, deliverable: str = "",
                          note: str = "") -> ContractEvent:
    """Record (or correct) one event; the same kind — same year for a budget, same code for a
    deliverable — is updated, not duplicated. Refused when a milestone would fall below what is
    already invoiced or paid against it (PAY-02)."""
    Contract.objects.select_for_update().get(pk=contract.pk)
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind not in ContractEventKind.values:
        add("kind", _("Unknown event %(kind)s.") % {"kind": kind})
    if occurred_on is None:
        add("occurred_on", _("Give the date of the event."))
    elif occurred_on > timezone.localdate():
        add("occurred_on", _("An event is recorded once it has happened, not in advance."))
    values: dict[str, object] = {"factor": None, "score": None, "rating": "",
                                 "penalties": None, "amount": None, "year": None,
                                 "deliverable": ""}
    key: dict[str, object] = {"kind": kind}
    if kind == ContractEventKind.FINAL_ASSESSMENT:
        rating = rating.strip()
        if score is not None or rating:
            banded = factor_for(contract, score=score, rating=rating)
            if banded is not None and factor is not None and Decimal(factor) != banded:
                add("factor", _("The contract's bands give %(result)s a factor of "
                                "%(banded)s%%, not %(factor)s%%.")
                    % {"result": rating or score, "banded": banded, "factor": factor})
            elif banded is None and factor is None and contract.factor_bands.exists():
                add("rating" if rating else "score",
                    _("No factor band of the contract matches %(result)s: give the factor.")
                    % {"result": rating or score})
            factor = banded if banded is not None else factor
        values.update(score=score, rating=rating)
        if factor is None or not Decimal(0) < Decimal(factor) <= 100:
            add("factor", _("Give the assessment factor: more than 0 and at most 100 (%)."))
        elif Decimal(factor) != Decimal(factor).quantize(Decimal("0.01")):
            add("factor", _("The factor has at most two decimals."))
        fine = to_fen(penalties or 0)
        if fine < 0:
            add("penalties", _("Penalties cannot be negative."))
        elif factor is not None and Decimal(0) < Decimal(factor) <= 100 and (
                fine > share_of(contract.amount, Decimal(factor))):
            add("penalties", _("Penalties cannot exceed the amount the factor pays."))
        values.update(factor=factor, penalties=fine)
    elif kind == ContractEventKind.APPROVED_BUDGET:
        if year is None or not 2000 <= year <= 2100:
            add("year", _("Give the budget year (2000–2100)."))
        if amount is None or to_fen(amount) <= 0:
            add("amount", _("Give the approved budget, more than 0."))
        values.update(year=year, amount=to_fen(amount) if amount is not None else None)
        key["year"] = year
    elif kind == ContractEventKind.DELIVERABLE_ACCEPTED:
        deliverable = deliverable.strip()
        if not CODE.match(deliverable):
            add("deliverable", _("Give the code of the deliverable (lower-case letters, digits, "
                                 "hyphens), e.g. monthly-report-10."))
        values["deliverable"] = deliverable
        key["deliverable"] = deliverable
    if errors:
        raise ServiceError(errors)
    event = contract.events.filter(**key).first() or ContractEvent(contract=contract, kind=kind)
    for name, value in values.items():
        setattr(event, name, value)
    event.occurred_on = occurred_on  # type: ignore[assignment]
    event.note = note.strip()
    event.source = EventSource.MANUAL
    event.entered_by = actor
    event.save()
    try:
        check_amounts_cover_records(contract)
    except ServiceError as exc:
        fields: dict[str, str] = {ContractEventKind.FINAL_ASSESSMENT: "factor",
                                  ContractEventKind.APPROVED_BUDGET: "amount"}
        field = fields.get(kind, "kind")
        raise ServiceError({field: exc.messages}) from None
    return event


@transaction.atomic
def delete_contract_event(event: ContractEvent) -> None:
    """Withdraw an event recorded by mistake; refused when a milestone would lose the amount
    already invoiced or paid against it (PAY-02)."""
    contract = Contract.objects.select_for_update().get(pk=event.contract_id)
    event.delete()
    try:
        check_amounts_cover_records(contract)
    except ServiceError as exc:
        raise ServiceError({"kind": exc.messages}) from None
