"""Bulk dispatch from the ticket list (issue 16): the vendor manager ticks tickets and assigns
them to one engineer. Each ticket goes through ``services.assign`` on its own, so the same
rules and audit apply as on the ticket page; a ticket that refuses is named, not fatal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.core.choices import Role
from weibao.core.models import User
from weibao.tickets.models import Ticket
from weibao.tickets.services import assign
from weibao.utils.views import PermissionMixin

__all__ = ["BULK_LIMIT", "TicketBulkAssignView", "assignable_engineers"]

BULK_LIMIT = 200


def assignable_engineers(user: User) -> QuerySet[User]:
    """The people of the user's own organisation a ticket may be assigned to."""
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True,
                               role__in=[Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER]
                               ).order_by("username")


class TicketBulkAssignView(PermissionMixin, View):
    permission_required = "tickets.assign_ticket"

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)
        ids = [int(v) for v in request.POST.getlist("ticket") if v.isdigit()][:BULK_LIMIT]
        engineer = None
        if request.POST.get("assignee", "").isdigit():
            engineer = assignable_engineers(user).filter(pk=request.POST["assignee"]).first()
            if engineer is None:
                raise PermissionDenied
        done, refused = 0, []
        for ticket in Ticket.objects.visible_to(user).filter(pk__in=ids).order_by("number"):
            try:
                assign(ticket, engineer, user, comment=_("Assigned from the ticket list."))
            except (ValidationError, PermissionDenied):
                refused.append(ticket.number)
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)d tickets assigned.") % {"count": done})
        if refused:
            messages.error(request, _("Not assigned: %(numbers)s.")
                           % {"numbers": ", ".join(refused)})
        if not ids:
            messages.warning(request, _("Tick the tickets to assign first."))
        query = request.POST.get("next", "")
        return HttpResponseRedirect(reverse("tickets:list") + (f"?{query}" if query else ""))
