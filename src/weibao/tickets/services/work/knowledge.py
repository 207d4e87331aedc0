"""知识库 (TKT-09): articles per contract (problem, cause, solution, tags), written by hand or
from a fault report in one click, and linked to tickets. ``search_text`` is kept filled here:
the list's search is a substring match on it, so Chinese terms need no word splitting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.tickets.models import Article, FaultReport, Ticket

if TYPE_CHECKING:
    from weibao.contracts.models import Contract
    from weibao.core.models import User

__all__ = ["ArticleInput", "article_from_report", "delete_article", "link_article",
           "save_article", "search_text_for", "unlink_article"]


@dataclass
class ArticleInput:
    title: str
    problem: str
    solution: str
    cause: str = ""
    tags: list[str] | str = field(default_factory=list)  # a list, or text "a b, c"
    published: bool = True


def clean_tags(tags: list[str] | str) -> list[str]:
    """Tags from a list or a comma/space separated text, trimmed, without '#', de-duplicated."""
    if isinstance(tags, str):
        tags = tags.replace("，", ",").replace(",", " ").split()
    out: list[str] = []
    for tag in tags:
        tag = str(tag).strip().lstrip("#").strip()
        if tag and tag not in out:
            out.append(tag[:40])
    return out


def search_text_for(article: Article) -> str:
    """Lower-case title, problem, cause, solution and ``#tag`` words in one text."""
    parts = [article.title, article.problem, article.cause, article.solution,
             " ".join(f"#{t}" for t in article.tags)]
    return "\n".join(p for p in parts if p).lower()


def _validate(data: ArticleInput) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the article a title.")
    if not data.problem.strip():
        errors["problem"] = _("Describe the problem.")
    if not data.solution.strip():
        errors["solution"] = _("Describe the solution.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_article(contract: Contract, data: ArticleInput, actor: User, *,
                 article: Article | None = None,
                 source_ticket: Ticket | None = None) -> Article:
    """Create or edit an article of ``contract`` (TKT-09)."""
    perm = "tickets.change_article" if article else "tickets.add_article"
    if not actor.has_perm(perm, contract):
        raise PermissionDenied(_("Your role may not do this."))
    if article is not None:
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.contract_id != contract.pk:
            raise ValidationError({"contract": _("An article stays with its contract.")})
    _validate(data)
    if source_ticket is not None and source_ticket.contract_id != contract.pk:
        raise ValidationError({"ticket": _("This ticket belongs to another contract.")})
    article = article or Article(contract=contract, created_by=actor,
                                 source_ticket=source_ticket)
    article.title, article.problem = data.title.strip()[:200], data.problem.strip()
    article.cause, article.solution = data.cause.strip(), data.solution.strip()
    article.tags, article.published = clean_tags(data.tags), data.published
    article.search_text = search_text_for(article)
    article.save()
    if source_ticket is not None:
        article.tickets.add(source_ticket)
    return article


def article_from_report(ticket: Ticket, actor: User) -> Article:
    """One click: an article prefilled from the ticket's fault report (cause, actions,
    prevention), linked to the ticket (TKT-09)."""
    report = FaultReport.objects.filter(ticket=ticket).first()
    if report is None or not report.cause:
        raise ValidationError({"ticket": _("This ticket has no fault report to learn from.")})
    solution = report.actions
    if report.prevention:
        solution = f"{solution}\n\n{_('Prevention')}: {report.prevention}"
    return save_article(ticket.contract, ArticleInput(
        title=ticket.title, problem=ticket.description or ticket.title, cause=report.cause,
        solution=solution, tags=[ticket.ticket_type.name]), actor, source_ticket=ticket)


def _same_contract(article: Article, ticket: Ticket) -> None:
    if article.contract_id != ticket.contract_id:
        raise ValidationError({"ticket": _("The article and the ticket belong to different "
                                           "contracts.")})


@transaction.atomic
def link_article(article: Article, ticket: Ticket, actor: User) -> None:
    """Note that ``article`` helped with ``ticket`` (TKT-09)."""
    if not actor.has_perm("tickets.work_ticket", ticket):
        raise PermissionDenied(_("Your role may not do this."))
    _same_contract(article, ticket)
    article.tickets.add(ticket)


@transaction.atomic
def unlink_article(article: Article, ticket: Ticket, actor: User) -> None:
    if not actor.has_perm("tickets.work_ticket", ticket):
        raise PermissionDenied(_("Your role may not do this."))
    article.tickets.remove(ticket)


@transaction.atomic
def delete_article(article: Article, actor: User) -> None:
    if not actor.has_perm("tickets.delete_article", article):
        raise PermissionDenied(_("Your role may not do this."))
    article.delete()
