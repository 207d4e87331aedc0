"""Fixtures of the assessment tests: the example contracts of seeds 000 (breach ledger,
ASM-03), 001 (weighted score, ASM-01) and 002 (criteria count, ASM-02), each with one person
per role and a supervisor party (监理方) to decide disputes (ASM-06)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract, ContractParty
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
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
    supervisor = OrganisationFactory(name=f"{prefix}监理公司", code=f"{prefix}-supervisor",
                                     kind=OrganisationKind.SUPERVISOR)
    ContractParty.objects.create(contract=contract, organisation=supervisor,
                                 role=PartyRole.SUPERVISOR)
    other = OrganisationFactory(name=f"{prefix}无关单位", code=f"{prefix}-other",
                                kind=OrganisationKind.VENDOR)
    people = {
        "purchaser": UserFactory(username=f"{prefix}-purchaser", organisation=purchaser,
                                 role=Role.PURCHASER_STAFF),
        "manager": UserFactory(username=f"{prefix}-manager", organisation=vendor,
                               role=Role.VENDOR_MANAGER),
        "engineer": UserFactory(username=f"{prefix}-engineer", organisation=vendor,
                                role=Role.VENDOR_ENGINEER),
        "supervisor": UserFactory(username=f"{prefix}-supervisor", organisation=supervisor,
                                  role=Role.SUPERVISOR),
        "outsider": UserFactory(username=f"{prefix}-outsider", organisation=other,
                                role=Role.VENDOR_MANAGER),
    }
    return Setup(contract, people)


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
