"""Fixtures of the assessment tests: the example contracts of seeds 000 (breach ledger,
ASM-03), 001 (weighted score, ASM-01) and 002 (criteria count, ASM-02), each with one person
per role and a supervisor party (监理方) to decide disputes (ASM-06)."""

from __future__ import annotations

import pytest

from weibao.testing.examples import EXAMPLES, SHANGHAI, Setup, at, example_setup
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

__all__ = ["EXAMPLES", "SHANGHAI", "Setup", "at"]


def _setup(example: str, prefix: str) -> Setup:
    return example_setup(example, prefix, supervisor=True)


@pytest.fixture
def outlets(db: None) -> Setup:
    """Seed 000: 1 % per breach, termination right at 5 breaches and 20 % more (ASM-03)."""
    return _setup("000-shanghai-sbk-outlets.yaml", "sbk")


@pytest.fixture
def onsite(db: None) -> Setup:
    """Seed 001: five weighted items, 100 points, score bands to the factor (ASM-01)."""
    return _setup("001-changzhou-hrss-onsite.yaml", "cz")


@pytest.fixture
def ca(db: None) -> Setup:
    """Seed 002: seven criteria, grades 优秀/良好/一般 to the factor (ASM-02)."""
    return _setup("002-shanghai-hrss-ca-integration.yaml", "ca")
