"""On-site support requested before the vendor acknowledges (issue 15 item 5, TKT-04).

Seed 001 L104 counts the resident team's hour "在接到服务请求或发现问题后" (from the report) and
seed 002 L7228–7230 the security expert's 4 h from the incident: the purchaser or the site must
be able to ask for someone on site at once, without waiting for the vendor's acknowledgement.
Every transition this adds is tested here, through the API with the purchaser and site staff.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.sites.models import Site
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.tickets import services
from weibao.tickets.choices import TicketState
from weibao.tickets.services import IllegalTransition
from weibao.tickets.tests.conftest import Setup, at
from weibao.tickets.workflow import allowed_actions, allowed_for


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def site_staff(ca: Setup) -> tuple[User, Site]:
    """A member of the site owner of seed 002's 1800 centre (网点 staff, TKT-01)."""
    org = OrganisationFactory(name="场所 1800", code="own-1800", kind=OrganisationKind.SITE_OWNER)
    ContractParty.objects.create(contract=ca.contract, organisation=org,
                                 role=PartyRole.SITE_OWNER)
    Site.objects.filter(contract=ca.contract, code="ts1800-center").update(organisation=org)
    staff = UserFactory(username="ca-site-1800", organisation=org, role=Role.SITE_STAFF)
    return staff, Site.objects.get(contract=ca.contract, code="ts1800-center")


def test_item5_purchaser_requests_onsite_before_acknowledgement_through_the_api(ca: Setup):
    """Seed 002 L7228–7230: the purchaser asks for on-site support right after the report;
    the vendor then acknowledges — the state stays on-site requested and the response is
    recorded (the respond stage stops)."""
    ticket = ca.report("2025-10-10 10:00", now="2025-10-10 10:00")
    purchaser = client_for(ca.people["purchaser"])
    response = purchaser.post(f"/api/tickets/{ticket.pk}/request_onsite", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "onsite_requested" and body["onsite_requested_at"]
    assert body["responded_at"] is None
    assert "acknowledge" in body["allowed_actions"]

    engineer = client_for(ca.people["engineer"])
    acknowledged = engineer.post(f"/api/tickets/{ticket.pk}/acknowledge",
                                 {"version": body["version"]}, format="json")
    assert acknowledged.status_code == 200, acknowledged.json()
    after = acknowledged.json()
    assert after["state"] == "onsite_requested"  # a milestone now, the state stays
    assert after["responded_at"] is not None
    assert "acknowledge" not in after["allowed_actions"]
    respond = next(s for s in after["stages"] if s["code"] == "respond")
    assert respond["stopped_at"] is not None
    again = engineer.post(f"/api/tickets/{ticket.pk}/acknowledge", {}, format="json")
    assert again.status_code == 409
    assert "recorded already" in again.json()["message"]
    assert [e["action"] for e in after["events"]] == ["report", "request_onsite", "acknowledge"]


def test_item5_site_staff_request_onsite_before_acknowledgement_through_the_api(
        ca: Setup, site_staff: tuple[User, Site]):
    """TKT-01/item 5: site staff reporting from their own site ask for an engineer on site
    at once."""
    staff, site = site_staff
    ticket = services.create_ticket(services.TicketInput(
        contract=ca.contract, ticket_type=ca.ticket_type("fault"), title="大厅读卡机故障",
        site=site), actor=staff)
    client = client_for(staff)
    assert "request_onsite" in client.get(f"/api/tickets/{ticket.pk}/").json()[
        "allowed_actions"]
    response = client.post(f"/api/tickets/{ticket.pk}/request_onsite", {"comment": "请派人"},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "onsite_requested"


def test_item5_the_vendor_acknowledges_rather_than_requests_before_acknowledging(ca: Setup):
    """Before acknowledging, the request is the purchaser's side's: the vendor's engineer
    acknowledges (and may request on-site support after that, e.g. after a remote try)."""
    ticket = ca.report("2025-10-10 10:00")
    with pytest.raises(PermissionDenied):
        services.transition(ticket, "request_onsite", ca.people["engineer"],
                            now=at("2025-10-10 10:01"))
    response = client_for(ca.people["engineer"]).post(
        f"/api/tickets/{ticket.pk}/request_onsite", {}, format="json")
    assert response.status_code == 403
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 at=at("2025-10-10 10:02"), now=at("2025-10-10 10:02"))
    ticket = services.transition(ticket, "request_onsite", ca.people["engineer"],
                                 at=at("2025-10-10 10:03"), now=at("2025-10-10 10:03"))
    assert ticket.state == TicketState.ONSITE_REQUESTED


@pytest.mark.parametrize("path", [
    ["arrive"],
    ["depart", "arrive"],
    ["contain"],
    ["restore"],
])
def test_item5_working_without_acknowledging_records_the_response(ca: Setup,
                                                                  path: list[str]):
    """The engineer who departs, arrives, contains or restores after an early request has
    responded by that step: the respond clock stops then, never stays open."""
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.transition(ticket, "request_onsite", ca.people["purchaser"],
                                 at=at("2025-10-10 10:01"), now=at("2025-10-10 10:01"))
    first = None
    for minute, action in enumerate(path, start=5):
        when = at(f"2025-10-10 10:{minute:02d}")
        first = first or when
        ticket = services.transition(ticket, action, ca.people["engineer"], at=when, now=when)
    assert ticket.responded_at == first
    assert "acknowledge" not in allowed_for(ticket)
    assert ticket.stages.get(code="respond").stopped_at == first


def test_item5_acknowledge_after_the_vendors_own_request_is_refused(ca: Setup):
    """On-site requested after the acknowledgement (the usual path): acknowledging again is
    not offered and is refused, though the state is the same."""
    ticket = ca.report("2025-10-10 10:00")
    for minute, (action, who) in enumerate([("acknowledge", "engineer"),
                                            ("request_onsite", "purchaser")], start=1):
        when = at(f"2025-10-10 10:{minute:02d}")
        ticket = services.transition(ticket, action, ca.people[who], at=when, now=when)
    assert ticket.state == TicketState.ONSITE_REQUESTED
    assert "acknowledge" in allowed_actions(ticket.state)  # the state alone would allow it
    assert "acknowledge" not in allowed_for(ticket)
    with pytest.raises(IllegalTransition):
        services.transition(ticket, "acknowledge", ca.people["engineer"],
                            now=at("2025-10-10 10:05"))


def test_item5_the_early_request_starts_the_onsite_clock_at_once(ca: Setup):
    """Seed 002 §9.1.2: the on-site clock starts at the request (a level III fault: 3 h), now
    possible before the acknowledgement."""
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.transition(ticket, "request_onsite", ca.people["purchaser"],
                                 at=at("2025-10-10 10:02"), now=at("2025-10-10 10:02"))
    onsite = ticket.stages.get(code="onsite")
    assert onsite.started_at == at("2025-10-10 10:02")
    assert onsite.status == "running"
