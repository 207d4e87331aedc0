"""The maintenance pages (PM-01..09, PM-08, AST-08): the engineer's day and the visit page
(check in, the checklist saved as one goes, out-of-range numbers refused next to the item,
the signature, one submission per idempotency key), the signed sheet with its versions and
digests, the manager's move/reassign/cancel, calendar, coverage, plans, events and
districts; constant query counts on the list pages."""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from weibao.assets.models import Asset, AssetType
from weibao.core.models import User
from weibao.maintenance.choices import ItemKind, VisitStatus
from weibao.maintenance.models import MaintenancePlan, MajorEvent, Visit, VisitSheet
from weibao.maintenance.selectors import month_bounds
from weibao.maintenance.tests.conftest import Setup, make_checklist, make_plan
from weibao.sites.models import Site
from weibao.testing.factories import PASSWORD


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def signature_data_url() -> str:
    image = Image.new("RGB", (60, 30), "white")
    for x in range(5, 55):
        image.putpixel((x, 15), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@dataclass
class World:
    setup: Setup
    site: Site
    asset: Asset
    plan: MaintenancePlan
    visit: Visit

    @property
    def people(self) -> dict[str, User]:
        return self.setup.people


def this_month() -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    return month_bounds(today.year, today.month)


def new_visit(setup: Setup, plan: MaintenancePlan, site: Site, key: str = "v1",
              assignee: User | None = None) -> Visit:
    start, end = this_month()
    return Visit.objects.create(contract=setup.contract, plan=plan, key=key, site=site,
                                window_start=start, window_end=end,
                                planned_for=timezone.localdate(),
                                assignee=assignee or setup.people["engineer"])


@pytest.fixture
def world(outlets: Setup) -> World:
    """Seed 000 with one 社保卡受理网点 holding one asset and this month's visit of the
    spec's 14-item plan, assigned to the engineer."""
    site = outlets.add_site("S001", site_type="sbk-outlet", district="huangpu",
                            name="黄浦第一网点", contact_name="王芳")
    asset_type = AssetType.objects.create(contract=outlets.contract, code="pc-x", name="电脑")
    asset = Asset.objects.create(contract=outlets.contract, asset_type=asset_type, site=site,
                                 name="受理电脑", code="PC-001")
    plan = MaintenancePlan.objects.get(contract=outlets.contract, code="sbk-monthly")
    return World(outlets, site, asset, plan, new_visit(outlets, plan, site))


def all_answers(world: World) -> dict[str, str]:
    """The form fields of a complete 14-item checklist: all normal, the asset present."""
    data: dict[str, str] = {}
    for item in world.plan.checklist.items.all():
        prefix = f"item-{item.code}-"
        if item.kind == ItemKind.PASS_FAIL:
            data[f"{prefix}value"] = "pass"
        elif item.kind == ItemKind.TEXT:
            data[f"{prefix}value"] = "V2.1"
        elif item.kind == ItemKind.ASSET_VERIFICATION:
            data[f"{prefix}asset-{world.asset.pk}"] = "present"
    return data


def check_in(world: World) -> None:
    response = client_for(world.people["engineer"]).post(
        reverse("maintenance:check-in", args=[world.visit.pk]),
        {"version": world.visit.version, "latitude": "31.230416", "longitude": "121.473701"})
    assert response.status_code == 302
    world.visit.refresh_from_db()


def test_the_visit_page_renders_each_item_kind_for_the_engineer(world: World) -> None:
    """PM-01: after check-in the phone page shows all 14 items, pass/fail toggles, the asset
    line of the site's asset (AST-08), the signature pad and an idempotency key."""
    check_in(world)
    assert world.visit.status == VisitStatus.IN_PROGRESS
    assert world.visit.latitude == Decimal("31.230416")
    page = client_for(world.people["engineer"]).get(
        reverse("maintenance:visit", args=[world.visit.pk])).content.decode()
    assert page.count('class="card mb-2 checklist-item') == 14
    assert "核实网点资产" in page and f'name="item-assets-asset-{world.asset.pk}"' in page
    assert 'data-signature-pad="id_signature"' in page
    assert 'name="idempotency_key"' in page


def test_an_engineer_completes_a_visit_and_a_retry_files_one_sheet(world: World) -> None:
    """PM-01/PM-02: the complete checklist with the site staff's signature and name files
    the signed sheet; the same idempotency key sent again (a double tap) files nothing
    more."""
    check_in(world)
    client = client_for(world.people["engineer"])
    data = {**all_answers(world), "do": "submit", "signature": signature_data_url(),
            "signer_name": "王芳", "idempotency_key": "k-123"}
    url = reverse("maintenance:visit", args=[world.visit.pk])
    first = client.post(url, data)
    assert first.status_code == 302
    assert first["Location"] == reverse("maintenance:sheet", args=[world.visit.pk])
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    other_key = client.post(url, {**data, "idempotency_key": "k-other"})
    assert other_key.status_code == 409
    world.visit.refresh_from_db()
    assert world.visit.status == VisitStatus.DONE
    assert VisitSheet.objects.filter(visit=world.visit).count() == 1
    sheet_page = client.get(first["Location"]).content.decode()
    assert "王芳" in sheet_page and VisitSheet.objects.get().digest in sheet_page


def test_submitting_without_signature_says_so_under_the_pad(world: World) -> None:
    """PM-02: a missing signature is refused with a clear message; nothing is filed."""
    check_in(world)
    response = client_for(world.people["engineer"]).post(
        reverse("maintenance:visit", args=[world.visit.pk]),
        {**all_answers(world), "do": "submit", "idempotency_key": "k-1"})
    assert response.status_code == 400
    assert 'data-testid="signature-error"' in response.content.decode()
    assert "must be signed" in response.content.decode()
    assert not VisitSheet.objects.exists()


def test_a_missing_required_answer_is_shown_next_to_its_item(world: World) -> None:
    """PM-01: an unanswered required item is named next to the item on submit."""
    check_in(world)
    data = all_answers(world)
    del data["item-backup-value"]
    response = client_for(world.people["engineer"]).post(
        reverse("maintenance:visit", args=[world.visit.pk]),
        {**data, "do": "submit", "signature": signature_data_url(), "signer_name": "王芳"})
    page = response.content.decode()
    assert response.status_code == 400
    block = page[page.index('id="item-backup"'):page.index('id="item-antivirus"')]
    assert "this item is required" in block


def test_an_out_of_range_number_is_refused_with_its_range(outlets: Setup) -> None:
    """PM-01: a number outside the item's valid range is not saved; the message, with the
    range, is shown beside the item (full save and the HTMX save alike)."""
    plan = make_plan(outlets.contract, checklist=make_checklist(outlets.contract))
    site = outlets.add_site("S9", site_type="sbk-outlet", district="huangpu")
    visit = new_visit(outlets, plan, site)
    client = client_for(outlets.people["engineer"])
    client.post(reverse("maintenance:check-in", args=[visit.pk]), {})
    url = reverse("maintenance:visit", args=[visit.pk])
    response = client.post(url, {"item-temp-value": "99", "do": "save"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "outside the allowed range" in page and "-20" in page and "60" in page
    assert not visit.results.exists()
    partial = client.post(url, {"item-temp-value": "99", "autosave": "temp"},
                          headers={"HX-Request": "true"})
    assert partial.status_code == 400
    assert "outside the allowed range" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    saved = client.post(url, {"item-temp-value": "35", "autosave": "temp"},
                        headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'data-testid="item-saved"' in saved.content.decode()
    # 35 ℃ is allowed but above the normal 30: abnormal, with the one-tap ticket (PM-08).
    assert 'data-testid="open-ticket"' in saved.content.decode()
    assert visit.results.get(item_code="temp").value == 35


def test_an_abnormal_item_opens_a_linked_ticket_in_one_tap(world: World) -> None:
    """PM-08: the ticket button beside an abnormal item opens a ticket linked to it."""
    check_in(world)
    client = client_for(world.people["engineer"])
    url = reverse("maintenance:visit", args=[world.visit.pk])
    client.post(url, {"item-hw-sw-value": "fail", "autosave": "hw-sw"},
                headers={"HX-Request": "true"})
    response = client.post(reverse("maintenance:open-ticket", args=[world.visit.pk, "hw-sw"]),
                           {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    result = world.visit.results.get(item_code="hw-sw")
    assert result.ticket is not None and result.ticket.number in response.content.decode()


def test_today_lists_my_visits_today_then_overdue(world: World) -> None:
    """The engineer's phone page: today's visit, and an open visit whose window ended as
    overdue; another engineer's visit is not listed."""
    start, _end = this_month()
    Visit.objects.create(contract=world.setup.contract, plan=world.plan, key="old",
                         site=world.site, window_start=start - datetime.timedelta(days=40),
                         window_end=start - datetime.timedelta(days=5),
                         assignee=world.people["engineer"])
    new_visit(world.setup, world.plan, world.site, key="other",
              assignee=world.people["engineer2"])
    page = client_for(world.people["engineer"]).get(reverse("maintenance:today"))
    html = page.content.decode()
    assert page.status_code == 200
    today = html[html.index('data-testid="today-visits"'):
                 html.index('data-testid="overdue-visits"')]
    assert f'data-visit="{world.visit.pk}"' in today
    assert html.count("data-visit=") == 2


def test_manager_moves_reassigns_and_cancels(world: World) -> None:
    """Issue 9 item 3: the manager moves a visit within its window, gives it to another
    engineer, and cancels it with a reason; a day outside the window is refused on the
    page."""
    client = client_for(world.people["manager"])
    url = reverse("maintenance:manage", args=[world.visit.pk])
    start, end = this_month()
    outside = (end + datetime.timedelta(days=3)).date()
    refused = client.post(url, {"do": "move", "move-planned_for": outside.isoformat()})
    assert refused.status_code == 400
    inside = timezone.localtime(start).date() + datetime.timedelta(days=1)
    assert client.post(url, {"do": "move", "move-planned_for": inside.isoformat(),
                             "move-version": world.visit.version}).status_code == 302
    world.visit.refresh_from_db()
    assert world.visit.planned_for == inside
    assert client.post(url, {"do": "reassign", "reassign-assignee":
                             world.people["engineer2"].pk}).status_code == 302
    world.visit.refresh_from_db()
    assert world.visit.assignee == world.people["engineer2"]
    stale = client.post(url, {"do": "cancel", "cancel-reason": "网点装修",
                              "cancel-version": 1})
    assert stale.status_code == 409
    assert client.post(url, {"do": "cancel", "cancel-reason": "网点装修"}).status_code == 302
    world.visit.refresh_from_db()
    assert world.visit.status == VisitStatus.CANCELLED
    assert world.visit.cancel_reason == "网点装修"


def test_engineer_may_not_manage_visits(world: World) -> None:
    """Only the vendor manager moves, reassigns and cancels visits."""
    response = client_for(world.people["engineer"]).post(
        reverse("maintenance:manage", args=[world.visit.pk]),
        {"do": "cancel", "cancel-reason": "x"})
    assert response.status_code == 403


def submitted(world: World) -> VisitSheet:
    check_in(world)
    response = client_for(world.people["engineer"]).post(
        reverse("maintenance:visit", args=[world.visit.pk]),
        {**all_answers(world), "do": "submit", "signature": signature_data_url(),
         "signer_name": "王芳", "idempotency_key": "k-9"})
    assert response.status_code == 302
    return VisitSheet.objects.get(visit=world.visit)


@pytest.mark.pdf
def test_a_correction_is_a_new_version_with_its_changes(world: World) -> None:
    """PM-02: the manager corrects a signed sheet with a reason: version 2 shows the change
    (before, after); both versions verify against their digests; the PDF downloads."""
    submitted(world)
    client = client_for(world.people["manager"])
    url = reverse("maintenance:sheet", args=[world.visit.pk])
    data = {**all_answers(world), "item-sw-version-value": "V2.2"}
    assert client.post(url, data).status_code == 400  # no reason
    assert client.post(url, {**data, "reason": "版本号抄错"}).status_code == 302
    versions = list(VisitSheet.objects.filter(visit=world.visit).order_by("version"))
    assert [s.version for s in versions] == [1, 2]
    page = client.get(url + "?verify=1").content.decode()
    assert 'data-testid="sheet-changes"' in page and "V2.1" in page and "V2.2" in page
    assert page.count('data-ok="1"') == 2
    pdf = client.get(reverse("maintenance:sheet-pdf", args=[versions[0].pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_calendar_counts_the_days_visits_and_lists_a_day(world: World) -> None:
    """The month calendar counts visits per day by status; a day lists its visits."""
    today = timezone.localdate()
    response = client_for(world.people["manager"]).get(
        reverse("maintenance:calendar"),
        {"contract": world.setup.contract.pk, "month": f"{today:%Y-%m}",
         "day": today.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    cell = page[page.index(f'data-day="{today.isoformat()}"'):]
    assert 'data-status="planned"' in cell[:600]
    assert f'data-visit="{world.visit.pk}"' in page


def test_coverage_by_district_with_month_downloads(world: World) -> None:
    """PM-09: the coverage table counts this month's due visit under its district and
    offers the month's sheets as ZIP and PDF."""
    today = timezone.localdate()
    response = client_for(world.people["purchaser"]).get(
        reverse("maintenance:coverage"),
        {"contract": world.setup.contract.pk, "month": f"{today:%Y-%m}", "by": "district"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "黄浦区" in page and 'data-testid="month-zip"' in page
    assert 'data-testid="month-pdf"' in page
    for by in ("plan", "site_type", "nonsense"):
        assert client_for(world.people["manager"]).get(
            reverse("maintenance:coverage"), {"by": by}).status_code == 200


def test_month_download_without_sheets_says_so(world: World) -> None:
    """A month without signed sheets redirects back with the reason, not a 500."""
    response = client_for(world.people["manager"]).get(
        reverse("maintenance:month-sheets", args=["pdf"]),
        {"contract": world.setup.contract.pk, "month": "2020-01"})
    assert response.status_code == 302


@pytest.mark.pdf
def test_month_zip_holds_the_signed_sheet(world: World) -> None:
    """Seed 000 hands in the month's sheets: the ZIP holds this month's signed sheet."""
    import zipfile

    submitted(world)
    start, _end = this_month()
    month = timezone.localtime(start).strftime("%Y-%m")
    response = client_for(world.people["purchaser"]).get(
        reverse("maintenance:month-sheets", args=["zip"]),
        {"contract": world.setup.contract.pk, "month": month})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert [n for n in archive.namelist() if n.endswith(".pdf")] == [
        f"{timezone.localtime(start):%Y-%m-%d}_S001_黄浦第一网点_v1.pdf"]


def test_plans_and_checklists_show_the_spec(world: World) -> None:
    """Plans and checklists are read-only pages of what the spec says: cadence, window,
    signature, breach rule and each item's kind."""
    client = client_for(world.people["purchaser"])
    plans = client.get(reverse("maintenance:plans")).content.decode()
    assert "社保卡受理网点月度维护" in plans and "社保卡受理网点维护检查表" in plans
    plan = client.get(reverse("maintenance:plan", args=[world.plan.pk])).content.decode()
    assert "within the calendar month" in plan and "is a breach" in plan
    assert plan.count("data-item=") == 14
    checklist = client.get(reverse("maintenance:checklist",
                                   args=[world.plan.checklist_id])).content.decode()
    assert "核实网点资产" in checklist


def test_major_events_are_recorded_by_the_purchaser(world: World) -> None:
    """PM-07: the purchaser records a major event; a date outside the contract is refused
    with the message on the form."""
    client = client_for(world.people["purchaser"])
    contract = world.setup.contract
    bad = client.post(reverse("maintenance:events"), {
        "contract": contract.pk, "name": "进博会", "date": "1999-01-01"})
    assert bad.status_code == 400 and "service period" in bad.content.decode()
    day = contract.start_date + datetime.timedelta(days=30)
    good = client.post(reverse("maintenance:events"), {
        "contract": contract.pk, "name": "进博会", "date": day.isoformat()})
    assert good.status_code == 302
    assert MajorEvent.objects.get().name == "进博会"
    assert "进博会" in client.get(reverse("maintenance:events")).content.decode()


def test_manager_sets_an_engineers_districts(world: World) -> None:
    """The vendor manager gives an engineer districts (generation assigns by them)."""
    client = client_for(world.people["manager"])
    contract = world.setup.contract
    url = reverse("maintenance:areas") + f"?contract={contract.pk}"
    district = world.setup.district("xuhui")
    response = client.post(url, {"engineer": world.people["engineer"].pk,
                                 "districts": [district.pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "徐汇区" in page
    assert client_for(world.people["engineer"]).post(url, {}).status_code == 403


def test_list_pages_keep_a_constant_number_of_queries(world: World) -> None:
    """Query counts do not grow with the number of visits (no N+1) on the visit list, the
    engineer's day and the calendar."""
    pages = [(world.people["manager"], reverse("maintenance:list")),
             (world.people["engineer"], reverse("maintenance:list")),
             (world.people["engineer"], reverse("maintenance:today")),
             (world.people["manager"], reverse("maintenance:calendar")),
             (world.people["manager"], reverse("maintenance:plans"))]
    counts = []
    for user, url in pages:
        client = client_for(user)
        with CaptureQueriesContext(connection) as before:
            assert client.get(url).status_code == 200
        counts.append(len(before))
    for n in range(12):
        new_visit(world.setup, world.plan, world.site, key=f"more-{n}")
    for (user, url), count in zip(pages, counts, strict=True):
        client = client_for(user)
        with CaptureQueriesContext(connection) as after:
            assert client.get(url).status_code == 200
        assert len(after) <= count, url


def test_a_done_visit_shows_its_answers_and_the_sheet_link(world: World) -> None:
    """PM-02: after submission the visit page lists the recorded answers read-only and
    links to the signed sheet; the site's page links to its visits."""
    submitted(world)
    page = client_for(world.people["purchaser"]).get(
        reverse("maintenance:visit", args=[world.visit.pk])).content.decode()
    assert 'data-testid="visit-sheet"' in page and "V2.1" in page
    assert 'class="card mb-2 checklist-item' not in page
    site_page = client_for(world.people["manager"]).get(
        reverse("sites:detail", args=[world.site.pk])).content.decode()
    assert f"{reverse('maintenance:list')}?site={world.site.pk}" in site_page


def test_bad_input_is_answered_with_a_message_never_a_500(world: World) -> None:
    """Malformed or refused input on every form comes back as 400/404/409 with the page,
    never a server error."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    engineer = client_for(world.people["engineer"])
    manager = client_for(world.people["manager"])
    pk = world.visit.pk
    assert engineer.post(reverse("maintenance:check-in", args=[pk]),
                         {"latitude": "abc", "longitude": "999"}).status_code == 400
    check_in(world)
    visit_url = reverse("maintenance:visit", args=[pk])
    assert engineer.post(visit_url, {"item-hw-sw-value": "maybe",
                                     "do": "save"}).status_code == 400
    not_a_photo = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    assert engineer.post(visit_url, {"autosave": "nope"},
                         headers={"HX-Request": "true"}).status_code in (400, 404)
    from weibao.maintenance.models import ChecklistItem

    ChecklistItem.objects.create(template=world.plan.checklist, code="room-photo", order=30,
                                 text="机房照片", kind=ItemKind.PHOTO)
    refused = engineer.post(visit_url, {"do": "save", "item-room-photo-photo": not_a_photo})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "image" in page[page.index('id="item-room-photo"'):]
    assert engineer.post(reverse("maintenance:parts", args=[pk]),
                         {"warehouse": "999999", "part_type": "x",
                          "quantity": "-3"}).status_code == 400
    assert engineer.post(reverse("maintenance:open-ticket", args=[pk, "no-such"]),
                         {}).status_code == 302
    manage = reverse("maintenance:manage", args=[pk])
    assert manager.post(manage, {"do": "move", "move-planned_for": "soon"}).status_code == 400
    assert manager.post(manage, {"do": "bogus"}).status_code == 404
    assert manager.post(manage, {"do": "reassign",
                                 "reassign-assignee": world.people["outsider"].pk}
                        ).status_code == 400
    assert manager.post(reverse("maintenance:sheet", args=[pk]),
                        {"reason": "x"}).status_code == 409
    for name, query in (("maintenance:calendar", {"month": "2025-13", "day": "nope"}),
                        ("maintenance:coverage", {"contract": "abc", "by": "x"}),
                        ("maintenance:list", {"month": "October", "status": "zzz"})):
        assert manager.get(reverse(name), query).status_code == 200, name
    assert manager.get(reverse("maintenance:month-sheets", args=["zip"]),
                       {"month": "x"}).status_code in (200, 302)
