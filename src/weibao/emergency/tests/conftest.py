"""Fixtures of the emergency tests: seed 002's CA contract (drill rules of §9.1.1 2, one
important system and nine others) and seed 001's contract (no drill rule), with one person
per role and an outsider of another vendor."""

from __future__ import annotations

import pytest

from weibao.testing.examples import Setup, example_setup
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)


@pytest.fixture
def ca(db: None) -> Setup:
    return example_setup("002-shanghai-hrss-ca-integration.yaml", "ca")


@pytest.fixture
def onsite(db: None) -> Setup:
    return example_setup("001-changzhou-hrss-onsite.yaml", "cz")
