"""SPR-02 property: whatever sequence of movements is tried (accepted or refused), every
balance equals the sum of its ledger and is never negative."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.spares import services
from weibao.spares.choices import Condition, ReferenceKind
from weibao.spares.models import PartType, StockBalance, StockMovement, Warehouse
from weibao.testing.factories import ContractFactory

OPS = st.lists(st.tuples(
    st.sampled_from(["receive", "issue", "return_faulty", "scrap", "transfer", "adjust"]),
    st.integers(0, 1),  # warehouse
    st.integers(0, 1),  # part type
    st.sampled_from([Condition.NEW, Condition.FAULTY]),
    st.integers(-3, 6),  # quantity (non-positive ones must be refused)
), max_size=30)


def _run(op: str, w: Warehouse, other: Warehouse, part: PartType, cond: str, n: int) -> None:
    if op == "receive":
        services.receive(warehouse=w, part_type=part, quantity=n, condition=cond)
    elif op == "issue":
        services.issue(warehouse=w, part_type=part, quantity=n, condition=cond,
                       reference_kind=ReferenceKind.TICKET, reference_id="T")
    elif op == "return_faulty":
        services.return_faulty(warehouse=w, part_type=part, quantity=n)
    elif op == "scrap":
        services.scrap(warehouse=w, part_type=part, quantity=n, condition=cond)
    elif op == "transfer":
        services.transfer(source=w, destination=other, part_type=part, quantity=n,
                          condition=cond)
    else:
        services.adjust(warehouse=w, part_type=part, condition=cond, delta=n, reason="盘点")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_spr02_balances_always_equal_the_ledger_and_never_negative(ops) -> None:
    contract = ContractFactory()
    houses = [Warehouse.objects.create(contract=contract, code=f"w{i}", name=f"库{i}")
              for i in range(2)]
    parts = [PartType.objects.create(contract=contract, code=f"p{i}", name=f"件{i}",
                                     unit_cost=Decimal("9.99"), must_be_new=bool(i))
             for i in range(2)]
    for op, w, p, cond, n in ops:
        with contextlib.suppress(ValidationError):  # refused: nothing may be written
            _run(op, houses[w], houses[1 - w], parts[p], cond, n)
    for balance in StockBalance.objects.filter(contract=contract):
        total = StockMovement.objects.filter(
            warehouse=balance.warehouse, part_type=balance.part_type,
            condition=balance.condition).aggregate(n=Sum("quantity"))["n"] or 0
        assert balance.on_hand == total >= 0
    assert not StockMovement.objects.filter(contract=contract, quantity__lte=0,
                                            kind="receive").exists()
