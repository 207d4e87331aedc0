"""The small forms of the ticket page, each posting to one service (TKT-03..05, SLA-09).

A form error or a rule broken (``ValidationError``) shows the page again with the errors at
the form; a conflict (stale version, step no longer allowed, someone else took the ticket)
shows the fresh ticket with a clear message. Never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from weibao.core.models import User
from weibao.tickets import services
from weibao.tickets.forms import (
    AssignForm,
    AttachmentForm,
    ClaimForm,
    LevelForm,
    PauseForm,
    PriorityForm,
    ProgressForm,
    ResumeForm,
    StepForm,
    VendorForm,
)
from weibao.tickets.models import Ticket, TicketEvent
from weibao.tickets.services.attachments import add_attachment
from weibao.tickets.views.common import WORK_PAGES, TicketMixin, actor, work_url
from weibao.tickets.views.tickets import _level_choices, _pause_states, detail_context
from weibao.tickets.workflow import ACTIONS
from weibao.utils.views import add_service_errors, render_page

__all__ = ["TicketActionView"]

Handler = Callable[[Ticket, dict[str, Any], User, Any], str]


def _step(code: str) -> Handler:
    def run(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
        services.transition(ticket, code, user, at=data.get("at"),
                            comment=data.get("comment", ""), expected_version=data["version"],
                            location=data.get("location", ""))
        return _("%(action)s: done.") % {"action": ACTIONS[code].label}
    return run


def _pause(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.pause(ticket, data["state"], data["reason"], user, at=data.get("at"),
                   expected_version=data["version"])
    return _("The clocks are paused.")


def _resume(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.resume(ticket, user, at=data.get("at"), expected_version=data["version"])
    return _("The clocks run again.")


def _assign(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.assign(ticket, data.get("assignee"), user, comment=data.get("comment", ""),
                    expected_version=data["version"])
    return _("Assignment saved.")


def _accept(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.accept(ticket, user, expected_version=data["version"])
    return _("You have taken this ticket.")


def _priority(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.raise_priority(ticket, user, data["reason"], expected_version=data["version"])
    return _("Priority raised.")


def _level(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.override_level(ticket, user, data.get("level") or "", data["reason"],
                            expected_version=data["version"])
    return _("Fault level saved.")


def _vendor(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.add_vendor(ticket, user, name=data["name"], role=data.get("role", ""))
    return _("Vendor recorded.")


def _attachment(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    add_attachment(ticket, data["file"], user)
    return _("File attached.")


def _progress(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
    services.progress_update(ticket, user, data["comment"], at=data.get("at"),
                             expected_version=data["version"])
    return _("Progress recorded.")


def _decide(confirm: bool) -> Handler:
    def run(ticket: Ticket, data: dict[str, Any], user: User, files: Any) -> str:
        event = TicketEvent.objects.filter(ticket=ticket, pk=data["event"]).first()
        if event is None:
            raise Http404
        services.decide_claim(event, confirm, user, comment=data.get("comment", ""),
                              expected_version=data["version"])
        return _("Claimed time confirmed.") if confirm else _("Claimed time rejected.")
    return run


def _form(kind: str, ticket: Ticket, request: HttpRequest) -> BaseForm:
    post, files = request.POST, request.FILES
    if kind in ACTIONS:
        return StepForm(post, action=kind, prefix=kind)
    if kind == "pause":
        return PauseForm(post, states=_pause_states(ticket), prefix=kind)
    if kind == "resume":
        return ResumeForm(post, prefix=kind)
    if kind == "assign":
        return AssignForm(post, contract=ticket.contract, prefix=kind)
    if kind == "accept":
        return ResumeForm(post, prefix=kind)
    if kind == "priority":
        return PriorityForm(post, prefix=kind)
    if kind == "level":
        return LevelForm(post, levels=_level_choices(ticket), prefix=kind)
    if kind == "vendor":
        return VendorForm(post, prefix=kind)
    if kind == "progress":
        return ProgressForm(post, prefix=kind)
    if kind in ("confirm_time", "reject_time"):
        return ClaimForm(post, prefix=kind)
    return AttachmentForm(post, files, prefix=kind)


_HANDLERS: dict[str, Handler] = {
    "pause": _pause, "resume": _resume, "assign": _assign, "accept": _accept,
    "priority": _priority, "level": _level, "vendor": _vendor, "attachment": _attachment,
    "progress": _progress, "confirm_time": _decide(True), "reject_time": _decide(False),
    **{code: _step(code) for code in ACTIONS},
}


class TicketActionView(TicketMixin, View):
    """``POST /tickets/<pk>/do/<kind>/``: one step or change of the ticket."""

    permission_required = "tickets.view_ticket"

    def _back(self, request: HttpRequest) -> str:
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return target
        return reverse("tickets:detail", args=[self.ticket.pk])

    def post(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise Http404
        page = work_url(WORK_PAGES[kind], self.ticket) if kind in WORK_PAGES else ""
        if page:
            # The fault report is written and reviewed on its own page (TKT-06).
            return HttpResponseRedirect(page)
        form = _form(kind, self.ticket, request)
        if form.is_valid():
            try:
                message = handler(self.ticket, form.cleaned_data, actor(request), request.FILES)
            except services.TicketConflict as exc:
                # Stale page, step no longer allowed, taken by someone else: show the fresh
                # ticket with the reason rather than overwrite anything.
                messages.error(request, exc.messages[0])
                return HttpResponseRedirect(reverse("tickets:detail", args=[self.ticket.pk]))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self._back(request))
        messages.error(request, _("Nothing was changed; see the form below."))
        context = detail_context(request, self.ticket, bound={kind: form})
        context["open_form"] = kind
        return render_page(request, "tickets/ticket_detail.html", context, status=400)
