"""The engineer's phone page (my open tickets, due first) and the duty board (what falls due
in the next hours, refreshed every minute) — TKT-04, SLA-10."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View

from weibao.sla.choices import StageStatus
from weibao.tickets.choices import TicketState
from weibao.tickets.forms import local_now
from weibao.tickets.models import Ticket
from weibao.tickets.views.common import actor, offered_actions
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["BOARD_HOURS", "MINE_ACTIONS", "TicketBoardView", "TicketMineView"]

# The steps an engineer does from the phone page; the others are on the ticket page.
MINE_ACTIONS = ("acknowledge", "start_remote", "request_onsite", "depart", "arrive", "restore")
BOARD_HOURS = (1, 2, 4, 8, 24)


def _open(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return queryset.exclude(state=TicketState.CLOSED)


def _due_first(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Due (or overdue) first; tickets with no running clock last."""
    return queryset.order_by(F("next_due_at").asc(nulls_last=True), "reported_at")


class TicketMineView(PermissionMixin, View):
    """我的工单: the engineer's open tickets, overdue and soonest due on top, each with its
    next steps as big buttons; below, the unassigned ones they may take."""

    permission_required = "tickets.work_ticket"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = actor(request)
        visible = (Ticket.objects.visible_to(user)
                   .select_related("contract", "ticket_type", "site"))
        mine = list(_due_first(_open(visible.filter(assignee=user))))
        unassigned = list(_due_first(_open(visible.filter(assignee__isnull=True)))[:20])
        now = timezone.now()
        cards = []
        for ticket in mine:
            actions = [a for a in offered_actions(ticket, user) if a.code in MINE_ACTIONS]
            overdue = bool(ticket.next_due_at and ticket.next_due_at < now)
            cards.append({"ticket": ticket, "actions": actions, "overdue": overdue})
        return render_page(request, "tickets/mine.html", {
            "cards": cards, "unassigned": unassigned, "now_value": local_now()})


def _hours(value: Any) -> int:
    try:
        hours = int(value)
    except (TypeError, ValueError):
        return 4
    return hours if hours in BOARD_HOURS else 4


class TicketBoardView(PermissionMixin, View):
    """值班看板: open tickets of the user's contracts due within N hours (default 4), grouped
    overdue / warning / due soon; the page refreshes itself every 60 s."""

    permission_required = "tickets.view_ticket"

    def get(self, request: HttpRequest) -> HttpResponse:
        hours = _hours(request.GET.get("hours"))
        now = timezone.now()
        horizon = now + datetime.timedelta(hours=hours)
        tickets = list(_due_first(_open(
            Ticket.objects.visible_to(request.user)
            .filter(next_due_at__isnull=False, next_due_at__lte=horizon))
            .select_related("contract", "site", "assignee", "ticket_type")))
        groups: dict[str, list[Ticket]] = {"overdue": [], "warning": [], "soon": []}
        for ticket in tickets:
            if ticket.sla_status == StageStatus.BREACHED or (
                    ticket.next_due_at is not None and ticket.next_due_at < now):
                groups["overdue"].append(ticket)
            elif ticket.sla_status == StageStatus.WARNING:
                groups["warning"].append(ticket)
            else:
                groups["soon"].append(ticket)
        return render_page(request, "tickets/board.html", {
            "groups": groups, "hours": hours, "hour_choices": BOARD_HOURS, "now": now,
            "total": len(tickets)}, partial="tickets/partials/board.html")
