"""Shared data of the maintenance API tests: seed 000's outlets with two sites (each owned by
its own organisation, with one site staff member each), a supervisor, a monthly plan with a
three-item checklist and visits made directly (generation has its own tests)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from rest_framework.test import APIClient

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import MaintenancePlan, Visit
from weibao.maintenance.tests.conftest import Setup, at, make_plan
from weibao.sites.models import Site
from weibao.testing.factories import OrganisationFactory, UserFactory

__all__ = ["ApiWorld", "client_for", "make_visit", "world_of"]

_keys = itertools.count(1)


@dataclass
class ApiWorld:
    setup: Setup
    plan: MaintenancePlan
    site: Site
    other_site: Site
    people: dict[str, User]

    @property
    def contract(self) -> Any:
        return self.setup.contract


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _site_owner(setup: Setup, site: Site, code: str) -> User:
    org = OrganisationFactory(name=f"网点单位{code}", code=f"own-{code}",
                              kind=OrganisationKind.SITE_OWNER)
    ContractParty.objects.create(contract=setup.contract, organisation=org,
                                 role=PartyRole.SITE_OWNER)
    Site.objects.filter(pk=site.pk).update(organisation=org)
    return UserFactory(username=f"staff-{code}", organisation=org, role=Role.SITE_STAFF,
                       first_name="网点")


def world_of(setup: Setup) -> ApiWorld:
    """Seed 000 with sites S001 (徐汇区) and S002 (黄浦区), a monthly plan, one site staff
    member per site and a supervisor."""
    site = setup.add_site("S001", site_type="sbk-outlet", district="xuhui")
    other = setup.add_site("S002", site_type="rp-outlet", district="huangpu")
    plan = make_plan(setup.contract, site_types=[setup.site_type("sbk-outlet"),
                                                 setup.site_type("rp-outlet")],
                     missed_is_breach=True)
    people = dict(setup.people)
    people["site_staff"] = _site_owner(setup, site, "s001")
    people["other_staff"] = _site_owner(setup, other, "s002")
    supervision = OrganisationFactory(name="监理单位", code="sbk-supervision",
                                      kind=OrganisationKind.SUPERVISOR)
    ContractParty.objects.create(contract=setup.contract, organisation=supervision,
                                 role=PartyRole.SUPERVISOR)
    people["supervisor"] = UserFactory(username="sbk-supervisor", organisation=supervision,
                                       role=Role.SUPERVISOR)
    return ApiWorld(setup, plan, Site.objects.get(pk=site.pk),
                    Site.objects.get(pk=other.pk), people)


def make_visit(world: ApiWorld, *, site: Site | None = None, month: str = "2025-10",
               status: str = VisitStatus.PLANNED, assignee: User | None = None,
               plan: MaintenancePlan | None = None, **extra: Any) -> Visit:
    """A visit of the monthly plan whose window is the calendar month ``month``."""
    year, number = (int(part) for part in month.split("-"))
    start = at(f"{year}-{number:02d}-01 00:00")
    end = at(f"{year + number // 12}-{number % 12 + 1:02d}-01 00:00")
    target = site or world.site
    return Visit.objects.create(
        contract=world.contract, plan=plan or world.plan, key=f"test:{next(_keys)}",
        site=target, window_start=start, window_end=end, status=status, assignee=assignee,
        planned_for=extra.pop("planned_for", (start + datetime.timedelta(days=9)).date()),
        **extra)
