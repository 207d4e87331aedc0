"""Fixtures of the deliverables tests: seed 000's outlets contract (weekly and monthly
reports, RPT-01) and seed 002's CA contract (monthly plan by the 5th, half-yearly report,
RPT-02..05), with one person per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from weibao.contracts.models import Contract
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.reports.choices import Cadence
from weibao.reports.models import Deliverable
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A Beijing time, e.g. at("2025-10-10 08:30")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class Setup:
    contract: Contract
    people: dict[str, User]


def _setup(example: str, prefix: str) -> Setup:
    contract = import_text((EXAMPLES / example).read_text("utf-8")).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    purchaser = contract.purchaser.organisation  # type: ignore[union-attr]
    other = OrganisationFactory(name=f"{prefix}无关单位", code=f"{prefix}-other",
                                kind=OrganisationKind.VENDOR)
    people = {
        "purchaser": UserFactory(username=f"{prefix}-purchaser", organisation=purchaser,
                                 role=Role.PURCHASER_STAFF),
        "manager": UserFactory(username=f"{prefix}-manager", organisation=vendor,
                               role=Role.VENDOR_MANAGER),
        "engineer": UserFactory(username=f"{prefix}-engineer", organisation=vendor,
                                role=Role.VENDOR_ENGINEER),
        "outsider": UserFactory(username=f"{prefix}-outsider", organisation=other,
                                role=Role.VENDOR_MANAGER),
    }
    return Setup(contract, people)


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
