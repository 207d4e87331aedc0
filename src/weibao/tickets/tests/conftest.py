"""Fixtures of the ticket tests: seed 002's contract (fault levels I–IV, SLA-02/03) and
seed 000's (urban/suburban response, SLA-01), with one person per role."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from weibao.contracts.models import Contract
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.sites.models import District, SiteType
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)
from weibao.tickets import services
from weibao.tickets.models import Ticket, TicketType

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A Beijing time, e.g. at("2025-10-10 08:30")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class Setup:
    contract: Contract
    people: dict[str, User]

    def ticket_type(self, code: str) -> TicketType:
        return TicketType.objects.get(contract=self.contract, code=code)

    def contract_site_type(self) -> SiteType:
        return SiteType.objects.filter(contract=self.contract).order_by("order").first()  # type: ignore[return-value]

    def district(self, code: str) -> District:
        return District.objects.get(contract=self.contract, code=code)

    def report(self, when: str, *, code: str = "fault", scope: str = "small",
               site: object = None, now: str | None = None, **extra: object) -> Ticket:
        return services.create_ticket(services.TicketInput(
            contract=self.contract, ticket_type=self.ticket_type(code), title="读卡机无法读卡",
            scope=scope, site=site, reported_at=at(when), **extra),  # type: ignore[arg-type]
            actor=self.people["purchaser"], now=at(now or when))


def _setup(example: str, prefix: str, pause_states: tuple[str, ...] = ()) -> Setup:
    """The example contract with one person per role. ``pause_states``: no seed has a clause
    that stops a clock, so the examples list none (SLA-09); a test of pausing adds the states
    it needs, as a contract that allows them would."""
    text = (EXAMPLES / example).read_text("utf-8")
    if pause_states:
        data = load_yaml(text)
        data["service_levels"]["pause_states"] = list(pause_states)
        text = dump_yaml(data)
    contract = import_text(text).contract
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
        "engineer2": UserFactory(username=f"{prefix}-engineer2", organisation=vendor,
                                 role=Role.VENDOR_ENGINEER),
        "outsider": UserFactory(username=f"{prefix}-outsider", organisation=other,
                                role=Role.VENDOR_ENGINEER),
    }
    return Setup(contract, people)


@pytest.fixture
def ca(db: None) -> Setup:
    """Seed 002: 上海市人社 CA/integration, SLA by fault level (SLA-02, SLA-03)."""
    return _setup("002-shanghai-hrss-ca-integration.yaml", "ca")


@pytest.fixture
def outlets(db: None) -> Setup:
    """Seed 000: social-security card outlets, response by area class (SLA-01)."""
    return _setup("000-shanghai-sbk-outlets.yaml", "sbk")


PAUSE_STATES = ("awaiting_purchaser", "awaiting_third_party")


@pytest.fixture
def ca_pausing(db: None) -> Setup:
    """Seed 002's contract with pause states added (the seed has none, SLA-09)."""
    return _setup("002-shanghai-hrss-ca-integration.yaml", "ca", PAUSE_STATES)


@pytest.fixture
def outlets_pausing(db: None) -> Setup:
    """Seed 000's contract with pause states added (the seed has none, SLA-09)."""
    return _setup("000-shanghai-sbk-outlets.yaml", "sbk", PAUSE_STATES)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield
