"""``/api/tickets/`` (TKT, PLT-01): idempotent create, one endpoint per step, 409 on an illegal
step or a stale version, scoping, constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from weibao.tickets import services
from weibao.tickets.models import Ticket
from weibao.tickets.tests.conftest import Setup, at


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def create_body(setup: Setup, **extra: object) -> dict[str, object]:
    return {"contract": setup.contract.number, "ticket_type": "fault", "title": "OA 无法登录",
            "scope": "small", "channel": "phone", **extra}


def test_create_with_an_idempotency_key_creates_one_ticket(ca: Setup):
    client = client_for(ca.people["purchaser"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "phone-retry-1"}
    first = client.post("/api/tickets/", create_body(ca), format="json", **headers)
    assert first.status_code == 201, first.json()
    second = client.post("/api/tickets/", create_body(ca), format="json", **headers)
    assert second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Ticket.objects.filter(contract=ca.contract).count() == 1
    other = client.post("/api/tickets/", create_body(ca), format="json",
                        HTTP_IDEMPOTENCY_KEY="phone-retry-2")
    assert other.json()["id"] != first.json()["id"]


def test_a_failed_create_is_not_remembered_by_its_key(ca: Setup):
    client = client_for(ca.people["purchaser"])
    bad = client.post("/api/tickets/", create_body(ca, ticket_type="nope"), format="json",
                      HTTP_IDEMPOTENCY_KEY="k1")
    assert bad.status_code == 400
    assert "ticket_type" in bad.json()["errors"]
    good = client.post("/api/tickets/", create_body(ca), format="json",
                       HTTP_IDEMPOTENCY_KEY="k1")
    assert good.status_code == 201


def test_each_step_has_its_endpoint_and_an_illegal_one_answers_409(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    engineer = client_for(ca.people["engineer"])
    response = engineer.post(f"/api/tickets/{ticket.pk}/acknowledge", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "acknowledged"
    again = engineer.post(f"/api/tickets/{ticket.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "conflict"
    assert "restore" in body["allowed"] and body["version"] == 2


def test_a_stale_version_answers_409(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    one, two = client_for(ca.people["engineer"]), client_for(ca.people["engineer2"])
    assert one.post(f"/api/tickets/{ticket.pk}/acknowledge", {"version": 1},
                    format="json").status_code == 200
    stale = two.post(f"/api/tickets/{ticket.pk}/start_remote", {"version": 1}, format="json")
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["message"]


def test_plt01_outsiders_see_nothing(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    outsider = client_for(ca.people["outsider"])
    assert outsider.get("/api/tickets/").json()["count"] == 0
    assert outsider.get(f"/api/tickets/{ticket.pk}/").status_code == 404
    assert outsider.post(f"/api/tickets/{ticket.pk}/acknowledge", {},
                         format="json").status_code == 404
    assert outsider.post("/api/tickets/", create_body(ca), format="json").status_code == 404
    assert APIClient().get("/api/tickets/").status_code in (401, 403)


def test_list_filters_and_orders_by_next_due(ca: Setup):
    late = ca.report("2025-10-10 10:00", scope="large")
    early = ca.report("2025-10-10 09:00", scope="large")  # respond due 09:15 (seed 002 L8021)
    # Acknowledged and on site requested: level I, on site due 12:02 (seed 002 L8390–8392).
    late = services.transition(late, "acknowledge", ca.people["engineer"],
                               now=at("2025-10-10 10:01"))
    services.transition(late, "request_onsite", ca.people["purchaser"],
                        now=at("2025-10-10 10:02"))
    client = client_for(ca.people["manager"])
    rows = client.get("/api/tickets/", {"contract": ca.contract.pk, "open": True,
                                        "ordering": "next_due_at"}).json()["results"]
    assert [r["id"] for r in rows] == [early.pk, late.pk]
    only = client.get("/api/tickets/", {"state": "reported"}).json()["results"]
    assert [r["id"] for r in only] == [early.pk]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_page(ca: Setup):
    client = client_for(ca.people["manager"])
    ca.report("2025-10-10 10:00")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/tickets/")
    for minute in range(10, 20):
        ca.report(f"2025-10-10 10:{minute}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/tickets/").json()["count"] == 11
    assert len(many) == len(one)


def _stages(body: dict) -> list[tuple]:
    return [(s["code"], s["status"], s["due_at"], s["target"]) for s in body["stages"]]


def test_create_answers_the_ticket_with_its_sla_as_a_later_read_shows_it(ca: Setup):
    """TKT-01, SLA-06: the create answer carries the fault level and every stage, as
    ``GET /api/tickets/{id}/`` shows them, and names the new ticket's address."""
    from weibao.assets.models import Asset

    fibre = Asset.objects.get(contract=ca.contract, code="fiber-1")
    client = client_for(ca.people["purchaser"])
    created = client.post("/api/tickets/", create_body(ca, assets=[fibre.pk], scope="large"),
                          format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert created["Location"] == f"/api/tickets/{body['id']}/"
    read = client.get(created["Location"]).json()
    assert body["stages"] and _stages(body) == _stages(read)
    for name in ("number", "state", "fault_level", "sla_status", "next_due_at", "version",
                 "allowed_actions"):
        assert body[name] == read[name], name
    # The 裸光纤 answers within 2 hours (SLA-06, seed 002 L7599) besides §6.1(5)'s 15 minutes
    # (L8021): the first asset's type decided the target.
    fibre_stage = next(s for s in body["stages"] if s["code"] == "fiber-respond")
    assert fibre_stage["target"].startswith("2 ")
    respond = next(s for s in body["stages"] if s["code"] == "respond")
    assert respond["target"].startswith("15 ")


def test_the_first_asset_decides_the_asset_type_on_every_evaluation(ca: Setup):
    """SLA-06: whichever order the assets are sent in, creation and the later steps select
    the targets with the same (first by name) asset, so a step never moves a due time."""
    from weibao.assets.models import Asset

    ups = Asset.objects.get(contract=ca.contract, code="ups-imv-s6")
    fibre = Asset.objects.get(contract=ca.contract, code="fiber-1")
    client = client_for(ca.people["purchaser"])
    for assets in ([ups.pk, fibre.pk], [fibre.pk, ups.pk]):
        body = client.post("/api/tickets/", create_body(ca, assets=assets),
                           format="json").json()
        ticket = Ticket.objects.get(pk=body["id"])
        services.refresh_sla(ticket)
        after = client.get(f"/api/tickets/{ticket.pk}/").json()
        assert _stages(after) == _stages(body)


@pytest.mark.django_db
def test_create_query_count_does_not_grow_with_the_assets(ca: Setup):
    from weibao.assets.models import Asset

    ids = list(Asset.objects.filter(contract=ca.contract).values_list("pk", flat=True)[:6])
    client = client_for(ca.people["purchaser"])
    client.post("/api/tickets/", create_body(ca), format="json")  # calendars, policy cached
    with CaptureQueriesContext(connection) as one:
        assert client.post("/api/tickets/", create_body(ca, assets=ids[:1]),
                           format="json").status_code == 201
    with CaptureQueriesContext(connection) as many:
        assert client.post("/api/tickets/", create_body(ca, assets=ids),
                           format="json").status_code == 201
    assert len(many) == len(one)


@pytest.fixture
def clock(settings, monkeypatch):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 2
    now = [20_000.0]
    monkeypatch.setattr("weibao.core.stamped.time.monotonic", lambda: now[0])
    return now


def test_plt01_a_party_removed_here_can_no_longer_report_at_once(ca: Setup, clock):
    from weibao.contracts.models import ContractParty

    client = client_for(ca.people["purchaser"])
    assert client.post("/api/tickets/", create_body(ca), format="json").status_code == 201
    ContractParty.objects.filter(
        contract=ca.contract, organisation=ca.people["purchaser"].organisation).delete()
    assert client.post("/api/tickets/", create_body(ca), format="json").status_code == 404


def test_plt01_a_party_removed_by_another_process_is_seen_within_the_interval(ca: Setup,
                                                                            clock):
    from weibao.contracts.models import ContractParty

    client = client_for(ca.people["purchaser"])
    assert client.post("/api/tickets/", create_body(ca), format="json").status_code == 201
    # Another process hands the purchaser's party to another organisation (an update
    # sends no signal, as a write in another process would not reach this one).
    ContractParty.objects.filter(
        contract=ca.contract, organisation=ca.people["purchaser"].organisation).update(
        organisation=ca.people["outsider"].organisation)
    clock[0] += 1.0
    assert client.post("/api/tickets/", create_body(ca), format="json").status_code == 201
    clock[0] += 1.5
    assert client.post("/api/tickets/", create_body(ca), format="json").status_code == 404


def test_create_reports_every_bad_field_and_the_next_request_is_clean(ca: Setup):
    """Bad input gets a clear error per field (fields are built once per serializer class
    and shared between requests: one request's errors must never reach the next)."""
    client = client_for(ca.people["purchaser"])
    bad = client.post("/api/tickets/", create_body(ca, title="", scope="huge",
                                                   assets=["x"], channel="pigeon"),
                      format="json")
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert set(errors) >= {"title", "scope", "channel"}, errors
    assert any(name.startswith("assets") for name in errors), errors
    assert any("valid choice" in message for message in errors["scope"])
    good = client.post("/api/tickets/", create_body(ca), format="json")
    assert good.status_code == 201, good.json()
    again = client.post("/api/tickets/", create_body(ca, scope="huge"), format="json")
    assert set(again.json()["errors"]) == {"scope"}


def test_sla01_a_site_moved_to_another_district_here_selects_its_target_at_once(outlets: Setup,
                                                                               clock):
    """SLA-01: the site's area class decides the response target; the reporting path keeps
    sites per process, and a site changed in this process is read again at once."""
    from weibao.sites.models import Site

    site = Site.objects.create(contract=outlets.contract, code="t-api", name="示例网点",
                               site_type=outlets.contract_site_type(),
                               district=outlets.district("huangpu"))
    client = client_for(outlets.people["purchaser"])

    def respond_target() -> str:
        body = client.post("/api/tickets/", create_body(outlets, site="t-api"),
                           format="json").json()
        return next(s["target"] for s in body["stages"] if s["code"] == "respond")

    assert respond_target().startswith("2 ")  # urban
    site.district = outlets.district("minhang")
    site.save()
    assert respond_target().startswith("3 ")  # suburban
