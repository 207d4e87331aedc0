"""The stock ledger's writes (SPR-02, SPR-03).

Each service writes its movement(s) and updates the matching ``StockBalance`` rows in one
transaction, holding the balance rows with ``SELECT … FOR UPDATE`` so that two clerks issuing
the last unit at once cannot both succeed: the second waits for the first, then sees 0 and is
refused. Balance rows are always locked in the same order (warehouse, part type, condition) so
a transfer cannot deadlock with another transfer going the opposite way.

Budget caps (SPR-03): an issue of a part type counted by a cap is refused when the cap's
consumption plus the issue's amount would exceed the cap, unless a proposal reference is given;
consumption is defined in :func:`weibao.spares.selectors.cap_consumption`. The cap rows are
locked too, so two issues cannot both squeeze under the same cap.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.errors import ConflictError, ServiceError
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import BudgetCap, PartType, StockBalance, StockMovement, Warehouse
from weibao.utils.money import to_fen

__all__ = ["adjust", "issue", "receive", "return_faulty", "scrap", "transfer"]


def _check(warehouse: Warehouse, part_type: PartType, quantity: int, condition: str) -> None:
    if warehouse.contract_id != part_type.contract_id:
        raise ServiceError({"part_type": [_("%(part)s is not a part type of the contract of "
                                            "%(warehouse)s.") % {"part": part_type,
                                                                 "warehouse": warehouse}]})
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ServiceError({"quantity": [_("The quantity must be a whole number above 0.")]})
    if condition not in Condition.values:
        raise ServiceError({"condition": [_("Unknown condition %(value)s.") % {
            "value": condition}]})


def _reference(kind: str, reference_id: str) -> None:
    if kind not in ReferenceKind.values:
        raise ServiceError({"reference_kind": [_("Unknown reference kind %(value)s.") % {
            "value": kind}]})
    if kind and not reference_id.strip():
        raise ServiceError({"reference_id": [_("Give the number of the %(kind)s.") % {
            "kind": ReferenceKind(kind).label}]})


def _locked_balance(warehouse: Warehouse, part_type: PartType, condition: str) -> StockBalance:
    """The balance row, created when missing, locked until the transaction ends."""
    key = {"warehouse": warehouse, "part_type": part_type, "condition": condition}
    balance = StockBalance.objects.select_for_update().filter(**key).first()
    if balance is None:
        created, _new = StockBalance.objects.get_or_create(
            **key, defaults={"contract_id": warehouse.contract_id, "on_hand": 0})
        balance = StockBalance.objects.select_for_update().get(pk=created.pk)
    return balance


def _take(balance: StockBalance, quantity: int, verb: str) -> None:
    if balance.on_hand < quantity:
        raise ConflictError({"quantity": [_(
            "Only %(on_hand)d %(unit)s %(condition)s %(part)s in %(warehouse)s, cannot "
            "%(verb)s %(quantity)d.") % {
                "on_hand": balance.on_hand, "unit": balance.part_type.unit,
                "condition": Condition(balance.condition).label, "part": balance.part_type,
                "warehouse": balance.warehouse, "verb": verb, "quantity": quantity}]})


def _post(balance: StockBalance, delta: int, **fields: Any) -> StockMovement:
    part_type: PartType = balance.part_type
    given = fields.pop("unit_cost", None)
    unit_cost = to_fen(part_type.unit_cost if given is None else given)
    movement = StockMovement.objects.create(
        contract_id=balance.contract_id, warehouse=balance.warehouse, part_type=part_type,
        condition=balance.condition, quantity=delta, unit_cost=unit_cost,
        amount=to_fen(unit_cost * abs(delta)),
        occurred_at=fields.pop("occurred_at", None) or timezone.now(), **fields)
    balance.on_hand += delta
    balance.save(update_fields=["on_hand", "updated_at"])
    return movement


@transaction.atomic
def receive(*, warehouse: Warehouse, part_type: PartType, quantity: int, actor: Any = None,
            condition: str = Condition.NEW, unit_cost: Decimal | None = None,
            occurred_at: datetime.datetime | None = None, reference_kind: str = "",
            reference_id: str = "", reason: str = "") -> StockMovement:
    """入库: parts bought or delivered into a warehouse."""
    _check(warehouse, part_type, quantity, condition)
    _reference(reference_kind, reference_id)
    if unit_cost is not None and Decimal(unit_cost) < 0:
        raise ServiceError({"unit_cost": [_("The unit cost cannot be negative.")]})
    balance = _locked_balance(warehouse, part_type, condition)
    return _post(balance, quantity, kind=MovementKind.RECEIVE, actor=actor, unit_cost=unit_cost,
                 occurred_at=occurred_at, reference_kind=reference_kind,
                 reference_id=reference_id, reason=reason)


def _check_caps(part_type: PartType, amount: Decimal, proposal_reference: str) -> None:
    from weibao.spares.selectors import cap_consumption

    caps = list(BudgetCap.objects.select_for_update().filter(part_types=part_type)
                .order_by("pk"))
    if not caps:
        return
    used = cap_consumption(caps)
    for cap in caps:
        limit = cap.cap
        if limit is None or proposal_reference.strip():
            continue
        if used.get(cap.pk, Decimal(0)) + amount > limit:
            raise ConflictError({"proposal_reference": [_(
                "This issue (¥%(amount)s) would exceed the budget cap %(cap)s: ¥%(used)s of "
                "¥%(limit)s used. Give the reference of the approved proposal to go beyond "
                "it.") % {"amount": f"{amount:,.2f}", "cap": cap.name,
                          "used": f"{used.get(cap.pk, Decimal(0)):,.2f}",
                          "limit": f"{limit:,.2f}"}]})


@transaction.atomic
def issue(*, warehouse: Warehouse, part_type: PartType, quantity: int, actor: Any = None,
          reference_kind: str = ReferenceKind.OTHER, reference_id: str = "",
          condition: str = Condition.NEW, proposal_reference: str = "",
          occurred_at: datetime.datetime | None = None, reason: str = "") -> StockMovement:
    """出库: parts taken to fit at a site, for a ticket, an inspection visit or a standby loan.

    Parts fitted must be new (全新, SPR-02, 004 7.2.14) unless the part type allows otherwise.
    """
    _check(warehouse, part_type, quantity, condition)
    _reference(reference_kind, reference_id)
    if condition != Condition.NEW and part_type.must_be_new:
        raise ServiceError({"condition": [_(
            "%(part)s must be new (全新): only new parts may be issued.") % {
                "part": part_type}]})
    balance = _locked_balance(warehouse, part_type, condition)
    _take(balance, quantity, _("issue"))
    if reference_kind != ReferenceKind.STANDBY:
        _check_caps(part_type, to_fen(part_type.unit_cost * quantity), proposal_reference)
    return _post(balance, -quantity, kind=MovementKind.ISSUE, actor=actor,
                 reference_kind=reference_kind, reference_id=reference_id,
                 proposal_reference=proposal_reference.strip(), occurred_at=occurred_at,
                 reason=reason)


@transaction.atomic
def return_faulty(*, warehouse: Warehouse, part_type: PartType, quantity: int,
                  actor: Any = None, reference_kind: str = "", reference_id: str = "",
                  occurred_at: datetime.datetime | None = None,
                  reason: str = "") -> StockMovement:
    """坏件返库: the faulty part taken out of a device comes back to the warehouse."""
    _check(warehouse, part_type, quantity, Condition.FAULTY)
    _reference(reference_kind, reference_id)
    balance = _locked_balance(warehouse, part_type, Condition.FAULTY)
    return _post(balance, quantity, kind=MovementKind.RETURN_FAULTY, actor=actor,
                 unit_cost=Decimal(0), occurred_at=occurred_at, reference_kind=reference_kind,
                 reference_id=reference_id, reason=reason)


@transaction.atomic
def scrap(*, warehouse: Warehouse, part_type: PartType, quantity: int, actor: Any = None,
          condition: str = Condition.FAULTY, reason: str = "",
          occurred_at: datetime.datetime | None = None) -> StockMovement:
    """报废: parts written off (faulty parts by default)."""
    _check(warehouse, part_type, quantity, condition)
    balance = _locked_balance(warehouse, part_type, condition)
    _take(balance, quantity, _("scrap"))
    return _post(balance, -quantity, kind=MovementKind.SCRAP, actor=actor,
                 unit_cost=Decimal(0) if condition == Condition.FAULTY else None,
                 occurred_at=occurred_at, reason=reason)


@transaction.atomic
def transfer(*, source: Warehouse, destination: Warehouse, part_type: PartType, quantity: int,
             actor: Any = None, condition: str = Condition.NEW, reason: str = "",
             occurred_at: datetime.datetime | None = None,
             ) -> tuple[StockMovement, StockMovement]:
    """调拨: from one warehouse of the contract to another (two movements, one transaction)."""
    _check(source, part_type, quantity, condition)
    if destination.contract_id != source.contract_id:
        raise ServiceError({"destination": [_("Both warehouses must belong to the same "
                                              "contract.")]})
    if destination.pk == source.pk:
        raise ServiceError({"destination": [_("Choose a different destination warehouse.")]})
    # Lock in a fixed order so opposite transfers cannot deadlock.
    first, second = sorted([source, destination], key=lambda w: w.pk)
    locked = {w.pk: _locked_balance(w, part_type, condition) for w in (first, second)}
    out_balance, in_balance = locked[source.pk], locked[destination.pk]
    _take(out_balance, quantity, _("transfer"))
    when = occurred_at or timezone.now()
    out = _post(out_balance, -quantity, kind=MovementKind.TRANSFER_OUT, actor=actor,
                occurred_at=when, reason=reason)
    into = _post(in_balance, quantity, kind=MovementKind.TRANSFER_IN, actor=actor,
                 occurred_at=when, reason=reason, related=out)
    out.related = into
    out.save(update_fields=["related", "updated_at"])
    return out, into


@transaction.atomic
def adjust(*, warehouse: Warehouse, part_type: PartType, condition: str, delta: int,
           reason: str, actor: Any = None,
           occurred_at: datetime.datetime | None = None) -> StockMovement:
    """盘点调整: correct the stock after a count; the reason is required."""
    _check(warehouse, part_type, abs(delta) if isinstance(delta, int) else 0, condition)
    if not reason.strip():
        raise ServiceError({"reason": [_("Give the reason for the adjustment.")]})
    balance = _locked_balance(warehouse, part_type, condition)
    if delta < 0:
        _take(balance, -delta, _("remove"))
    return _post(balance, delta, kind=MovementKind.ADJUSTMENT, actor=actor,
                 occurred_at=occurred_at, reason=reason.strip())
