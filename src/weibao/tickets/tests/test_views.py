"""The ticket pages (TKT-01..05, SLA-09/10, PLT-01): permission matrix, site staff scoping,
actions offered exactly when allowed, stale pages, service errors as messages, constant query
counts on the list, the board and the engineer's phone page."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.sites.models import Site
from weibao.testing.factories import PASSWORD, OrganisationFactory, UserFactory
from weibao.tickets import services
from weibao.tickets.choices import Channel, TicketState
from weibao.tickets.models import Ticket, TicketAttachment
from weibao.tickets.tests.conftest import Setup

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class SiteWorld:
    setup: Setup
    own_site: Site
    other_site: Site
    site_staff: User
    other_staff: User


@pytest.fixture
def sw(ca: Setup) -> SiteWorld:
    """Seed 002 with two site-owner organisations, each owning one site, and one site staff
    member each."""
    owners = []
    for code in ("ts1800-center", "ts-meeting-212"):
        org = OrganisationFactory(name=f"场所{code}", code=f"own-{code}",
                                  kind=OrganisationKind.SITE_OWNER)
        ContractParty.objects.create(contract=ca.contract, organisation=org,
                                     role=PartyRole.SITE_OWNER)
        Site.objects.filter(contract=ca.contract, code=code).update(organisation=org)
        owners.append(org)
    staff = UserFactory(username="ca-site", organisation=owners[0], role=Role.SITE_STAFF)
    other = UserFactory(username="ca-site2", organisation=owners[1], role=Role.SITE_STAFF)
    return SiteWorld(ca, Site.objects.get(contract=ca.contract, code="ts1800-center"),
                     Site.objects.get(contract=ca.contract, code="ts-meeting-212"), staff, other)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def report(setup: Setup, *, site: Site | None = None, minutes_ago: int = 30,
           actor: User | None = None, title: str = "读卡机无法读卡") -> Ticket:
    now = timezone.now()
    return services.create_ticket(services.TicketInput(
        contract=setup.contract, ticket_type=setup.ticket_type("fault"), title=title,
        site=site, reported_at=now - datetime.timedelta(minutes=minutes_ago)),
        actor=actor or setup.people["purchaser"], now=now)


def step(client: Client, ticket: Ticket, kind: str, **data: object) -> object:
    fields = {f"{kind}-{k}": v for k, v in data.items()}
    fields.setdefault(f"{kind}-version", Ticket.objects.get(pk=ticket.pk).version)
    return client.post(reverse("tickets:action", args=[ticket.pk, kind]), fields)


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


# --- permission matrix (PLT-01) -------------------------------------------------------------

PAGES = ["tickets:list", "tickets:create", "tickets:mine", "tickets:board"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(ca: Setup, name: str):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_anonymous_cannot_open_or_change_a_ticket(ca: Setup):
    ticket = report(ca)
    for response in (Client().get(reverse("tickets:detail", args=[ticket.pk])),
                     Client().post(reverse("tickets:action", args=[ticket.pk, "acknowledge"]))):
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORTED


@pytest.mark.parametrize(("role", "expected"), [
    ("purchaser", {"tickets:list": 200, "tickets:create": 200, "tickets:mine": 403,
                   "tickets:board": 200}),
    ("manager", {"tickets:list": 200, "tickets:create": 200, "tickets:mine": 200,
                 "tickets:board": 200}),
    ("engineer", {"tickets:list": 200, "tickets:create": 200, "tickets:mine": 200,
                  "tickets:board": 200}),
    ("site", {"tickets:list": 200, "tickets:create": 200, "tickets:mine": 403,
              "tickets:board": 200}),
])
def test_each_role_of_the_party_gets_its_pages(sw: SiteWorld, role: str,
                                               expected: dict[str, int]):
    """PLT-01: the pages each role of the contract's parties may use, 403 for the others."""
    user = sw.site_staff if role == "site" else sw.setup.people[role]
    client = client_for(user)
    got = {name: client.get(reverse(name)).status_code for name in PAGES}
    assert got == expected


def test_supervisor_may_look_but_not_report(world: object):
    client = client_for(world.users["supervisor"])  # type: ignore[attr-defined]
    assert client.get(reverse("tickets:list")).status_code == 200
    assert client.get(reverse("tickets:create")).status_code == 403
    assert client.get(reverse("tickets:mine")).status_code == 403


