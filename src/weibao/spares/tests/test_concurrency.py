"""SPR-02 on PostgreSQL: two clerks issuing the last unit at once, exactly one succeeds.

Each thread has its own connection; a barrier starts them together and a pause inside the
locked section (after the balance row lock, before the write) makes the transactions overlap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from weibao.core.errors import ConflictError
from weibao.spares import services
from weibao.spares.choices import ReferenceKind
from weibao.spares.models import BudgetCap, PartType, StockBalance, StockMovement, Warehouse
from weibao.spares.services import ledger
from weibao.testing.factories import ContractFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) and concurrent writers need "
                              "PostgreSQL; SQLite serialises whole-database writes"),
    pytest.mark.django_db(transaction=True),
]

PAUSE = 0.3


def race(*jobs: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a thread hung (deadlock?)"
    return results


def slow(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    original = getattr(ledger, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(ledger, name, wrapper)


def _setup() -> tuple[Warehouse, Warehouse, PartType]:
    contract = ContractFactory()
    part = PartType.objects.create(contract=contract, code="reader", name="读卡机",
                                   unit_cost=Decimal("100.00"))
    main = Warehouse.objects.create(contract=contract, code="main", name="主库")
    east = Warehouse.objects.create(contract=contract, code="east", name="东区库")
    return main, east, part


def test_spr02_two_concurrent_issues_of_the_last_unit_exactly_one_succeeds(monkeypatch):
    main, _east, part = _setup()
    services.receive(warehouse=main, part_type=part, quantity=1)
    slow(monkeypatch, "_take")  # sleep after the lock, before the check and write

    def take(ticket: str) -> Callable[[], StockMovement]:
        return lambda: services.issue(
            warehouse=Warehouse.objects.get(pk=main.pk),
            part_type=PartType.objects.get(pk=part.pk), quantity=1,
            reference_kind=ReferenceKind.TICKET, reference_id=ticket)

    results = race(take("T-1"), take("T-2"))
    ok = [r for r in results if isinstance(r, StockMovement)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(ok) == 1 and len(failed) == 1, results
    assert isinstance(failed[0], ConflictError), repr(failed[0])
    assert StockBalance.objects.get(warehouse=main, part_type=part).on_hand == 0


def test_spr02_opposite_transfers_do_not_deadlock(monkeypatch):
    main, east, part = _setup()
    services.receive(warehouse=main, part_type=part, quantity=2)
    services.receive(warehouse=east, part_type=part, quantity=2)
    slow(monkeypatch, "_take")

    def move(src: Warehouse, dst: Warehouse) -> Callable[[], Any]:
        return lambda: services.transfer(source=Warehouse.objects.get(pk=src.pk),
                                         destination=Warehouse.objects.get(pk=dst.pk),
                                         part_type=PartType.objects.get(pk=part.pk),
                                         quantity=2)

    results = race(move(main, east), move(east, main))
    assert all(not isinstance(r, BaseException) for r in results), results
    assert sum(b.on_hand for b in StockBalance.objects.filter(part_type=part)) == 4


def test_spr03_concurrent_issues_cannot_both_squeeze_under_a_cap(monkeypatch):
    main, _east, part = _setup()
    cap = BudgetCap.objects.create(contract=main.contract, code="ups", name="UPS 电池",
                                   base_amount=Decimal("1000.00"), percent=Decimal("15"))
    cap.part_types.add(part)  # cap = 150.00: one issue of 100.00 fits, two do not
    services.receive(warehouse=main, part_type=part, quantity=2)
    slow(monkeypatch, "_take")

    def take(ticket: str) -> Callable[[], Any]:
        return lambda: services.issue(warehouse=Warehouse.objects.get(pk=main.pk),
                                      part_type=PartType.objects.get(pk=part.pk), quantity=1,
                                      reference_kind=ReferenceKind.TICKET, reference_id=ticket)

    results = race(take("T-1"), take("T-2"))
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 1 and isinstance(failed[0], ConflictError), results
