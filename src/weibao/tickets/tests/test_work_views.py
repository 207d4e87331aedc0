"""Pages of the work a ticket produces (TKT-06..09) and who may open them (PLT-01): the
purchaser approves, the engineer cannot; another contract's people get 404."""

from __future__ import annotations

import pytest
from django.test import Client

from weibao.core.choices import Role
from weibao.spares.models import StockMovement
from weibao.testing.factories import UserFactory
from weibao.tickets import services
from weibao.tickets.choices import ReportStatus, TicketState
from weibao.tickets.models import Article, FaultReport, Satisfaction, Ticket
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.work_helpers import SIGNATURE, restored, stocked, submitted


def browser(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.pdf
def test_tkt06_engineer_writes_saves_and_submits_the_report(ca: Setup):
    ticket = restored(ca)
    client = browser(ca.people["engineer"])
    page = client.get(f"/tickets/{ticket.pk}/report/")
    assert page.status_code == 200 and b'data-testid="report-submit"' in page.content
    saved = client.post(f"/tickets/{ticket.pk}/report/",
                        {"cause": "积灰", "actions": "清洁", "do": "save"})
    assert saved.status_code == 302
    assert FaultReport.objects.get(ticket=ticket).status == ReportStatus.DRAFT
    missing = client.post(f"/tickets/{ticket.pk}/report/",
                          {"cause": "", "actions": "", "do": "submit"})
    assert missing.status_code == 400
    done = client.post(f"/tickets/{ticket.pk}/report/",
                       {"cause": "积灰", "actions": "清洁", "prevention": "", "do": "submit"})
    assert done.status_code == 302 and done["Location"] == f"/tickets/{ticket.pk}/"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORT_SUBMITTED
    again = client.post(f"/tickets/{ticket.pk}/report/",
                        {"cause": "x", "actions": "y", "do": "save"})
    assert again.status_code == 409


def test_tkt06_parts_issued_from_the_report_page_land_in_the_ledger(ca: Setup):
    ticket = restored(ca)
    warehouse, part = stocked(ca)
    client = browser(ca.people["engineer"])
    answer = client.post(f"/tickets/{ticket.pk}/report/parts/",
                         {"warehouse": warehouse.pk, "part_type": part.pk, "quantity": 2})
    assert answer.status_code == 302
    movement = StockMovement.objects.get(reference_kind="ticket", reference_id=str(ticket.pk))
    assert movement.quantity == -2
    page = client.get(f"/tickets/{ticket.pk}/report/")
    assert f'data-movement="{movement.pk}"'.encode() in page.content
    too_many = client.post(f"/tickets/{ticket.pk}/report/parts/",
                           {"warehouse": warehouse.pk, "part_type": part.pk, "quantity": 9})
    assert too_many.status_code == 409


@pytest.mark.pdf
def test_tkt06_purchaser_approves_with_signature_engineer_cannot(ca: Setup):
    ticket = submitted(ca)
    engineer = browser(ca.people["engineer"])
    page = engineer.get(f"/tickets/{ticket.pk}/report/review/")
    assert page.status_code == 200 and b"report-approve" not in page.content
    assert engineer.post(f"/tickets/{ticket.pk}/report/review/",
                         {"signature": SIGNATURE}).status_code == 403
    purchaser = browser(ca.people["purchaser"])
    page = purchaser.get(f"/tickets/{ticket.pk}/report/review/")
    assert b'data-testid="report-approve"' in page.content
    assert b'data-signature-pad="id_signature"' in page.content
    assert b"signature_pad.umd.min.js" in page.content
    unsigned = purchaser.post(f"/tickets/{ticket.pk}/report/review/", {"signature": ""})
    assert unsigned.status_code == 400
    approved = purchaser.post(f"/tickets/{ticket.pk}/report/review/",
                              {"signature": SIGNATURE, "signer_name": "李四"})
    assert approved.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.VERIFIED
    assert FaultReport.objects.get(ticket=ticket).status == ReportStatus.APPROVED


@pytest.mark.pdf
def test_tkt06_purchaser_rejects_with_a_reason(ca: Setup):
    ticket = submitted(ca)
    purchaser = browser(ca.people["purchaser"])
    assert purchaser.post(f"/tickets/{ticket.pk}/report/review/",
                          {"do": "reject", "reason": ""}).status_code == 400
    assert purchaser.post(f"/tickets/{ticket.pk}/report/review/",
                          {"do": "reject", "reason": "请补充原因"}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.RESTORED
    page = browser(ca.people["engineer"]).get(f"/tickets/{ticket.pk}/report/")
    assert "请补充原因" in page.content.decode()


@pytest.mark.pdf
def test_tkt06_pdf_is_served_to_parties_only(ca: Setup):
    ticket = submitted(ca)
    for who in ("purchaser", "engineer", "manager"):
        answer = browser(ca.people[who]).get(f"/tickets/{ticket.pk}/report.pdf")
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert browser(ca.people["outsider"]).get(
        f"/tickets/{ticket.pk}/report.pdf").status_code == 404
    draft = restored(ca)
    services.save_report(draft, ca.people["engineer"], cause="草稿", actions="草稿")
    answer = browser(ca.people["purchaser"]).get(f"/tickets/{draft.pk}/report.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


@pytest.mark.parametrize("url", ["/tickets/{pk}/report/", "/tickets/{pk}/report/review/",
                                 "/tickets/{pk}/report.pdf", "/tickets/{pk}/satisfaction/",
                                 "/tickets/{pk}/return-visits/new/"])
@pytest.mark.pdf
def test_plt01_outsider_gets_404_on_every_work_page(ca: Setup, url: str):
    ticket = submitted(ca)
    assert browser(ca.people["outsider"]).get(url.format(pk=ticket.pk)).status_code == 404


def test_plt01_anonymous_goes_to_login(ca: Setup):
    ticket = restored(ca)
    answer = Client().get(f"/tickets/{ticket.pk}/report/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_tkt07_rating_and_return_visit_pages(ca: Setup):
    ticket = restored(ca)
    assert browser(ca.people["engineer"]).post(f"/tickets/{ticket.pk}/satisfaction/",
                                               {"rating": 5}).status_code == 403
    purchaser = browser(ca.people["purchaser"])
    assert purchaser.post(f"/tickets/{ticket.pk}/satisfaction/",
                          {"rating": 5, "comment": "很好"}).status_code == 302
    assert Satisfaction.objects.get(ticket=ticket).rating == 5
    assert purchaser.post(f"/tickets/{ticket.pk}/satisfaction/",
                          {"rating": 4}).status_code == 409
    engineer = browser(ca.people["engineer"])
    assert engineer.post(f"/tickets/{ticket.pk}/return-visits/new/", {
        "visited_at": "2000-01-01T10:00", "method": "电话", "notes": "x"}).status_code == 400
    from django.utils import timezone
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert engineer.post(f"/tickets/{ticket.pk}/return-visits/new/", {
        "visited_at": now, "method": "电话", "notes": "用户满意"}).status_code == 302
    assert ticket.return_visits.count() == 1


def test_tkt07_summary_shows_the_rate_of_own_contracts(ca: Setup, outlets: Setup):
    services.rate_ticket(restored(ca), ca.people["purchaser"], rating=5)
    page = browser(ca.people["purchaser"]).get("/tickets/summary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ca.contract.number in text and "100%" in text
    assert outlets.contract.number not in text


@pytest.mark.pdf
def test_ticket_page_includes_the_work_section(ca: Setup):
    ticket = submitted(ca)
    page = browser(ca.people["purchaser"]).get(f"/tickets/{ticket.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="ticket-report"' in text and 'data-testid="report-review"' in text
    page = browser(ca.people["engineer"]).get(f"/tickets/{ticket.pk}/")
    assert 'data-testid="report-review"' not in page.content.decode()
    assert 'data-testid="article-from-report"' in page.content.decode()


def test_tkt08_change_pages_and_supervisor_decision(ca: Setup):
    supervisor = UserFactory(organisation=ca.contract.purchaser.organisation,  # type: ignore[union-attr]
                             role=Role.SUPERVISOR)
    ticket = ca.report("2025-10-10 10:00", code="requirement_change")
    manager = browser(ca.people["manager"])
    assert manager.post(f"/tickets/{ticket.pk}/change/",
                        {"estimate_person_days": "0"}).status_code == 400
    assert manager.post(f"/tickets/{ticket.pk}/change/",
                        {"estimate_person_days": "12.5"}).status_code == 302
    assert browser(ca.people["purchaser"]).post(f"/tickets/{ticket.pk}/change/dispute/", {
        "reason": "应纳入"}).status_code == 302
    assert manager.post(f"/tickets/{ticket.pk}/change/decide/", {
        "decision": "included", "note": "x"}).status_code == 403
    assert browser(supervisor).post(f"/tickets/{ticket.pk}/change/decide/", {
        "decision": "included", "note": "监理认定纳入"}).status_code == 302
    page = manager.get(f"/tickets/{ticket.pk}/")
    assert 'data-decision="included"' in page.content.decode()
    fault = ca.report("2025-10-10 10:00")
    assert manager.get(f"/tickets/{fault.pk}/change/").status_code == 404


@pytest.mark.pdf
def test_tkt09_knowledge_pages_search_create_edit_from_report(ca: Setup, outlets: Setup):
    ticket = submitted(ca)
    engineer = browser(ca.people["engineer"])
    made = engineer.post(f"/tickets/{ticket.pk}/knowledge/new/")
    article = Article.objects.get(source_ticket=ticket)
    assert made.status_code == 302 and made["Location"] == f"/tickets/knowledge/{article.pk}/edit/"
    edit = engineer.get(made["Location"])
    assert edit.status_code == 200 and "读卡机磁头积灰" in edit.content.decode()
    saved = engineer.post(made["Location"], {
        "title": "读卡机故障", "problem": "无法读卡", "cause": "积灰", "solution": "清洁",
        "tags": "读卡机 硬件", "published": "on"})
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.tags == ["读卡机", "硬件"] and article.contract == ca.contract
    listing = browser(ca.people["purchaser"]).get("/tickets/knowledge/?q=卡机")
    assert listing.status_code == 200 and "读卡机故障" in listing.content.decode()
    assert "读卡机故障" not in browser(ca.people["purchaser"]).get(
        "/tickets/knowledge/?q=卡机 密码").content.decode()
    assert browser(ca.people["outsider"]).get(
        f"/tickets/knowledge/{article.pk}/").status_code == 404
    assert "读卡机故障" not in browser(outlets.people["engineer"]).get(
        "/tickets/knowledge/").content.decode()
    assert browser(ca.people["purchaser"]).get("/tickets/knowledge/new/").status_code == 403
    created = engineer.post("/tickets/knowledge/new/", {
        "contract": outlets.contract.pk, "title": "t", "problem": "p", "solution": "s"})
    assert created.status_code == 400  # not one of the engineer's contracts
    created = engineer.post("/tickets/knowledge/new/", {
        "contract": ca.contract.pk, "title": "UPS 告警", "problem": "p", "solution": "s",
        "published": "on"})
    assert created.status_code == 302


def test_tkt09_link_an_article_to_a_ticket(ca: Setup):
    ticket = restored(ca)
    article = services.save_article(ca.contract, services.ArticleInput(
        title="读卡机", problem="p", solution="s"), ca.people["engineer"])
    engineer = browser(ca.people["engineer"])
    assert engineer.post(f"/tickets/{ticket.pk}/knowledge/link/",
                         {"article": article.pk}).status_code == 302
    assert list(ticket.articles.all()) == [article]
    assert browser(ca.people["purchaser"]).post(f"/tickets/{ticket.pk}/knowledge/link/", {
        "article": article.pk, "unlink": "1"}).status_code == 403
    assert engineer.post(f"/tickets/{ticket.pk}/knowledge/link/",
                         {"article": article.pk, "unlink": "1"}).status_code == 302
    assert not ticket.articles.exists()


def test_tkt09_nav_has_the_knowledge_entry(ca: Setup):
    page = browser(ca.people["engineer"]).get("/tickets/knowledge/")
    assert 'href="/tickets/knowledge/"' in page.content.decode()


def test_tkt08_summary_shows_budget_consumption_to_parties(ca: Setup):
    from decimal import Decimal

    from weibao.tickets.models import ChangeBudget

    ChangeBudget.objects.get_or_create(contract=ca.contract, code="extra-b",
                                       defaults={"name": "示例变更预算",
                                                 "person_months": Decimal("1")})
    ticket = ca.report("2025-10-10 10:00", code="requirement_change")
    services.save_requirement_change(ticket, ca.people["manager"], estimate_person_days=3,
                                     budget="extra-b")
    page = browser(ca.people["manager"]).get("/tickets/summary/")
    text = page.content.decode()
    assert 'data-budget="extra-b"' in text and "示例变更预算" in text
