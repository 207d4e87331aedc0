"""SLA alerts made visible (issue 15 item 8, SLA-10), KPI targets that are no breach (item 4,
SLA-05), recurring progress updates (item 10c) and the dispatch answer (item 12b).

Seed 002 §6.1(3) L8017: "运维工单3个工作日内处理率大于95%" is a period rate: a late ticket is
counted toward it, not recorded as a breach with a penalty.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.core.choices import Role
from weibao.core.models import User
from weibao.testing.factories import PASSWORD, UserFactory
from weibao.tickets import services
from weibao.tickets.models import SlaAlert, Ticket
from weibao.tickets.selectors import kpi_attainment
from weibao.tickets.tests.conftest import EXAMPLES, Setup, at


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def late_response(setup: Setup, when: str = "2025-10-10 10:00", **extra: Any) -> Ticket:
    """A ticket whose response is late at the next scan (seed 002: 15 min, L8021)."""
    return setup.report(when, **extra)


# --- item 8: the alert list, scoped per contract (PLT-01) --------------------------------


def test_sla10_alert_list_is_scoped_per_contract(ca: Setup, outlets: Setup):
    """PLT-01: each contract's people see only its alerts, in the API and on the page."""
    from weibao.tickets.tests.test_scenarios import _outlet

    ca_ticket = late_response(ca)
    outlets.report("2025-09-30 17:00", site=_outlet(outlets, "t-hp", "huangpu"))
    services.scan_alerts(at("2025-10-12 12:00"))
    assert SlaAlert.objects.filter(contract=outlets.contract).exists()
    ca_alerts = SlaAlert.objects.filter(contract=ca.contract)
    assert ca_alerts.exists()

    body = api(ca.people["purchaser"]).get("/api/sla-alerts/").json()
    assert body["count"] == ca_alerts.count()
    assert {row["contract"] for row in body["results"]} == {ca.contract.number}
    assert {row["ticket"] for row in body["results"]} == {ca_ticket.pk}
    other = api(outlets.people["purchaser"]).get("/api/sla-alerts/").json()
    assert {row["contract"] for row in other["results"]} == {outlets.contract.number}
    assert api(ca.people["outsider"]).get("/api/sla-alerts/").json()["count"] == 0
    outsider_alert = SlaAlert.objects.filter(contract=outlets.contract).first()
    assert api(ca.people["purchaser"]).get(
        f"/api/sla-alerts/{outsider_alert.pk}/").status_code == 404  # type: ignore[union-attr]

    page = web(ca.people["manager"]).get(reverse("tickets:alerts"))
    assert page.status_code == 200
    rows = page.context["table"].rows
    assert {row.record.contract_id for row in rows} == {ca.contract.pk}
    detail = web(ca.people["purchaser"]).get(reverse("tickets:detail", args=[ca_ticket.pk]))
    assert 'data-alert="respond-breach-0"' in detail.content.decode()


def test_sla10_alert_filters_kind_stage_level_site_period(ca: Setup):
    from weibao.sites.models import Site

    site = Site.objects.get(contract=ca.contract, code="ts1800-center")
    ticket = late_response(ca, site=site)
    late_response(ca, "2025-10-13 10:00")
    services.scan_alerts(at("2025-10-10 10:12"))  # the first ticket's warning
    services.scan_alerts(at("2025-10-14 12:00"))
    client = api(ca.people["purchaser"])

    def count(**query: str) -> int:
        response = client.get("/api/sla-alerts/", query)
        assert response.status_code == 200, response.json()
        return int(response.json()["count"])

    total = count()
    assert total >= 3
    assert count(kind="breach") + count(kind="warning") == total
    assert count(stage="respond") == SlaAlert.objects.filter(stage="respond").count()
    level = ticket.effective_level
    assert count(level=level) == SlaAlert.objects.filter(
        ticket__fault_level=level, ticket__fault_level_override="").count()
    assert count(site=str(site.pk)) == SlaAlert.objects.filter(ticket=ticket).count()
    assert count(after="2025-10-13") == SlaAlert.objects.filter(
        at__gte=at("2025-10-13 00:00")).count()
    assert count(before="2025-10-10") == SlaAlert.objects.filter(
        at__lt=at("2025-10-11 00:00")).count()
    assert count(after="2025-10-11", before="2025-10-12") == 0


def test_sla10_alert_list_query_count_does_not_grow(ca: Setup):
    client = api(ca.people["purchaser"])
    page = web(ca.people["purchaser"])
    url = reverse("tickets:alerts")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as api_queries:
            assert client.get("/api/sla-alerts/").status_code == 200
        with CaptureQueriesContext(connection) as page_queries:
            assert page.get(url).status_code == 200
        return len(api_queries), len(page_queries)

    late_response(ca)
    services.scan_alerts(at("2025-10-12 12:00"))
    few = queries()
    for day in range(13, 18):
        late_response(ca, f"2025-10-{day} 10:00")
    services.scan_alerts(at("2025-10-20 12:00"))
    assert SlaAlert.objects.count() > 5
    assert queries() == few


