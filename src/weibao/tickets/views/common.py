"""What the ticket pages share: loading a ticket within the user's scope (PLT-01), and which
actions a user is offered on a ticket (TKT-04: exactly the allowed ones they may do)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from weibao.core.choices import Role
from weibao.core.models import User
from weibao.tickets.choices import TicketState
from weibao.tickets.models import Ticket
from weibao.tickets.workflow import ACTIONS, DONE_STATES, allowed_for, permitted
from weibao.utils.views import PermissionMixin

__all__ = ["WORK_PAGES", "OfferedAction", "TicketMixin", "actor", "offered_actions",
           "work_url"]

# Steps the work pages own when they exist: the fault report is written and reviewed there.
WORK_PAGES = {"submit_report": "tickets:report-edit", "verify": "tickets:report-review",
               "reject_report": "tickets:report-review"}


def actor(request: HttpRequest) -> User:
    """The logged-in user (every ticket view requires a login first)."""
    return cast(User, request.user)


def work_url(name: str, ticket: Ticket) -> str:
    """The URL of a work page (another part of the app) or "" while it does not exist."""
    try:
        return reverse(name, args=[ticket.pk])
    except NoReverseMatch:
        return ""


@dataclass
class OfferedAction:
    code: str
    label: str
    url: str = ""  # a page to go to instead of the small step form


def offered_actions(ticket: Ticket, user: User) -> list[OfferedAction]:
    """The lifecycle steps allowed from the ticket's state that this user's role may do."""
    offered = []
    for code in allowed_for(ticket):
        spec = ACTIONS[code]
        if not permitted(spec, ticket.state, user):
            continue
        if code == "close" and ticket.state == TicketState.RESTORED \
                and ticket.ticket_type.fault_report_required:
            continue  # TKT-06: closes only after the report is verified
        url = work_url(WORK_PAGES[code], ticket) if code in WORK_PAGES else ""
        offered.append(OfferedAction(code, str(spec.label), url))
    return offered


def can_pause(ticket: Ticket, user: User) -> bool:
    return (user.has_perm("tickets.work_ticket") and not ticket.paused_state
            and ticket.state not in DONE_STATES)


def can_report_progress(ticket: Ticket, user: User) -> bool:
    """处理期间通报进展: the vendor's engineers, while the ticket is open and not restored."""
    return (user.has_perm("tickets.work_ticket") and ticket.state not in DONE_STATES
            and user.role in (Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER))


def can_accept(ticket: Ticket, user: User) -> bool:
    return (user.has_perm("tickets.work_ticket") and ticket.assignee_id is None
            and user.role in (Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER)
            and ticket.state != TicketState.CLOSED)


class TicketMixin(PermissionMixin):
    """Load ``self.ticket`` within the user's tickets: any other answers 404 (PLT-01; site
    staff only their own sites' tickets)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.ticket = get_object_or_404(
                Ticket.objects.visible_to(request.user).select_related(
                    "contract", "ticket_type", "site", "assignee", "reporter"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