def test_outsider_gets_404_for_another_contracts_ticket(ca: Setup):
    """PLT-01: an engineer of another organisation cannot see or touch the ticket."""
    ticket = report(ca)
    client = client_for(ca.people["outsider"])
    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404
    assert step(client, ticket, "acknowledge").status_code == 404  # type: ignore[attr-defined]
    listed = client.get(reverse("tickets:list"))
    assert ticket.number not in listed.content.decode()
    board = client.get(reverse("tickets:board") + "?hours=24")
    assert ticket.number not in board.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORTED


def test_site_staff_see_only_their_own_sites_tickets(sw: SiteWorld):
    """PLT-01: site staff see their site's tickets, never another site's."""
    own = report(sw.setup, site=sw.own_site, title="本网点故障")
    other = report(sw.setup, site=sw.other_site, title="别处故障")
    client = client_for(sw.site_staff)
    page = client.get(reverse("tickets:list")).content.decode()
    assert own.number in page and other.number not in page
    assert client.get(reverse("tickets:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("tickets:detail", args=[other.pk])).status_code == 404
    board = client.get(reverse("tickets:board") + "?hours=24").content.decode()
    assert own.number in board and other.number not in board
    export = client.get(reverse("tickets:list") + "?export=xlsx")
    from openpyxl import load_workbook
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [own.number]


# --- the list -------------------------------------------------------------------------------

def test_list_filters_and_shows_sla_badges(ca: Setup):
    """SLA-10: the list shows each ticket's SLA status as a badge with its due time."""
    first = report(ca, title="一号故障")
    second = report(ca, title="二号故障")
    services.transition(second, "acknowledge", ca.people["engineer"])
    client = client_for(ca.people["manager"])
    page = client.get(reverse("tickets:list") + "?state=reported").content.decode()
    assert first.number in page and second.number not in page
    assert 'data-sla="' in page
    both = client.get(reverse("tickets:list") + f"?contract={ca.contract.pk}").content.decode()
    assert first.number in both and second.number in both


def test_list_exports_every_filtered_row(ca: Setup):
    """AST-10 export on the ticket list: the filtered rows, not the page."""
    from openpyxl import load_workbook

    tickets = [report(ca, title=f"故障{i}") for i in range(3)]
    response = client_for(ca.people["purchaser"]).get(reverse("tickets:list")
                                                      + "?export=xlsx&state=reported")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {t.number for t in tickets}


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["tickets:list", "tickets:board", "tickets:mine"])
def test_query_count_does_not_grow_with_tickets(ca: Setup, name: str):
    """The list, the board and the phone page read a constant number of queries."""
    engineer = ca.people["engineer"]
    client = client_for(engineer)
    url = reverse(name) + ("?hours=24" if name == "tickets:board" else "")

    def add(n: int) -> None:
        for _i in range(n):
            ticket = report(ca, site=Site.objects.filter(contract=ca.contract).first())
            services.assign(ticket, engineer, ca.people["manager"])

    add(2)
    client.get(url)  # warm caches (SLA policy, session)
    few = _queries(client, url)
    add(4)
    assert _queries(client, url) == few


# --- the ticket page ------------------------------------------------------------------------

def test_ticket_page_shows_stages_timeline_and_the_work_section(ca: Setup):
    """SLA-02/03: one bar per SLA stage with its due time; the timeline of events."""
    ticket = report(ca, minutes_ago=60)
    response = client_for(ca.people["engineer"]).get(reverse("tickets:detail", args=[ticket.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-stage=") == ticket.stages.count() > 0
    assert 'data-event="report"' in page
    assert 'data-testid="backdated"' in page  # reported an hour ago, entered now
    assert "progress-bar" in page


def _offered(client: Client, ticket: Ticket) -> set[str]:
    response = client.get(reverse("tickets:detail", args=[ticket.pk]))
    return {step_form[0].code for step_form in response.context["step_forms"]}


def test_actions_offered_are_exactly_the_allowed_ones_the_user_may_do(sw: SiteWorld):
    """TKT-04: a reported ticket offers acknowledge to the vendor; the purchaser and the site
    may request on-site support already before the vendor acknowledges (issue 15 item 5,
    seed 001 L104), and after it."""
    ca = sw.setup
    ticket = report(ca, site=sw.own_site)
    engineer, purchaser = client_for(ca.people["engineer"]), client_for(ca.people["purchaser"])
    site = client_for(sw.site_staff)
    assert _offered(engineer, ticket) == {"acknowledge"}
    assert _offered(purchaser, ticket) == {"request_onsite"}
    assert _offered(site, ticket) == {"request_onsite"}
    purchaser_page = purchaser.get(reverse("tickets:detail", args=[ticket.pk]))
    assert purchaser_page.context["forms"]["priority"] is not None
    assert purchaser_page.context["forms"]["level"] is not None
    assert purchaser_page.context["forms"]["assign"] is None
    engineer_page = engineer.get(reverse("tickets:detail", args=[ticket.pk]))
    assert engineer_page.context["forms"]["priority"] is None
    assert engineer_page.context["can_accept"]
    assert 'data-testid="action-acknowledge"' in engineer_page.content.decode()
    assert 'data-testid="action-acknowledge"' not in purchaser_page.content.decode()
    services.transition(ticket, "acknowledge", ca.people["engineer"])
    assert _offered(engineer, ticket) == {"start_remote", "request_onsite", "contain",
                                          "restore"}
    assert _offered(purchaser, ticket) == {"request_onsite"}
    assert _offered(site, ticket) == {"request_onsite"}


def test_close_is_not_offered_before_the_fault_report_is_verified(ca: Setup):
    """TKT-06: a fault ticket needs its verified report before it closes."""
    ticket = report(ca)
    for action in ("acknowledge", "restore"):
        services.transition(ticket, action, ca.people["engineer"])
    assert "close" not in _offered(client_for(ca.people["engineer"]), ticket)


def test_engineer_acknowledges_arrives_and_restores_through_the_page(ca: Setup):
    """TKT-04 through the UI, with the arrival's check-in location and a backdated step."""
    ticket = report(ca, minutes_ago=120)
    client = client_for(ca.people["engineer"])
    earlier = timezone.localtime() - datetime.timedelta(minutes=90)
    response = step(client, ticket, "acknowledge", at=earlier.strftime("%Y-%m-%dT%H:%M"),
                    comment="电话确认")
    assert response.status_code == 302  # type: ignore[attr-defined]
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ACKNOWLEDGED
    assert ticket.events.get(action="acknowledge").backdated
    step(client, ticket, "request_onsite")
    step(client, ticket, "arrive", location="天山路1800号")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ARRIVED
    assert ticket.arrival_location == "天山路1800号"
    response = step(client, ticket, "restore", comment="更换读卡模块")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESTORED
    page = client.get(response["Location"])  # type: ignore[index]
    assert any("done" in m for m in messages_of(page))


def test_a_stale_page_gets_a_clear_message_and_changes_nothing(ca: Setup):
    """Optimistic locking in the UI: the form posts the version the page showed."""
    ticket = report(ca)
    old_version = ticket.version
    services.transition(ticket, "acknowledge", ca.people["engineer2"])
    client = client_for(ca.people["engineer"])
    response = step(client, ticket, "restore", version=old_version)
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(response["Location"])  # type: ignore[index]
    assert any("changed by someone else" in m for m in messages_of(page))
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.ACKNOWLEDGED


def test_an_illegal_step_is_a_message_not_an_error(ca: Setup):
    ticket = report(ca)
    client = client_for(ca.people["engineer"])
    response = step(client, ticket, "arrive")
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(response["Location"])  # type: ignore[index]
    assert any("not possible" in m for m in messages_of(page))


def test_a_step_of_another_role_is_forbidden(sw: SiteWorld):
    """TKT-04: site staff may not acknowledge; the vendor may not raise the priority."""
    ticket = report(sw.setup, site=sw.own_site)
    assert step(client_for(sw.site_staff), ticket,
                "acknowledge").status_code == 403  # type: ignore[attr-defined]
    assert step(client_for(sw.setup.people["engineer"]), ticket, "priority",
                reason="x").status_code == 403  # type: ignore[attr-defined]
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORTED


def test_report_steps_go_through_the_fault_report_pages(ca: Setup):
    """TKT-06: submitting and verifying happen on the fault report pages, not as a bare step."""
    ticket = report(ca)
    for action in ("acknowledge", "restore"):
        services.transition(ticket, action, ca.people["engineer"])
    client = client_for(ca.people["engineer"])
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    offered = {o.code: o.url for o, _f in page.context["step_forms"]}
    assert offered["submit_report"] == reverse("tickets:report-edit", args=[ticket.pk])
    response = step(client, ticket, "submit_report")
    assert response["Location"] == offered["submit_report"]  # type: ignore[index]
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.RESTORED


def test_a_time_in_the_future_is_shown_at_the_form(ca: Setup):
    ticket = report(ca)
    later = timezone.localtime() + datetime.timedelta(hours=2)
    response = step(client_for(ca.people["engineer"]), ticket, "acknowledge",
                    at=later.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 400  # type: ignore[attr-defined]
    errors = next(f for o, f in response.context["step_forms"]  # type: ignore[attr-defined]
                  if o.code == "acknowledge").errors
    assert "at" in errors
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORTED


def test_pause_and_resume_with_the_contracts_pause_states(ca_pausing: Setup):
    """SLA-09: pause in a state the contract names, with a reason; resume. (Seed 002 has no
    pause clause; ``ca_pausing`` adds the states.)"""
    ca = ca_pausing
    ticket = report(ca)
    client = client_for(ca.people["engineer"])
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    choices = [c for c, _l in page.context["forms"]["pause"].fields["state"].choices]
    assert choices == ["awaiting_purchaser", "awaiting_third_party"]
    bad = step(client, ticket, "pause", state="lunch", reason="x")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    step(client, ticket, "pause", state="awaiting_purchaser", reason="等待甲方开门")
    ticket.refresh_from_db()
    assert ticket.paused_state == "awaiting_purchaser"
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert page.context["forms"]["pause"] is None and page.context["forms"]["resume"]
    step(client, ticket, "resume")
    ticket.refresh_from_db()
    assert ticket.paused_state == ""
    assert ticket.pauses.get().ended_at is not None


def test_manager_assigns_and_engineers_accept_once(ca: Setup):
    """TKT-05 dispatch; a second engineer taking a taken ticket gets a message."""
    ticket = report(ca)
    manager = client_for(ca.people["manager"])
    step(manager, ticket, "assign", assignee=ca.people["engineer2"].pk, comment="就近")
    assert Ticket.objects.get(pk=ticket.pk).assignee == ca.people["engineer2"]
    step(manager, ticket, "assign", assignee="")
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    response = step(client_for(ca.people["engineer"]), ticket, "accept")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Ticket.objects.get(pk=ticket.pk).assignee == ca.people["engineer"]
    second = client_for(ca.people["engineer2"])
    response = step(second, ticket, "accept")
    page = second.get(response["Location"])  # type: ignore[index]
    assert any("already taken" in m for m in messages_of(page))
    assert step(client_for(ca.people["engineer"]), ticket, "assign",
                assignee="").status_code == 403  # type: ignore[attr-defined]


def test_purchaser_raises_priority_and_overrides_the_level(ca: Setup):
    """TKT-03: priority and fault level, each with its reason; the vendor may not."""
    ticket = report(ca)
    purchaser = client_for(ca.people["purchaser"])
    no_reason = step(purchaser, ticket, "priority", reason="")
    assert no_reason.status_code == 400  # type: ignore[attr-defined]
    step(purchaser, ticket, "priority", reason="领导关注")
    step(purchaser, ticket, "level", level="I", reason="影响全市业务")
    ticket.refresh_from_db()
    assert ticket.priority == "high" and ticket.fault_level_override == "I"
    page = purchaser.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "影响全市业务" in page
    engineer = client_for(ca.people["engineer"])
    assert step(engineer, ticket, "level", level="IV",
                reason="x").status_code == 403  # type: ignore[attr-defined]


def test_other_vendor_and_attachments(ca: Setup):
    """TKT-05 无推诿 and attachments checked like contract documents."""
    ticket = report(ca)
    client = client_for(ca.people["engineer"])
    step(client, ticket, "vendor", name="某运营商", role="专线中断")
    assert ticket.vendors.get().name == "某运营商"
    url = reverse("tickets:action", args=[ticket.pk, "attachment"])
    bad = client.post(url, {"attachment-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert bad.status_code == 400
    assert TicketAttachment.objects.count() == 0
    fake = client.post(url, {"attachment-file": SimpleUploadedFile("p.png", b"not a png")})
    assert fake.status_code == 400
    good = client.post(url, {"attachment-file": SimpleUploadedFile("现场.png", PNG)})
    assert good.status_code == 302
    attachment = TicketAttachment.objects.get()
    download = reverse("tickets:attachment", args=[ticket.pk, attachment.pk])
    assert b"".join(client.get(download).streaming_content) == PNG  # type: ignore[attr-defined]
    assert client_for(ca.people["outsider"]).get(download).status_code == 404


# --- the report form ------------------------------------------------------------------------

def _report_data(setup: Setup, **extra: object) -> dict[str, object]:
    return {"contract": setup.contract.pk, "ticket_type": setup.ticket_type("fault").pk,
            "scope": "small", "title": "读卡机无法读卡", "description": "柜台2", **extra}


def test_site_staff_report_a_fault_of_their_own_site(sw: SiteWorld):
    """TKT-01: the portal report; site staff are offered only their own sites."""
    client = client_for(sw.site_staff)
    form = client.get(reverse("tickets:create") + f"?contract={sw.setup.contract.pk}")
    sites = list(form.context["form"].fields["site"].queryset)
    assert sites == [sw.own_site]
    assert "reported_at" not in form.context["form"].fields
    refused = client.post(reverse("tickets:create"),
                          _report_data(sw.setup, site=sw.other_site.pk))
    assert refused.status_code == 400
    assert "site" in refused.context["form"].errors
    response = client.post(reverse("tickets:create"), {
        **_report_data(sw.setup, site=sw.own_site.pk),
        "attachment": SimpleUploadedFile("现场.png", PNG)})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WEB and ticket.site == sw.own_site
    assert ticket.reporter == sw.site_staff and ticket.attachments.count() == 1


def test_a_bad_attachment_creates_no_ticket(sw: SiteWorld):
    client = client_for(sw.site_staff)
    response = client.post(reverse("tickets:create"), {
        **_report_data(sw.setup, site=sw.own_site.pk),
        "attachment": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 400
    assert "attachment" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_purchaser_reports_without_a_site(ca: Setup):
    client = client_for(ca.people["purchaser"])
    response = client.post(reverse("tickets:create"), _report_data(ca))
    assert response.status_code == 302
    assert Ticket.objects.get().channel == Channel.WEB


def test_vendor_logs_a_phone_report_entered_after_the_fact(ca: Setup):
    """TKT-01: a report taken by phone, entered later: reporter, time, marked backdated."""
    client = client_for(ca.people["manager"])
    form = client.get(reverse("tickets:create"))
    assert {"channel", "reporter_name", "reported_at"} <= set(form.context["form"].fields)
    taken = timezone.localtime() - datetime.timedelta(hours=1)
    response = client.post(reverse("tickets:create"), _report_data(
        ca, channel="phone", reporter_name="张老师", reporter_phone="13800000000",
        reported_at=taken.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.PHONE and ticket.reporter_name == "张老师"
    assert ticket.events.get(action="report").backdated
    future = timezone.localtime() + datetime.timedelta(hours=1)
    refused = client.post(reverse("tickets:create"), _report_data(
        ca, channel="phone", reported_at=future.strftime("%Y-%m-%dT%H:%M")))
    assert refused.status_code == 400
    assert "reported_at" in refused.context["form"].errors


def test_a_type_of_another_contract_is_refused(ca: Setup, outlets: Setup):
    client = client_for(ca.people["purchaser"])
    response = client.post(reverse("tickets:create"), _report_data(
        ca, ticket_type=outlets.ticket_type("fault").pk))
    assert response.status_code == 400
    assert "ticket_type" in response.context["form"].errors


# --- the phone page and the board -----------------------------------------------------------

def test_mine_lists_the_engineers_open_tickets_due_first(ca: Setup):
    """The phone page: overdue first, each with its next steps."""
    engineer = ca.people["engineer"]
    late = report(ca, minutes_ago=60 * 24 * 3, title="早已超时")
    fresh = report(ca, minutes_ago=1, title="刚报修")
    others = report(ca, title="别人的")
    for ticket in (fresh, late):
        services.assign(ticket, engineer, ca.people["manager"])
    services.assign(others, ca.people["engineer2"], ca.people["manager"])
    client = client_for(engineer)
    response = client.get(reverse("tickets:mine"))
    numbers = [card["ticket"].number for card in response.context["cards"]]
    assert numbers == [late.number, fresh.number]
    assert response.context["cards"][0]["overdue"]
    assert [a.code for a in response.context["cards"][0]["actions"]] == ["acknowledge"]
    late.refresh_from_db()
    posted = client.post(reverse("tickets:action", args=[late.pk, "acknowledge"]),
                         {"acknowledge-version": late.version,
                          "next": reverse("tickets:mine")})
    assert posted["Location"] == reverse("tickets:mine")
    assert Ticket.objects.get(pk=late.pk).state == TicketState.ACKNOWLEDGED


def test_board_groups_what_falls_due(ca: Setup):
    """SLA-10: overdue, warning and due soon within the chosen hours."""
    late = report(ca, minutes_ago=60 * 24 * 3, title="早已超时")
    fresh = report(ca, minutes_ago=1, title="刚报修")
    client = client_for(ca.people["purchaser"])
    response = client.get(reverse("tickets:board") + "?hours=24")
    groups = response.context["groups"]
    assert late in groups["overdue"]
    in_groups = [t for ts in groups.values() for t in ts]
    assert (fresh in in_groups) == (fresh.next_due_at is not None and fresh.next_due_at
                                    <= timezone.now() + datetime.timedelta(hours=24))
    assert response.context["hours"] == 24
    assert client.get(reverse("tickets:board") + "?hours=99").context["hours"] == 4
    partial = client.get(reverse("tickets:board"), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith("<div id=\"board\"")
