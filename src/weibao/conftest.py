"""Shared fixtures: a small world of two contracts and one user per role (PLT-01 tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from rest_framework.test import APIClient

from weibao.contracts.models import Contract
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import Organisation, User
from weibao.testing.factories import PASSWORD, OrganisationFactory, UserFactory, make_contract


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``pdf`` need WeasyPrint's system libraries (Pango). Where they are
    missing, those tests are skipped with the packages to install (as ``weibao check`` says),
    so ``make test`` passes on a machine with only Python and make."""
    wanted = [item for item in items if item.get_closest_marker("pdf")]
    if not wanted:
        return
    from weibao.tickets.pdf import PANGO_PACKAGES, renderer_problem

    problem = renderer_problem()
    if problem is None:
        return
    skip = pytest.mark.skip(reason=f"PDF renderer unavailable ({problem}); install the Debian "
                                   f"packages {PANGO_PACKAGES}")
    for item in wanted:
        item.add_marker(skip)


@dataclass
class World:
    """Contract A: purchaser P1, vendor V1, supervisor S1, site owner O1.
    Contract B: purchaser P2, vendor V2 — nobody of A's organisations is party to it."""

    a: Contract
    b: Contract
    orgs: dict[str, Organisation]
    users: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(db: None) -> World:
    orgs = {
        "P1": OrganisationFactory(name="甲方一", code="p1", kind=OrganisationKind.PURCHASER),
        "V1": OrganisationFactory(name="乙方一", code="v1", kind=OrganisationKind.VENDOR),
        "S1": OrganisationFactory(name="监理一", code="s1", kind=OrganisationKind.SUPERVISOR),
        "O1": OrganisationFactory(name="网点一", code="o1", kind=OrganisationKind.SITE_OWNER),
        "P2": OrganisationFactory(name="甲方二", code="p2", kind=OrganisationKind.PURCHASER),
        "V2": OrganisationFactory(name="乙方二", code="v2", kind=OrganisationKind.VENDOR),
        "OPS": OrganisationFactory(name="平台运维", code="ops", kind=OrganisationKind.OPERATOR),
    }
    a = make_contract(orgs["P1"], orgs["V1"], number="A-001", title="合同甲",
                      supervisor=orgs["S1"], site_owner=orgs["O1"])
    b = make_contract(orgs["P2"], orgs["V2"], number="B-001", title="合同乙")
    world = World(a=a, b=b, orgs=orgs)
    for name, org, role in [
        ("purchaser", "P1", Role.PURCHASER_STAFF),
        ("manager", "V1", Role.VENDOR_MANAGER),
        ("engineer", "V1", Role.VENDOR_ENGINEER),
        ("supervisor", "S1", Role.SUPERVISOR),
        ("site", "O1", Role.SITE_STAFF),
        ("outsider", "P2", Role.PURCHASER_STAFF),
        ("outsider_manager", "V2", Role.VENDOR_MANAGER),
        ("admin", "OPS", Role.ADMINISTRATOR),
    ]:
        world.users[name] = UserFactory(username=name, organisation=orgs[org], role=role)
    return world


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def login(client: object, user: User) -> None:
    client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
