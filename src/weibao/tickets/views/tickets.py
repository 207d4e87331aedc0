"""The ticket list (filters, SLA badges, Excel export) and the ticket page (SLA stage bars,
timeline, pauses, vendors, attachments and the action forms) — TKT-01..05, SLA-09/10."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.imports.exports import ExcelExportMixin
from weibao.sla.selectors import cached_contract_policy
from weibao.tickets.filtersets import TicketFilterSet
from weibao.tickets.forms import (
    AssignForm,
    AttachmentForm,
    LevelForm,
    PauseForm,
    PriorityForm,
    ProgressForm,
    ResumeForm,
    StepForm,
    VendorForm,
    local_now,
)
from weibao.tickets.models import SlaAlert, Ticket, TicketEvent, TicketStage
from weibao.tickets.services.tickets import CONFIRM_PERMISSION
from weibao.tickets.tables import TicketTable
from weibao.tickets.views.common import (
    TicketMixin,
    actor,
    can_accept,
    can_pause,
    can_report_progress,
    offered_actions,
)
from weibao.tickets.workflow import ACTIONS, OTHER_EVENTS
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["TicketAttachmentView", "TicketDetailView", "TicketListView", "detail_context"]


class TicketListView(ExcelExportMixin, PermissionMixin, SingleTableMixin, FilterView):
    """工单列表: the filters are the API's; ``?export=xlsx`` gives every filtered row."""

    permission_required = "tickets.view_ticket"
    filterset_class = TicketFilterSet
    table_class = TicketTable
    paginate_by = 50
    template_name = "tickets/ticket_list.html"

    def get_queryset(self) -> QuerySet[Ticket]:
        return (Ticket.objects.visible_to(self.request.user)
                .select_related("contract", "ticket_type", "site", "assignee"))

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not getattr(htmx, "boosted", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def can_assign(self) -> bool:
        return self.request.user.has_perm("tickets.assign_ticket")

    def get_table_kwargs(self) -> dict[str, Any]:
        return {} if self.can_assign() else {"exclude": ("pick",)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("tickets.add_ticket")
        if self.can_assign():
            from weibao.tickets.views.bulk import assignable_engineers

            context["engineers"] = assignable_engineers(self.request.user)
        return context


def _level_choices(ticket: Ticket) -> list[tuple[str, str]]:
    policy = cached_contract_policy(ticket.contract)
    return [(lv.code, f"{lv.code} {lv.name}") for lv in policy.levels] if policy else []


def _pause_states(ticket: Ticket) -> tuple[str, ...]:
    policy = cached_contract_policy(ticket.contract)
    return policy.pause_states if policy else ()


def detail_context(request: HttpRequest, ticket: Ticket,
                   bound: dict[str, BaseForm] | None = None) -> dict[str, Any]:
    """Everything the ticket page shows; ``bound`` replaces a form with the one just posted
    (so its errors show where the user typed)."""
    user = actor(request)
    bound = bound or {}
    initial = {"version": ticket.version, "at": local_now()}
    actions = offered_actions(ticket, user)
    step_forms = []
    for offered in actions:
        form = bound.get(offered.code) or StepForm(initial=initial, action=offered.code,
                                                   prefix=offered.code)
        step_forms.append((offered, form))
    forms: dict[str, BaseForm | None] = {
        "pause": None, "resume": None, "assign": None, "priority": None, "level": None,
        "vendor": None, "attachment": None, "progress": None}
    version = {"version": ticket.version}
    if can_pause(ticket, user) and _pause_states(ticket):
        forms["pause"] = bound.get("pause") or PauseForm(
            initial=initial, states=_pause_states(ticket), prefix="pause")
    if ticket.paused_state and user.has_perm("tickets.work_ticket"):
        forms["resume"] = bound.get("resume") or ResumeForm(initial=initial, prefix="resume")
    if user.has_perm("tickets.assign_ticket") and ticket.state != "closed":
        forms["assign"] = bound.get("assign") or AssignForm(
            initial={**version, "assignee": ticket.assignee_id}, contract=ticket.contract,
            prefix="assign")
    if user.has_perm("tickets.prioritise_ticket"):
        if ticket.priority != "high":
            forms["priority"] = bound.get("priority") or PriorityForm(initial=version,
                                                                      prefix="priority")
        forms["level"] = bound.get("level") or LevelForm(
            initial={**version, "level": ticket.fault_level_override},
            levels=_level_choices(ticket), prefix="level")
    if user.has_perm("tickets.work_ticket"):
        forms["vendor"] = bound.get("vendor") or VendorForm(prefix="vendor")
    if can_report_progress(ticket, user):
        forms["progress"] = bound.get("progress") or ProgressForm(initial=initial,
                                                                  prefix="progress")
    if user.has_perm("tickets.add_ticketattachment"):
        forms["attachment"] = bound.get("attachment") or AttachmentForm(prefix="attachment")
    stages = list(TicketStage.objects.filter(ticket=ticket).order_by("order"))
    events = list(TicketEvent.objects.filter(ticket=ticket)
                  .select_related("actor", "claim_decided_by").order_by("occurred_at", "pk"))
    for event in events:
        spec = ACTIONS.get(event.action)
        event.label = (str(spec.label) if spec  # type: ignore[attr-defined]
                       else str(OTHER_EVENTS.get(event.action, event.action)))
    return {
        "ticket": ticket, "stages": stages, "events": events,
        "reporter_phone": ticket.reporter_phone_for(user),
        "pauses": list(ticket.pauses.select_related("started_by", "ended_by")),
        "vendors": list(ticket.vendors.select_related("organisation")),
        "attachments": list(ticket.attachments.select_related("uploaded_by")),
        "assets": list(ticket.assets.all()),
        "step_forms": step_forms, "forms": forms,
        "can_accept": can_accept(ticket, user),
        "can_confirm": user.has_perm(CONFIRM_PERMISSION),
        # SLA-10: the warnings and breaches recorded for this ticket.
        "alerts": (list(SlaAlert.objects.filter(ticket=ticket).order_by("at", "pk"))
                   if user.has_perm("tickets.view_slaalert") else None),
        "has_actions": bool(step_forms) or any(forms.values()) or can_accept(ticket, user),
    }


class TicketDetailView(TicketMixin, View):
    permission_required = "tickets.view_ticket"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "tickets/ticket_detail.html",
                           detail_context(request, self.ticket))


class TicketAttachmentView(TicketMixin, View):
    """Download an attachment of a ticket the user may see (never by a guessable URL)."""

    permission_required = "tickets.view_ticket"

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
        attachment = get_object_or_404(self.ticket.attachments, pk=attachment_pk)
        if not attachment.file:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.name)