def test_sla10_alerts_export_to_excel(ca: Setup):
    from openpyxl import load_workbook

    late_response(ca)
    services.scan_alerts(at("2025-10-12 12:00"))
    response = web(ca.people["manager"]).get(reverse("tickets:alerts"),
                                             {"export": "xlsx", "kind": "breach"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + SlaAlert.objects.filter(kind="breach").count()
    assert "breach" in [str(v) for v in rows[1]]


def test_sla10_alert_page_needs_the_view_permission(ca: Setup):
    """Site staff have no alert list (their tickets only); anonymous users log in first."""
    from weibao.core.choices import OrganisationKind
    from weibao.testing.factories import OrganisationFactory

    org = OrganisationFactory(code="own-x", kind=OrganisationKind.SITE_OWNER)
    staff = UserFactory(username="ca-site-x", organisation=org, role=Role.SITE_STAFF)
    assert web(staff).get(reverse("tickets:alerts")).status_code == 403
    assert Client().get(reverse("tickets:alerts")).status_code == 302
    assert api(staff).get("/api/sla-alerts/").status_code == 403


# --- item 4: a KPI target records no breach (SLA-05) -------------------------------------


def test_sla05_a_late_ticket_under_a_kpi_target_records_no_breach(ca: Setup):
    """Seed 002 §6.1(3) L8017: resolved after 3 working days is late, counted toward the
    period rate — no breach alert and no penalty; the per-ticket 15-minute response
    (L8021) still records its breach."""
    ticket = ca.report("2025-10-09 10:00")
    resolve = ticket.stages.get(code="resolve")
    assert resolve.counts_breach is False and resolve.penalty_percent is None
    assert ticket.stages.get(code="respond").counts_breach is True
    services.scan_alerts(at("2025-10-20 12:00"))
    assert not SlaAlert.objects.filter(ticket=ticket, stage="resolve", kind="breach").exists()
    assert SlaAlert.objects.filter(ticket=ticket, stage="respond", kind="breach").exists()
    resolve.refresh_from_db()
    assert resolve.status == "breached"  # late all the same: it counts against the rate


def test_sla05_kpi_attainment_per_period(ca: Setup):
    """The period's rate of the 3-working-day KPI: tickets whose resolve stage stopped in the
    period, how many on time, and whether > 95 % were."""
    on_time = ca.report("2025-10-09 10:00")
    late = ca.report("2025-10-09 11:00")
    for ticket, when in ((on_time, "2025-10-10 09:00"), (late, "2025-10-20 09:00")):
        services.transition(ticket, "acknowledge", ca.people["engineer"],
                            at=at("2025-10-09 11:05"), now=at("2025-10-09 11:05"))
        services.transition(ticket, "restore", ca.people["engineer"], at=at(when),
                            now=at(when))
    october = kpi_attainment(ca.contract, at("2025-10-01 00:00"), at("2025-11-01 00:00"))
    row = next(r for r in october if r.target.stage == "resolve")
    assert (row.on_time, row.total, row.met) == (1, 2, False)
    assert row.rate == 50
    first_half = kpi_attainment(ca.contract, at("2025-10-01 00:00"), at("2025-10-15 00:00"))
    row = next(r for r in first_half if r.target.stage == "resolve")
    assert (row.on_time, row.total, row.met) == (1, 1, True)
    november = kpi_attainment(ca.contract, at("2025-11-01 00:00"), at("2025-12-01 00:00"))
    assert next(r for r in november if r.target.stage == "resolve").met is None

    page = web(ca.people["purchaser"]).get(reverse("tickets:alerts"),
                                           {"after": "2025-10-01", "before": "2025-10-31"})
    html = page.content.decode()
    assert 'data-testid="kpi-table"' in html and 'data-met="no"' in html


# --- item 10c: progress updates and missed intervals ------------------------------------


@pytest.fixture
def reporting(db: None) -> Setup:
    """Seed 002's contract with one clause real contracts write (issue 15 item 10): "处理期间
    每 30 分钟通报一次进展" from the response until the restoration."""
    data = load_yaml((EXAMPLES / "002-shanghai-hrss-ca-integration.yaml").read_text("utf-8"))
    levels = data["service_levels"]
    levels["stages"].append({"code": "progress", "name": "进展通报", "start": "responded",
                             "stop": "restored", "every": True})
    levels["targets"].append({"stage": "progress", "when": {"ticket_type": "fault"},
                              "within": {"amount": 30, "unit": "minutes"}})
    contract = import_text(dump_yaml(data)).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    purchaser = contract.purchaser.organisation  # type: ignore[union-attr]
    people = {
        "purchaser": UserFactory(username="pr-purchaser", organisation=purchaser,
                                 role=Role.PURCHASER_STAFF),
        "engineer": UserFactory(username="pr-engineer", organisation=vendor,
                                role=Role.VENDOR_ENGINEER),
    }
    return Setup(contract, people)


def test_item10_progress_updates_count_and_each_missed_interval_is_one_breach(
        reporting: Setup):
    ticket = reporting.report("2025-10-10 10:00")
    engineer = reporting.people["engineer"]
    ticket = services.transition(ticket, "acknowledge", engineer, at=at("2025-10-10 10:05"),
                                 now=at("2025-10-10 10:05"))
    ticket = services.progress_update(ticket, engineer, "已远程登录，正在排查",
                                      at=at("2025-10-10 10:30"), now=at("2025-10-10 10:30"))
    assert ticket.state == "acknowledged"  # no state change
    event = ticket.events.get(action="progress")
    assert event.comment == "已远程登录，正在排查"
    stage = ticket.stages.get(code="progress")
    assert stage.recurring and stage.missed == 0
    # Next update due 11:00; none until 12:10: 11:00 and 11:30 and 12:00 missed.
    services.scan_alerts(at("2025-10-10 12:10"))
    stage = Ticket.objects.get(pk=ticket.pk).stages.get(code="progress")  # evaluated again
    assert stage.missed == 3
    alerts = SlaAlert.objects.filter(ticket=ticket, stage="progress").order_by("occurrence")
    assert [a.occurrence for a in alerts] == [1, 2, 3]
    assert [a.at for a in alerts] == [at("2025-10-10 11:00"), at("2025-10-10 11:30"),
                                      at("2025-10-10 12:00")]
    assert services.scan_alerts(at("2025-10-10 12:15")) == (0, 0)  # each once
    services.scan_alerts(at("2025-10-10 12:31"))
    assert SlaAlert.objects.filter(ticket=ticket, stage="progress").count() == 4


def test_item10_progress_is_the_vendors_and_only_while_open(reporting: Setup):
    from django.core.exceptions import PermissionDenied

    ticket = reporting.report("2025-10-10 10:00")
    with pytest.raises(PermissionDenied):
        services.progress_update(ticket, reporting.people["purchaser"], "催促",
                                 now=at("2025-10-10 10:10"))
    client = api(reporting.people["engineer"])
    response = client.post(f"/api/tickets/{ticket.pk}/progress/", {"comment": "已到场"},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["events"][-1]["action"] == "progress"
    assert client.post(f"/api/tickets/{ticket.pk}/progress/", {"comment": ""},
                       format="json").status_code == 400
    services.transition(ticket, "acknowledge", reporting.people["engineer"])
    services.transition(ticket, "restore", reporting.people["engineer"])
    assert client.post(f"/api/tickets/{ticket.pk}/progress/", {"comment": "x"},
                       format="json").status_code == 409


# --- item 12b: dispatch tells nothing about other organisations' users -------------------


def test_item12_assign_answers_alike_for_unknown_and_foreign_users(ca: Setup):
    """An unknown user name and a user of an organisation not party to the contract get the
    same status and body: the endpoint reveals nobody's organisation or role."""
    ticket = ca.report("2025-10-10 10:00")
    client = api(ca.people["manager"])
    unknown = client.post(f"/api/tickets/{ticket.pk}/assign/", {"assignee": "nobody-x"},
                          format="json")
    foreign = client.post(f"/api/tickets/{ticket.pk}/assign/",
                          {"assignee": ca.people["outsider"].username}, format="json")
    purchaser = client.post(f"/api/tickets/{ticket.pk}/assign/",
                            {"assignee": ca.people["purchaser"].username}, format="json")
    assert unknown.status_code == foreign.status_code == purchaser.status_code == 400

    def shape(response: Any, name: str) -> str:
        return response.content.decode().replace(name, "<name>")

    assert shape(unknown, "nobody-x") == shape(foreign, ca.people["outsider"].username) \
        == shape(purchaser, ca.people["purchaser"].username)
    ok = client.post(f"/api/tickets/{ticket.pk}/assign/",
                     {"assignee": ca.people["engineer"].username}, format="json")
    assert ok.status_code == 200 and ok.json()["assignee"] == ca.people["engineer"].username
    # Who may not dispatch learns nothing either: refused before any name is looked up.
    refused = api(ca.people["purchaser"]).post(f"/api/tickets/{ticket.pk}/assign/",
                                               {"assignee": "nobody-x"}, format="json")
    assert refused.status_code == 403


def test_kpi_period_defaults_to_this_month() -> None:
    from weibao.tickets.views.alerts import kpi_period

    start, end = kpi_period(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    assert (start.date(), end.date()) == (datetime.date(2025, 10, 1),
                                          datetime.date(2025, 11, 1))
