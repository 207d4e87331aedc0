"""Fixtures of the deliverables tests: seed 000's outlets contract (weekly and monthly
reports, RPT-01) and seed 002's CA contract (monthly plan by the 5th, half-yearly report,
RPT-02..05), with one person per role."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.contracts.models import Contract
from weibao.reports.choices import Cadence
from weibao.reports.models import Deliverable
from weibao.testing.examples import EXAMPLES, SHANGHAI, Setup, at, example_setup
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

__all__ = ["EXAMPLES", "SHANGHAI", "Setup", "at"]


def _setup(example: str, prefix: str) -> Setup:
    return example_setup(example, prefix)


@pytest.fixture
def outlets(db: None) -> Setup:
    """Seed 000: weekly report before Tuesday, monthly report by the 21st (RPT-01)."""
    return _setup("000-shanghai-sbk-outlets.yaml", "sbk")


@pytest.fixture
def ca(db: None) -> Setup:
    """Seed 002: monthly plan by the 5th, half-yearly report, UPS reports (RPT-02..05)."""
    return _setup("002-shanghai-hrss-ca-integration.yaml", "ca")


def make_deliverable(contract: Contract, code: str = "monthly-test", *,
                     cadence: str = Cadence.MONTHLY, **extra: Any) -> Deliverable:
    """A deliverable built directly (independent of the example specs)."""
    extra.setdefault("name", f"{code} 报告")
    if cadence == Cadence.MONTHLY:
        extra.setdefault("due_day", 21)
    return Deliverable.objects.create(contract=contract, code=code, cadence=cadence, **extra)
