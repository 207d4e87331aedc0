"""The maintenance API's permission matrix (PLT-01, PM-01, PM-02, PM-09): anonymous callers
are refused, another organisation's people find nothing (404), site staff read only their
own site's visits and sheets, the assigned engineer carries a visit out, the purchaser and
the supervisor may not, and only the vendor's manager plans (moves, reassigns, cancels)."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import Visit, VisitSheet
from weibao.maintenance.tests.api_helpers import ApiWorld, client_for, make_visit, world_of
from weibao.maintenance.tests.conftest import Setup
from weibao.spares.models import Warehouse

VISITS = "/api/maintenance/visits/"
ROLES = ["manager", "engineer", "engineer2", "purchaser", "supervisor", "site_staff",
         "other_staff", "outsider"]


@pytest.fixture
def world(outlets: Setup, settings, tmp_path) -> ApiWorld:
    settings.MEDIA_ROOT = tmp_path
    return world_of(outlets)


@pytest.fixture
def visits(world: ApiWorld) -> dict[str, Visit]:
    """One visit at each site, both assigned to ``engineer``, each with a sheet row."""
    found = {"own": make_visit(world, assignee=world.people["engineer"]),
             "other": make_visit(world, site=world.other_site,
                                 assignee=world.people["engineer"])}
    for visit in found.values():
        VisitSheet.objects.create(visit=visit, version=1, pdf="", digest="d")
    return found


def as_role(world: ApiWorld, role: str) -> Any:
    return client_for(world.people[role] if role != "anonymous" else None)


# --- reading ---------------------------------------------------------------------------------

LIST_COUNTS = {"manager": 2, "engineer": 2, "engineer2": 2, "purchaser": 2, "supervisor": 2,
               "site_staff": 1, "other_staff": 1, "outsider": 0}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_visits_and_sheets(world: ApiWorld, visits: dict[str, Visit],
                                          role: str):
    """PLT-01: the parties see the contract's visits and sheets; site staff only their own
    site's; an outsider none, and another contract's visit is a 404 to them."""
    client = as_role(world, role)
    assert client.get(VISITS).json()["count"] == LIST_COUNTS[role]
    assert client.get("/api/maintenance/sheets/").json()["count"] == LIST_COUNTS[role]
    own = client.get(f"{VISITS}{visits['own'].pk}/")
    sees_own = role not in ("outsider", "other_staff")
    assert own.status_code == (200 if sees_own else 404)
    sheet = visits["own"].sheets.get()
    assert client.get(f"/api/maintenance/sheets/{sheet.pk}/").status_code == (
        200 if sees_own else 404)


@pytest.mark.parametrize("path", [VISITS, "/api/maintenance/plans/",
                                  "/api/maintenance/checklists/", "/api/maintenance/sheets/",
                                  "/api/maintenance/major-events/",
                                  "/api/maintenance/engineer-areas/",
                                  "/api/maintenance/coverage/?contract=x&month=2025-10"])
def test_anonymous_callers_are_refused(world: ApiWorld, path: str):
    """Nothing of the maintenance domain is public: 401 or 403 in the error format."""
    response = client_for(None).get(path)
    assert response.status_code in (401, 403)
    assert set(response.json()) >= {"message", "code", "errors"}


@pytest.mark.parametrize(("role", "plans", "areas"), [
    ("manager", 200, 200), ("engineer", 200, 200), ("purchaser", 200, 200),
    ("supervisor", 200, 200), ("site_staff", 403, 403)])
def test_plans_and_districts_are_not_for_site_staff(world: ApiWorld, role: str, plans: int,
                                                    areas: int):
    """Site staff read their visits and the checklist, not the contract's plans or the
    engineers' districts."""
    client = as_role(world, role)
    assert client.get("/api/maintenance/plans/").status_code == plans
    assert client.get("/api/maintenance/engineer-areas/").status_code == areas
    assert client.get("/api/maintenance/checklists/").status_code == 200


def test_an_outsider_reads_nothing_of_the_contract(world: ApiWorld, visits: dict[str, Visit]):
    """PLT-01: another organisation's engineer sees no plan, checklist or sheet, and the
    coverage of the contract is a 404."""
    client = as_role(world, "outsider")
    assert client.get("/api/maintenance/plans/").json()["count"] == 0
    assert client.get("/api/maintenance/checklists/").json()["count"] == 0
    assert client.get(f"/api/maintenance/plans/{world.plan.pk}/").status_code == 404
    sheet = visits["own"].sheets.get()
    assert client.get(f"/api/maintenance/sheets/{sheet.pk}/pdf/").status_code == 404
    assert client.get("/api/maintenance/coverage/", {
        "contract": world.contract.number, "month": "2025-10"}).status_code == 404


