"""Races on PostgreSQL with real threads and connections (PAY-01, PAY-02).

Each thread opens its own database connection; a barrier starts them together and a short
sleep inside the critical section (after the row lock, before the write) makes sure the two
transactions overlap. The services must let exactly one succeed and refuse the other with a
ServiceError (not an IntegrityError or a silently broken rule).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from weibao.contracts.choices import MilestoneTrigger
from weibao.contracts.models import Contract, Invoice, Payment, PaymentMilestone
from weibao.contracts.services import (
    MilestoneInput,
    record_invoice,
    record_payment,
    save_milestone,
)
from weibao.contracts.services import payments as payment_services
from weibao.core.errors import ServiceError
from weibao.testing.factories import ContractFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) and concurrent writers need "
                              "PostgreSQL; SQLite serialises whole-database writes"),
    pytest.mark.django_db(transaction=True),
]

PAUSE = 0.3  # seconds spent inside the locked section


def race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in parallel threads; return each result or the exception it raised."""
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


def slow(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
    """Wrap ``target.name`` so it sleeps first: widens the window between check and write."""
    original = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, wrapper)


def outcome(results: list[Any]) -> tuple[list[Any], list[BaseException]]:
    ok = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)]
    return ok, failed


def test_pay02_two_payments_for_the_same_invoice_exactly_one_succeeds(monkeypatch):
    contract = ContractFactory(amount=Decimal("1000000.00"))
    milestone = save_milestone(contract, MilestoneInput(
        name="首付款", percent=Decimal("50"), trigger=MilestoneTrigger.ON_SIGNING))
    invoice = record_invoice(milestone, number="FP-1", issued_on=datetime.date(2025, 3, 1),
                             amount=Decimal("500000.00"))
    # Sleep after the "already paid?" check and before the insert.
    slow(monkeypatch, payment_services, "milestone_amount_details")

    def pay() -> Payment:
        return record_payment(PaymentMilestone.objects.get(pk=milestone.pk),
                              paid_on=datetime.date(2025, 3, 5), amount=Decimal("500000.00"),
                              invoice=Invoice.objects.get(pk=invoice.pk))

    ok, failed = outcome(race(pay, pay))
    assert len(ok) == 1, failed
    assert len(failed) == 1
    assert isinstance(failed[0], ServiceError), repr(failed[0])
    assert "invoice" in failed[0].message_dict
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_pay01_two_milestones_exceeding_100_percent_together_exactly_one_succeeds(monkeypatch):
    contract = ContractFactory(amount=Decimal("1000000.00"))
    save_milestone(contract, MilestoneInput(name="首付款", percent=Decimal("40"),
                                            trigger=MilestoneTrigger.ON_SIGNING))
    # Sleep after the percent check and before the insert.
    slow(monkeypatch, PaymentMilestone, "save")

    def add(sequence: int) -> Callable[[], PaymentMilestone]:
        # Distinct sequence numbers: only the 100 % rule (and the lock) can stop the second.
        return lambda: save_milestone(
            Contract.objects.get(pk=contract.pk),
            MilestoneInput(name=f"第{sequence}期", percent=Decimal("40"),
                           trigger=MilestoneTrigger.ON_SIGNING),
            sequence=sequence)

    ok, failed = outcome(race(add(2), add(3)))
    assert len(ok) == 1, failed
    assert len(failed) == 1
    assert isinstance(failed[0], ServiceError), repr(failed[0])
    assert "percent" in failed[0].message_dict
    percents = list(PaymentMilestone.objects.filter(contract=contract)
                    .values_list("percent", flat=True))
    assert sorted(percents) == [Decimal("40"), Decimal("40")]
    assert sum(percents) <= 100


def test_pay02_two_invoices_exceeding_the_milestone_together_exactly_one_succeeds(monkeypatch):
    contract = ContractFactory(amount=Decimal("1000000.00"))
    milestone = save_milestone(contract, MilestoneInput(
        name="首付款", percent=Decimal("50"), trigger=MilestoneTrigger.ON_SIGNING))
    slow(monkeypatch, payment_services, "milestone_amount_details")

    def invoice(number: str) -> Callable[[], Invoice]:
        return lambda: record_invoice(PaymentMilestone.objects.get(pk=milestone.pk),
                                      number=number, issued_on=datetime.date(2025, 3, 1),
                                      amount=Decimal("300000.00"))

    ok, failed = outcome(race(invoice("FP-A"), invoice("FP-B")))
    assert len(ok) == 1 and len(failed) == 1, results_text(ok, failed)
    assert isinstance(failed[0], ServiceError), repr(failed[0])
    assert Invoice.objects.filter(milestone=milestone).count() == 1


def results_text(ok: list[Any], failed: list[BaseException]) -> str:
    return f"ok={ok!r} failed={failed!r}"
