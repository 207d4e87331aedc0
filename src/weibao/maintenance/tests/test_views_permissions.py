"""The permission matrix of the maintenance pages (PLT-01, PM-01..09): every page renders
for each role that may see it, answers 403 to a role that may not, 404 for a visit of
another contract or (site staff) another site, and sends the anonymous to the login."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.maintenance.models import MaintenancePlan, Visit
from weibao.maintenance.tests.conftest import Setup
from weibao.maintenance.tests.test_views import client_for, new_visit
from weibao.testing.factories import OrganisationFactory, UserFactory

ROLES = ["manager", "engineer", "purchaser", "supervisor", "site_staff", "other_staff",
         "outsider"]


@pytest.fixture
def matrix(outlets: Setup) -> tuple[Setup, dict[str, User], Visit, Visit]:
    """Seed 000 with a supervisor and two site-owner organisations each owning one outlet
    (with one site staff member each); one visit at each outlet."""
    contract = outlets.contract
    people = dict(outlets.people)
    supervisor_org = OrganisationFactory(name="监理公司", code="sbk-sup",
                                         kind=OrganisationKind.SUPERVISOR)
    ContractParty.objects.create(contract=contract, organisation=supervisor_org,
                                 role=PartyRole.SUPERVISOR)
    people["supervisor"] = UserFactory(username="sbk-sup", organisation=supervisor_org,
                                       role=Role.SUPERVISOR)
    plan = MaintenancePlan.objects.get(contract=contract, code="sbk-monthly")
    visits = []
    for n, who in enumerate(("site_staff", "other_staff")):
        owner = OrganisationFactory(name=f"网点单位{n}", code=f"sbk-own{n}",
                                    kind=OrganisationKind.SITE_OWNER)
        ContractParty.objects.create(contract=contract, organisation=owner,
                                     role=PartyRole.SITE_OWNER)
        site = outlets.add_site(f"P{n}", site_type="sbk-outlet", district="huangpu",
                                organisation=owner)
        people[who] = UserFactory(username=f"sbk-staff{n}", organisation=owner,
                                  role=Role.SITE_STAFF)
        visits.append(new_visit(outlets, plan, site, key=f"p{n}"))
    return outlets, people, visits[0], visits[1]


def _expect(allowed: set[str], status: int = 200, *, denied: int = 403,
            outsider: int | None = None) -> dict[str, int]:
    codes = {role: (status if role in allowed else denied) for role in ROLES}
    if outsider is not None:
        codes["outsider"] = outsider
    return codes


STAFF = {"manager", "engineer", "purchaser", "supervisor"}
EVERYONE = STAFF | {"site_staff", "other_staff", "outsider"}
PAGES = {
    "list": ("maintenance:list", False, _expect(EVERYONE)),
    "today": ("maintenance:today", False, _expect({"manager", "engineer", "outsider"})),
    "calendar": ("maintenance:calendar", False, _expect(STAFF | {"outsider"})),
    "coverage": ("maintenance:coverage", False, _expect(STAFF | {"outsider"})),
    "plans": ("maintenance:plans", False, _expect(STAFF | {"outsider"})),
    "events": ("maintenance:events", False, _expect(STAFF | {"outsider"})),
    "areas": ("maintenance:areas", False, _expect(STAFF | {"outsider"})),
    # A visit: site staff see their own site's only; another contract's is a 404.
    "visit": ("maintenance:visit", True,
              {**_expect(STAFF | {"site_staff"}, outsider=404), "other_staff": 404}),
    "sheet": ("maintenance:sheet", True,
              {**_expect(STAFF | {"site_staff"}, outsider=404), "other_staff": 404}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_answers_each_role_as_the_matrix_says(matrix, page: str) -> None:
    """PLT-01: the page renders for the roles that may see it, 403/404 for the others."""
    _setup, people, own_visit, _other = matrix
    name, per_visit, expected = PAGES[page]
    url = reverse(name, args=[own_visit.pk] if per_visit else [])
    got = {role: client_for(people[role]).get(url).status_code for role in ROLES}
    assert got == expected


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_anonymous_are_sent_to_log_in(matrix, page: str) -> None:
    _setup, _people, own_visit, _other = matrix
    name, per_visit, _expected = PAGES[page]
    response = Client().get(reverse(name, args=[own_visit.pk] if per_visit else []))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_plan_and_checklist_pages_are_for_the_contracts_parties(matrix) -> None:
    """Plans and checklists: the contract's vendor, purchaser and supervisor; another
    organisation gets 404; site staff no plan pages."""
    setup, people, _visit, _other = matrix
    plan = MaintenancePlan.objects.get(contract=setup.contract, code="sbk-monthly")
    for role, status in {"manager": 200, "engineer": 200, "purchaser": 200,
                         "supervisor": 200, "outsider": 404, "site_staff": 403}.items():
        assert client_for(people[role]).get(
            reverse("maintenance:plan", args=[plan.pk])).status_code == status, role
    for role, status in {"manager": 200, "purchaser": 200, "outsider": 404,
                         "site_staff": 404}.items():
        assert client_for(people[role]).get(
            reverse("maintenance:checklist", args=[plan.checklist_id])).status_code \
            == status, role


def test_only_the_engineers_side_does_a_visit(matrix) -> None:
    """Checking in, saving the checklist, issuing parts and opening tickets are the
    vendor's: the purchaser, supervisor and site staff get 403, another contract 404."""
    _setup, people, visit, _other = matrix
    for url in (reverse("maintenance:check-in", args=[visit.pk]),
                reverse("maintenance:visit", args=[visit.pk]),
                reverse("maintenance:parts", args=[visit.pk]),
                reverse("maintenance:open-ticket", args=[visit.pk, "hw-sw"])):
        for role, status in {"purchaser": 403, "supervisor": 403, "site_staff": 403,
                             "outsider": 404}.items():
            assert client_for(people[role]).post(url, {}).status_code == status, (url, role)
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_only_the_vendor_manager_plans_visits(matrix) -> None:
    """Move, reassign and cancel: the vendor manager only."""
    _setup, people, visit, _other = matrix
    url = reverse("maintenance:manage", args=[visit.pk])
    for role in ("engineer", "purchaser", "supervisor", "site_staff"):
        assert client_for(people[role]).post(
            url, {"do": "cancel", "cancel-reason": "x"}).status_code == 403, role
    assert client_for(people["outsider"]).post(
        url, {"do": "cancel", "cancel-reason": "x"}).status_code == 404
    page = client_for(people["engineer"]).get(reverse("maintenance:visit", args=[visit.pk]))
    assert 'data-testid="visit-cancel"' not in page.content.decode()
    page = client_for(people["manager"]).get(reverse("maintenance:visit", args=[visit.pk]))
    assert 'data-testid="visit-cancel"' in page.content.decode()