# --- doing a visit ----------------------------------------------------------------------------

CHECK_IN = {"manager": 200, "engineer": 200, "engineer2": 403, "purchaser": 403,
            "supervisor": 403, "site_staff": 403, "other_staff": 403, "outsider": 404,
            "anonymous": 403}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_who_may_carry_out_a_visit(world: ApiWorld, visits: dict[str, Visit], role: str):
    """PM-01: the assigned engineer (or the vendor's manager) checks in; another engineer,
    the purchaser, the supervisor and site staff may not (403); an outsider finds no such
    visit (404)."""
    visit = visits["own"]
    response = as_role(world, role).post(f"{VISITS}{visit.pk}/check-in/", {}, format="json")
    expected = CHECK_IN[role]
    if role == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, response.json()
    visit.refresh_from_db()
    assert (visit.status == VisitStatus.IN_PROGRESS) == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), [
    ("purchaser", 403), ("supervisor", 403), ("site_staff", 403), ("engineer2", 403),
    ("outsider", 404)])
def test_others_may_not_record_results_or_submit(world: ApiWorld, visits: dict[str, Visit],
                                                  role: str, expected: int):
    """PM-01/PM-02: results, photos, parts, tickets and the submission are the performer's;
    everyone else is refused and nothing changes."""
    visit = visits["own"]
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.IN_PROGRESS)
    Warehouse.objects.create(contract=world.contract, code="main", name="主仓库")
    client = as_role(world, role)
    for name, body in [("results", {"answers": {"hw": {"value": True}}}),
                       ("open-ticket", {"item_code": "hw"}),
                       ("parts", {"warehouse": "main", "part_type": "desktop", "quantity": 1}),
                       ("submit", {})]:
        response = client.post(f"{VISITS}{visit.pk}/{name}/", body, format="json")
        assert response.status_code == expected, (name, response.json())
    assert not visit.results.exists()
    assert Visit.objects.get(pk=visit.pk).version == 1


@pytest.mark.parametrize(("role", "expected"), [
    ("purchaser", 403), ("supervisor", 403), ("site_staff", 403), ("outsider", 404)])
def test_only_the_vendor_corrects_a_sheet(world: ApiWorld, visits: dict[str, Visit],
                                          role: str, expected: int):
    """PM-02: a signed sheet's correction is the vendor's; others are refused."""
    visit = visits["own"]
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE)
    response = as_role(world, role).post(f"{VISITS}{visit.pk}/correct/", {
        "answers": {"hw": {"value": False}}, "reason": "改"}, format="json")
    assert response.status_code == expected
    assert visit.sheets.count() == 1


# --- planning ---------------------------------------------------------------------------------

PLANNING = {"manager": 200, "engineer": 403, "engineer2": 403, "purchaser": 403,
            "supervisor": 403, "site_staff": 403, "other_staff": 403, "outsider": 403}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_manager_moves_reassigns_and_cancels(world: ApiWorld,
                                                       visits: dict[str, Visit], role: str):
    """PM-01: moving, reassigning and cancelling visits is the vendor manager's; everyone
    else is refused and the visit stays as it was."""
    visit = visits["own"]
    client = as_role(world, role)
    for name, body in [("move", {"planned_for": "2025-10-20"}),
                       ("reassign", {"assignee": "sbk-engineer2"}),
                       ("cancel", {"reason": "网点装修"})]:
        response = client.post(f"{VISITS}{visit.pk}/{name}/", body, format="json")
        assert response.status_code == PLANNING[role], (name, response.json())
    visit.refresh_from_db()
    changed = role == "manager"
    assert (visit.status == VisitStatus.CANCELLED) == changed
    assert (visit.assignee == world.people["engineer2"]) == changed


@pytest.mark.parametrize(("role", "expected"), [
    ("manager", 201), ("engineer", 403), ("purchaser", 403), ("supervisor", 403),
    ("site_staff", 403), ("outsider", 403)])
def test_only_the_manager_makes_visits_by_hand(world: ApiWorld, role: str, expected: int):
    """Only the vendor's manager adds visits by hand."""
    response = as_role(world, role).post(VISITS, {
        "contract": world.contract.number, "plan": world.plan.code, "site": "S001",
        "window_start": "2025-10-01T00:00:00+08:00",
        "window_end": "2025-11-01T00:00:00+08:00"}, format="json")
    assert response.status_code == expected, response.json()
