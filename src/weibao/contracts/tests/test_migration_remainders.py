"""Migration 0003 (PAY-03): a milestone scaled by the assessment becomes the final-price
remainder; the others keep their percent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contracts", "0002_initial")]
AFTER = [("contracts", "0003_payment_remainders_and_contract_events")]


@pytest.mark.django_db(transaction=True)
def test_pay03_scaled_milestones_become_final_price_remainders():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Contract = apps.get_model("contracts", "Contract")
        PaymentMilestone = apps.get_model("contracts", "PaymentMilestone")
        contract = Contract.objects.create(number="MIG-1", title="迁移", amount=Decimal("100"),
                                           start_date="2025-01-01", end_date="2025-12-31")
        for sequence, percent, scaled in [(1, "50", False), (2, "50", True)]:
            PaymentMilestone.objects.create(contract=contract, sequence=sequence,
                                            name=f"#{sequence}", percent=Decimal(percent),
                                            trigger="on_signing",
                                            scaled_by_assessment=scaled)
    finally:
        # Back to the latest state of every app (later migrations may depend on 0003).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("contracts", "PaymentMilestone").objects.order_by("sequence")
    assert [(m.amount_basis, m.percent) for m in rows] == [
        ("percent", Decimal("50.00")), ("final_price", None)]
