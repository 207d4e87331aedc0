"""``{% ticket_work ticket as work %}``: what the ticket page shows of the work a ticket
produced (TKT-06..09), with what the user may do about it."""

from __future__ import annotations

from typing import Any

from django import template

from weibao.tickets.choices import ChangeDecision, ReportStatus, TicketCategory, TicketState
from weibao.tickets.models import Article, FaultReport, RequirementChange, Satisfaction, Ticket

__all__ = ["ticket_work"]

register = template.Library()


@register.simple_tag(takes_context=True)
def ticket_work(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    from weibao.tickets.services.work.changes import budget_consumption
    from weibao.tickets.services.work.reports import report_movements

    user = context["request"].user
    report = FaultReport.objects.filter(ticket=ticket).first()
    satisfaction = Satisfaction.objects.filter(ticket=ticket).first()
    change = (RequirementChange.objects.filter(ticket=ticket).first()
              if ticket.ticket_type.category == TicketCategory.REQUIREMENT_CHANGE else None)
    restored = ticket.restored_at is not None
    articles = list(Article.objects.filter(tickets=ticket))
    can_link = user.has_perm("tickets.work_ticket")
    linkable = (list(Article.objects.filter(contract_id=ticket.contract_id, published=True)
                     .exclude(pk__in=[a.pk for a in articles]).order_by("title")[:200])
                if can_link else [])
    editable = report is None or report.status in (ReportStatus.DRAFT, ReportStatus.REJECTED)
    budget = None
    if change is not None and change.budget:
        budget = next((u for u in budget_consumption(ticket.contract)
                       if u.budget.code == change.budget), None)
    return {
        "see_report": user.has_perm("tickets.view_faultreport"),
        "see_visits": user.has_perm("tickets.view_returnvisit"),
        "see_change": user.has_perm("tickets.view_requirementchange"),
        "see_articles": user.has_perm("tickets.view_article"),
        "report": report,
        "movements": list(report_movements(ticket)) if report else [],
        "can_write_report": (ticket.state == TicketState.RESTORED and editable
                             and user.has_perm("tickets.change_faultreport")),
        "can_review": (report is not None and report.status == ReportStatus.SUBMITTED
                       and user.has_perm("tickets.verify_ticket")),
        "can_learn": report is not None and bool(report.cause)
        and user.has_perm("tickets.add_article"),
        "satisfaction": satisfaction,
        "can_rate": (restored and satisfaction is None
                     and user.has_perm("tickets.add_satisfaction")
                     and (user.role == "purchaser_staff" or user.is_administrator
                          or ticket.reporter_id == user.pk)),
        "visits": list(ticket.return_visits.select_related("visited_by")),
        "can_visit": restored and user.has_perm("tickets.add_returnvisit"),
        "is_change": ticket.ticket_type.category == TicketCategory.REQUIREMENT_CHANGE,
        "change": change,
        "change_budget": budget,
        "can_estimate": (change is None or change.decision == ChangeDecision.PENDING) and (
            user.has_perm("tickets.change_requirementchange") if change
            else user.has_perm("tickets.add_requirementchange")),
        "can_dispute": (change is not None and change.decision == ChangeDecision.PENDING
                        and not change.disputed
                        and user.has_perm("tickets.add_requirementchange")),
        "can_decide": (change is not None and change.decision == ChangeDecision.PENDING
                       and user.has_perm("tickets.decide_requirementchange")),
        "articles": articles,
        "linkable": linkable,
        "can_link": can_link,
    }
