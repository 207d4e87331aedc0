"""Satisfaction and return visits (TKT-07), requirement changes (TKT-08) and the knowledge base
(TKT-09): every service rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weibao.contracts.spec.importer import import_text
from weibao.core.choices import Role
from weibao.testing.factories import UserFactory
from weibao.tickets import services
from weibao.tickets.choices import ChangeDecision
from weibao.tickets.filtersets import ArticleFilterSet
from weibao.tickets.models import Article, ChangeBudget, TicketPolicy
from weibao.tickets.services import TicketConflict
from weibao.tickets.tests.conftest import EXAMPLES, Setup
from weibao.tickets.tests.work_helpers import restored, submitted

# --- TKT-07 ---------------------------------------------------------------------------------


def test_tkt07_the_reporter_rates_once_after_restoration(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    with pytest.raises(TicketConflict):
        services.rate_ticket(ticket, ca.people["purchaser"], rating=5)
    ticket = restored(ca)
    rated = services.rate_ticket(ticket, ca.people["purchaser"], rating=4, comment="及时")
    assert rated.rating == 4 and rated.rated_by == ca.people["purchaser"]
    with pytest.raises(TicketConflict):
        services.rate_ticket(ticket, ca.people["purchaser"], rating=5)


@pytest.mark.parametrize("rating", [0, 6, "5", True])
def test_tkt07_ratings_are_1_to_5(ca: Setup, rating: object):
    ticket = restored(ca)
    with pytest.raises(ValidationError):
        services.rate_ticket(ticket, ca.people["purchaser"], rating=rating)  # type: ignore[arg-type]


def test_tkt07_the_vendor_does_not_rate_its_own_work(ca: Setup):
    ticket = restored(ca)
    for who in ("engineer", "manager", "outsider"):
        with pytest.raises(PermissionDenied):
            services.rate_ticket(ticket, ca.people[who], rating=5)


def test_tkt07_return_visits_after_restoration_with_notes(ca: Setup):
    ticket = restored(ca)
    now = timezone.now()
    visit = services.record_return_visit(ticket, ca.people["engineer"], visited_at=now,
                                         method="电话", notes="用户确认正常")
    assert visit.visited_by == ca.people["engineer"]
    with pytest.raises(ValidationError) as caught:
        services.record_return_visit(ticket, ca.people["engineer"],
                                     visited_at=now + datetime.timedelta(days=1), method="",
                                     notes=" ")
    assert set(caught.value.message_dict) == {"visited_at", "notes"}
    with pytest.raises(ValidationError):
        services.record_return_visit(ticket, ca.people["engineer"],
                                     visited_at=ticket.restored_at - datetime.timedelta(hours=1),
                                     method="", notes="x")
    with pytest.raises(PermissionDenied):
        services.record_return_visit(ticket, ca.people["purchaser"], visited_at=now,
                                     method="", notes="x")


def test_tkt07_satisfaction_rate_is_the_share_of_4_and_5(ca: Setup):
    from weibao.contracts.models import Contract

    for rating in (5, 4, 2, 3):
        services.rate_ticket(restored(ca), ca.people["purchaser"], rating=rating)
    [row] = services.satisfaction_summary(Contract.objects.filter(pk=ca.contract.pk))
    assert (row.rated, row.satisfied, row.rate, row.average) == (4, 2, 0.5, 3.5)


# --- TKT-08 ---------------------------------------------------------------------------------


@pytest.fixture
def onsite(db: None) -> Setup:
    """Seed 001: changes below 2 person-months are inside the contract."""
    contract = import_text((EXAMPLES / "001-changzhou-hrss-onsite.yaml").read_text("utf-8")
                           ).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    purchaser = contract.purchaser.organisation  # type: ignore[union-attr]
    people = {
        "purchaser": UserFactory(organisation=purchaser, role=Role.PURCHASER_STAFF),
        "manager": UserFactory(organisation=vendor, role=Role.VENDOR_MANAGER),
        "engineer": UserFactory(organisation=vendor, role=Role.VENDOR_ENGINEER),
        "supervisor": UserFactory(organisation=purchaser, role=Role.SUPERVISOR),
    }
    return Setup(contract, people)


def test_tkt08_seed_001_threshold_is_two_person_months(onsite: Setup):
    policy = TicketPolicy.objects.get(contract=onsite.contract)
    assert policy.threshold_person_days == Decimal("44.0")


def test_tkt08_estimate_flagged_at_or_over_the_threshold(onsite: Setup):
    ticket = onsite.report("2025-10-10 10:00", code="requirement_change")
    change = services.save_requirement_change(ticket, onsite.people["manager"],
                                              estimate_person_days="43.9")
    assert not change.over_threshold and change.threshold_person_days == Decimal("44.0")
    change = services.save_requirement_change(ticket, onsite.people["manager"],
                                              estimate_person_days=44)
    assert change.over_threshold
    assert ticket.events.filter(action="estimate").count() == 2


def test_tkt08_only_requirement_change_tickets_and_sane_estimates(onsite: Setup):
    fault = onsite.report("2025-10-10 10:00")
    with pytest.raises(ValidationError):
        services.save_requirement_change(fault, onsite.people["manager"],
                                         estimate_person_days=1)
    ticket = onsite.report("2025-10-10 10:00", code="requirement_change")
    for bad in (0, -1, "abc", "NaN"):
        with pytest.raises(ValidationError):
            services.save_requirement_change(ticket, onsite.people["manager"],
                                             estimate_person_days=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        services.save_requirement_change(ticket, onsite.people["manager"],
                                         estimate_person_days=1, budget="nope")
    with pytest.raises(PermissionDenied):
        services.save_requirement_change(ticket, onsite.people["engineer"],
                                         estimate_person_days=1)


def test_tkt08_design_document_is_stored(onsite: Setup):
    ticket = onsite.report("2025-10-10 10:00", code="requirement_change")
    change = services.save_requirement_change(
        ticket, onsite.people["manager"], estimate_person_days=5,
        design_document=SimpleUploadedFile("设计.docx", b"design"))
    with change.design_document.open("rb") as handle:
        assert handle.read() == b"design"


def test_tkt08_dispute_then_supervisor_decides(onsite: Setup):
    ticket = onsite.report("2025-10-10 10:00", code="requirement_change")
    with pytest.raises(ValidationError):
        services.dispute_change(ticket, onsite.people["purchaser"], reason="x")
    services.save_requirement_change(ticket, onsite.people["manager"], estimate_person_days=50)
    with pytest.raises(ValidationError):
        services.dispute_change(ticket, onsite.people["purchaser"], reason=" ")
    change = services.dispute_change(ticket, onsite.people["purchaser"],
                                     reason="工作量评估偏高，应纳入合同")
    assert change.disputed
    for who in ("purchaser", "manager", "engineer"):
        with pytest.raises(PermissionDenied):
            services.decide_change(ticket, onsite.people[who], decision="included", note="x")
    with pytest.raises(ValidationError):
        services.decide_change(ticket, onsite.people["supervisor"], decision="included")
    with pytest.raises(ValidationError):
        services.decide_change(ticket, onsite.people["supervisor"], decision="pending",
                               note="x")
    change = services.decide_change(ticket, onsite.people["supervisor"], decision="extra",
                                    note="超过2个人月，另行计费")
    assert change.decision == ChangeDecision.EXTRA
    assert change.decided_by == onsite.people["supervisor"]
    with pytest.raises(TicketConflict):
        services.decide_change(ticket, onsite.people["supervisor"], decision="included",
                               note="x")
    with pytest.raises(TicketConflict):
        services.save_requirement_change(ticket, onsite.people["manager"],
                                         estimate_person_days=10)
    with pytest.raises(TicketConflict):
        services.dispute_change(ticket, onsite.people["manager"], reason="x")


def test_tkt08_budget_consumption_counts_included_changes(onsite: Setup):
    budget = ChangeBudget.objects.create(contract=onsite.contract, code="b1", name="年度变更",
                                         person_months=Decimal("3"))
    estimates = [(10, "included"), (5, "included"), (7, None), (20, "rejected")]
    for days, decision in estimates:
        ticket = onsite.report("2025-10-10 10:00", code="requirement_change")
        services.save_requirement_change(ticket, onsite.people["manager"],
                                         estimate_person_days=days, budget="b1")
        if decision:
            services.decide_change(ticket, onsite.people["supervisor"], decision=decision)
    [use] = services.budget_consumption(onsite.contract)
    assert use.budget == budget
    assert (use.budget_days, use.used_days, use.pending_days, use.left_days) == (
        Decimal("66.0"), Decimal("15.0"), Decimal("7.0"), Decimal("51.0"))


# --- TKT-09 ---------------------------------------------------------------------------------

def _article(setup: Setup, **extra: object) -> Article:
    data = {"title": "读卡机故障处理", "problem": "网点读卡机无法读卡", "cause": "磁头积灰",
            "solution": "清洁磁头", "tags": ["读卡机", "硬件"], **extra}
    return services.save_article(setup.contract, services.ArticleInput(**data),  # type: ignore[arg-type]
                                 setup.people["engineer"])


def test_tkt09_search_text_is_kept_filled(ca: Setup):
    article = _article(ca, tags="#读卡机, 硬件 硬件")
    assert article.tags == ["读卡机", "硬件"]
    assert "磁头积灰" in article.search_text and "#读卡机" in article.search_text
    article = services.save_article(ca.contract, services.ArticleInput(
        title="OA Login", problem="OA 登录失败", solution="重置密码"), ca.people["engineer"],
        article=article)
    assert article.search_text.startswith("oa login") and "磁头" not in article.search_text


def test_tkt09_search_needs_every_term_as_substring(ca: Setup):
    reader = _article(ca)
    oa = _article(ca, title="OA 登录失败", problem="无法登录", cause="", solution="重置密码",
                  tags=["OA"])

    def search(q: str) -> set[int]:
        return {a.pk for a in ArticleFilterSet({"q": q}, Article.objects.all()).qs}

    assert search("卡机") == {reader.pk}
    assert search("卡机 积灰") == {reader.pk}
    assert search("卡机 密码") == set()
    assert search("oa") == {oa.pk}
    assert {a.pk for a in ArticleFilterSet({"tag": "硬件"}, Article.objects.all()).qs} == {
        reader.pk}


def test_tkt09_articles_need_title_problem_solution_and_a_vendor_role(ca: Setup):
    with pytest.raises(ValidationError) as caught:
        _article(ca, title=" ", problem="", solution="")
    assert set(caught.value.message_dict) == {"title", "problem", "solution"}
    with pytest.raises(PermissionDenied):
        services.save_article(ca.contract, services.ArticleInput(
            title="t", problem="p", solution="s"), ca.people["purchaser"])
    with pytest.raises(PermissionDenied):
        services.save_article(ca.contract, services.ArticleInput(
            title="t", problem="p", solution="s"), ca.people["outsider"])


@pytest.mark.pdf
def test_tkt09_article_from_a_fault_report_in_one_click(ca: Setup):
    ticket = restored(ca)
    with pytest.raises(ValidationError):
        services.article_from_report(ticket, ca.people["engineer"])
    ticket = submitted(ca)
    article = services.article_from_report(ticket, ca.people["engineer"])
    assert article.cause == "读卡机磁头积灰"
    assert "清洁磁头并更换读卡模块" in article.solution and "每月清洁一次" in article.solution
    assert article.source_ticket == ticket and list(article.tickets.all()) == [ticket]
    assert "积灰" in article.search_text


def test_tkt09_link_only_within_the_contract(ca: Setup, outlets: Setup):
    article = _article(ca)
    ticket = restored(ca)
    services.link_article(article, ticket, ca.people["engineer"])
    assert list(ticket.articles.all()) == [article]
    services.unlink_article(article, ticket, ca.people["engineer"])
    assert not ticket.articles.exists()
    other = outlets.report("2025-10-10 10:00")
    with pytest.raises((ValidationError, PermissionDenied)):
        services.link_article(article, other, ca.people["engineer"])
    with pytest.raises(PermissionDenied):
        services.link_article(article, ticket, ca.people["purchaser"])


def test_tkt09_only_the_manager_deletes(ca: Setup):
    article = _article(ca)
    with pytest.raises(PermissionDenied):
        services.delete_article(article, ca.people["engineer"])
    services.delete_article(article, ca.people["manager"])
    assert not Article.objects.exists()
