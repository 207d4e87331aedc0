"""The example contracts of examples/contracts/ as test fixtures: one imported spec with one
person per role of its parties (and an outsider of another vendor), optionally with a
supervisor party (监理方)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract, ContractParty
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.testing.factories import OrganisationFactory, UserFactory

__all__ = ["EXAMPLES", "SHANGHAI", "Setup", "at", "example_setup"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "contracts"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A Beijing time, e.g. at("2025-10-10 08:30")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class Setup:
    contract: Contract
    people: dict[str, User]


def example_setup(example: str, prefix: str, *, supervisor: bool = False) -> Setup:
    """Import ``example`` and make its people: purchaser, manager, engineer, outsider — and,
    with ``supervisor``, a supervisor organisation as a party of the contract with its user.
    ``prefix`` keeps the usernames and organisation codes of two setups apart."""
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
    if supervisor:
        org = OrganisationFactory(name=f"{prefix}监理公司", code=f"{prefix}-supervisor",
                                  kind=OrganisationKind.SUPERVISOR)
        ContractParty.objects.create(contract=contract, organisation=org,
                                     role=PartyRole.SUPERVISOR)
        people["supervisor"] = UserFactory(username=f"{prefix}-supervisor", organisation=org,
                                           role=Role.SUPERVISOR)
    return Setup(contract, people)