def test_major_events_and_districts_are_written_by_their_roles(matrix) -> None:
    """PM-07: the purchaser and the vendor manager record events (the engineer sees no
    form); only the vendor manager sets districts."""
    _setup, people, _visit, _other = matrix
    events = reverse("maintenance:events")
    for role, has_form in {"purchaser": True, "manager": True, "engineer": False,
                           "supervisor": False}.items():
        page = client_for(people[role]).get(events).content.decode()
        assert ('data-testid="event-create"' in page) == has_form, role
    assert client_for(people["engineer"]).post(events, {}).status_code == 403
    areas = reverse("maintenance:areas")
    assert 'data-testid="areas-save"' in client_for(people["manager"]).get(areas) \
        .content.decode()
    for role in ("engineer", "purchaser", "supervisor"):
        assert client_for(people[role]).post(areas, {}).status_code == 403, role


def test_a_sheet_pdf_of_another_contract_is_a_404(matrix) -> None:
    """The month's sheets and a sheet's PDF stay within the user's contracts."""
    _setup, people, _visit, _other = matrix
    assert client_for(people["outsider"]).get(
        reverse("maintenance:sheet-pdf", args=[999999])).status_code == 404
    assert client_for(people["outsider"]).get(
        reverse("maintenance:month-sheets", args=["zip"])).status_code == 404
    assert client_for(people["site_staff"]).get(
        reverse("maintenance:month-sheets", args=["exe"])).status_code in (403, 404)
