"""The stock ledger's services (SPR-02): every movement kind, refusals, balances = ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from weibao.core.errors import ConflictError, ServiceError
from weibao.spares import services
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import StockBalance, StockMovement


def on_hand(warehouse, part_type, condition=Condition.NEW) -> int:
    balance = StockBalance.objects.filter(warehouse=warehouse, part_type=part_type,
                                          condition=condition).first()
    return balance.on_hand if balance else 0


def ledger_sum(warehouse, part_type, condition=Condition.NEW) -> int:
    return StockMovement.objects.filter(warehouse=warehouse, part_type=part_type,
                                        condition=condition).aggregate(
        n=Sum("quantity"))["n"] or 0


def test_spr02_receive_and_issue_keep_balance_and_amounts(stock, world) -> None:
    movement = services.receive(warehouse=stock.main, part_type=stock.desktop, quantity=3,
                                actor=world.users["engineer"])
    assert movement.quantity == 3 and movement.amount == Decimal("14999.97")
    out = services.issue(warehouse=stock.main, part_type=stock.desktop, quantity=2,
                         reference_kind=ReferenceKind.TICKET, reference_id="T-1")
    assert out.quantity == -2 and out.amount == Decimal("9999.98")
    assert out.kind == MovementKind.ISSUE and out.reference_id == "T-1"
    assert on_hand(stock.main, stock.desktop) == 1 == ledger_sum(stock.main, stock.desktop)


def test_spr02_issue_more_than_on_hand_is_refused_with_clear_message(stock) -> None:
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=2)
    with pytest.raises(ConflictError) as exc:
        services.issue(warehouse=stock.main, part_type=stock.reader, quantity=3,
                       reference_kind=ReferenceKind.TICKET, reference_id="T-2")
    assert "Only 2" in str(exc.value.messages[0]) and "cannot issue 3" in exc.value.messages[0]
    assert on_hand(stock.main, stock.reader) == 2
    assert StockMovement.objects.filter(kind=MovementKind.ISSUE).count() == 0


def test_spr02_issue_must_be_new(stock) -> None:
    services.return_faulty(warehouse=stock.main, part_type=stock.reader, quantity=1,
                           reference_kind=ReferenceKind.TICKET, reference_id="T-3")
    with pytest.raises(ServiceError) as exc:
        services.issue(warehouse=stock.main, part_type=stock.reader, quantity=1,
                       condition=Condition.FAULTY, reference_kind=ReferenceKind.TICKET,
                       reference_id="T-3")
    assert "condition" in exc.value.message_dict


def test_spr02_issue_needs_reference_number(stock) -> None:
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=1)
    with pytest.raises(ServiceError) as exc:
        services.issue(warehouse=stock.main, part_type=stock.reader, quantity=1,
                       reference_kind=ReferenceKind.TICKET, reference_id=" ")
    assert "reference_id" in exc.value.message_dict


@pytest.mark.parametrize("quantity", [0, -1, True])
def test_spr02_quantity_must_be_positive(stock, quantity) -> None:
    with pytest.raises(ServiceError):
        services.receive(warehouse=stock.main, part_type=stock.reader, quantity=quantity)


def test_spr02_warehouse_and_part_type_of_same_contract(stock) -> None:
    with pytest.raises(ServiceError):
        services.receive(warehouse=stock.other, part_type=stock.reader, quantity=1)


def test_spr02_return_faulty_then_scrap(stock) -> None:
    services.return_faulty(warehouse=stock.main, part_type=stock.reader, quantity=2,
                           reference_kind=ReferenceKind.VISIT, reference_id="V-1")
    assert on_hand(stock.main, stock.reader, Condition.FAULTY) == 2
    assert on_hand(stock.main, stock.reader) == 0
    services.scrap(warehouse=stock.main, part_type=stock.reader, quantity=2, reason="报废")
    assert on_hand(stock.main, stock.reader, Condition.FAULTY) == 0
    with pytest.raises(ConflictError):
        services.scrap(warehouse=stock.main, part_type=stock.reader, quantity=1)


def test_spr02_transfer_is_two_paired_movements(stock) -> None:
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=5)
    out, into = services.transfer(source=stock.main, destination=stock.east,
                                  part_type=stock.reader, quantity=3)
    out.refresh_from_db()
    assert out.related_id == into.pk and into.related_id == out.pk
    assert (out.kind, out.quantity, into.kind, into.quantity) == (
        MovementKind.TRANSFER_OUT, -3, MovementKind.TRANSFER_IN, 3)
    assert on_hand(stock.main, stock.reader) == 2 and on_hand(stock.east, stock.reader) == 3
    with pytest.raises(ConflictError):
        services.transfer(source=stock.main, destination=stock.east, part_type=stock.reader,
                          quantity=3)
    with pytest.raises(ServiceError):
        services.transfer(source=stock.main, destination=stock.other, part_type=stock.reader,
                          quantity=1)
    with pytest.raises(ServiceError):
        services.transfer(source=stock.main, destination=stock.main, part_type=stock.reader,
                          quantity=1)


def test_spr02_adjust_needs_reason_and_cannot_go_negative(stock) -> None:
    with pytest.raises(ServiceError) as exc:
        services.adjust(warehouse=stock.main, part_type=stock.reader, condition=Condition.NEW,
                        delta=2, reason="")
    assert "reason" in exc.value.message_dict
    services.adjust(warehouse=stock.main, part_type=stock.reader, condition=Condition.NEW,
                    delta=2, reason="盘点")
    with pytest.raises(ConflictError):
        services.adjust(warehouse=stock.main, part_type=stock.reader,
                        condition=Condition.NEW, delta=-3, reason="盘点")
    services.adjust(warehouse=stock.main, part_type=stock.reader, condition=Condition.NEW,
                    delta=-2, reason="盘点")
    assert on_hand(stock.main, stock.reader) == 0 == ledger_sum(stock.main, stock.reader)


def test_spr02_database_refuses_negative_on_hand(stock) -> None:
    """The CHECK constraint is the last line of defence behind the services."""
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=1)
    balance = StockBalance.objects.get(warehouse=stock.main, part_type=stock.reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(pk=balance.pk).update(on_hand=-1)
