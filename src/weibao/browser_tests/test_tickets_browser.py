"""A fault from report to verified fault report, in a real browser (TKT-01, TKT-04, TKT-06).

Site staff report a fault of their own site through the portal; an engineer on a phone-size
screen takes it, acknowledges, asks for on-site support, arrives and restores from "my
tickets"; the engineer writes and submits the fault report and the purchaser signs it off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "contracts"


def _people() -> dict[str, Any]:
    """Seed 002's contract, a site-owner organisation owning 天山路三分中心, and one person
    per role."""
    from weibao.contracts.choices import PartyRole
    from weibao.contracts.models import ContractParty
    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import OrganisationKind, Role
    from weibao.sites.models import Site
    from weibao.testing.factories import OrganisationFactory, UserFactory

    contract = import_text((EXAMPLES / "002-shanghai-hrss-ca-integration.yaml")
                           .read_text("utf-8")).contract
    owner = OrganisationFactory(name="天山路三分中心管理处", code="ts-owner",
                                kind=OrganisationKind.SITE_OWNER)
    ContractParty.objects.create(contract=contract, organisation=owner,
                                 role=PartyRole.SITE_OWNER)
    site = Site.objects.get(contract=contract, code="ts1800-center")
    site.organisation = owner
    site.save(update_fields=["organisation"])
    return {
        "contract": contract, "site": site,
        "site_staff": UserFactory(username="wd-staff", organisation=owner,
                                  role=Role.SITE_STAFF),
        "engineer": UserFactory(username="ca-eng", organisation=contract.vendor.organisation,
                                role=Role.VENDOR_ENGINEER),
        "purchaser": UserFactory(username="ca-buyer",
                                 organisation=contract.purchaser.organisation,
                                 role=Role.PURCHASER_STAFF),
    }


def _no_sideways_scroll(phone: Any) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, \
        "the page must not scroll sideways on a phone"


def _tap(phone: Any, testid: str) -> None:
    with phone.expect_navigation():
        phone.click(f"[data-testid={testid}]")


def test_fault_from_site_report_to_verified_fault_report(page: Any, phone: Any,
                                                         live_server: Any):
    from weibao.tickets.models import Ticket

    people = _people()
    base = live_server.url

    # 1. Site staff report the fault through the portal (TKT-01).
    log_in(page, base, "wd-staff", PASSWORD)
    page.goto(f"{base}/tickets/new/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.select_option("#id_ticket_type", label="故障报修")
    with page.expect_response(lambda r: "/tickets/new/?" in r.url):
        page.select_option("#id_site", label="天山路三分中心")
    page.wait_for_selector("#id_title")
    page.fill("#id_title", "社保卡读卡器无法读卡")
    page.fill("#id_description", "二号窗口读卡器无响应，已重启无效。")
    with page.expect_navigation():
        page.click("[data-testid=report-submit]")
    assert page.get_attribute("[data-testid=ticket-state]", "data-state") == "reported"
    ticket = Ticket.objects.get()
    assert ticket.site == people["site"] and ticket.channel == "web"
    assert ticket.stages.exists()

    # 2. The engineer, on a phone, takes the ticket and works it from "my tickets" (TKT-04).
    log_in(phone, base, "ca-eng", PASSWORD)
    phone.goto(f"{base}/tickets/mine/")
    _no_sideways_scroll(phone)
    _tap(phone, "mine-accept")
    card = phone.locator(f"[data-ticket='{ticket.number}']")
    assert card.get_attribute("data-state") == "reported"
    _tap(phone, "mine-acknowledge")
    assert card.get_attribute("data-state") == "acknowledged"
    _tap(phone, "mine-request_onsite")
    phone.fill("input[name=arrive-location]", "天山路1800号 二号窗口")
    _tap(phone, "mine-arrive")
    assert card.get_attribute("data-state") == "arrived"
    _no_sideways_scroll(phone)
    _tap(phone, "mine-restore")
    # A restored ticket leaves nothing to do on the phone page but stays listed until closed.
    assert card.get_attribute("data-state") == "restored"
    ticket.refresh_from_db()
    assert ticket.state == "restored" and ticket.arrival_location == "天山路1800号 二号窗口"
    assert list(ticket.events.values_list("action", flat=True)) == [
        "report", "accept", "acknowledge", "request_onsite", "arrive", "restore"]

    # 3. The engineer writes and submits the fault report (TKT-06), from the ticket page.
    phone.goto(f"{base}/tickets/{ticket.pk}/")
    _no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.click("[data-testid=action-submit_report]")
    phone.wait_for_url(f"**/tickets/{ticket.pk}/report/")
    phone.fill("textarea[name=cause]", "读卡模块老化")
    phone.fill("textarea[name=actions]", "更换读卡模块并测试")
    with phone.expect_navigation():
        phone.click("button[name=do][value=submit]")
    ticket.refresh_from_db()
    assert ticket.state == "report_submitted"

    # 4. The purchaser signs the report off on a canvas (TKT-06).
    page.context.clear_cookies()
    log_in(page, base, "ca-buyer", PASSWORD)
    page.goto(f"{base}/tickets/{ticket.pk}/report/review/")
    canvas = page.locator("canvas").first
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(box["x"] + 10 + step * 20, box["y"] + 10 + (step % 2) * 25)
    page.mouse.up()
    with page.expect_navigation():
        page.locator("form:has(input[name=signature]) button[type=submit]").first.click()
    ticket.refresh_from_db()
    assert ticket.state == "verified"
    page.goto(f"{base}/tickets/{ticket.pk}/")
    assert page.get_attribute("[data-testid=ticket-state]", "data-state") == "verified"
