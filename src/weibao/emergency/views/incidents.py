"""Security incidents (EMG-03): the list, reporting one, and one incident with its phase bar,
the next phase, the disposal plan and the purchaser's approval, and the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.core.models import User
from weibao.emergency.choices import DisposalPlanStatus, IncidentPhase
from weibao.emergency.filtersets import IncidentFilterSet
from weibao.emergency.forms import DecisionForm, IncidentForm, NotesForm, PlanPlanForm, ReportForm
from weibao.emergency.models import SecurityIncident
from weibao.emergency.selectors import visible_incidents
from weibao.emergency.services import incidents as services
from weibao.emergency.tables import IncidentTable
from weibao.emergency.views.common import (
    ContractFormView,
    ScopedObjectMixin,
    actor,
    attempt,
)
from weibao.tickets.models import Ticket
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["IncidentCreateView", "IncidentListView", "IncidentView"]

_PHASES = [IncidentPhase(p) for p in IncidentPhase.values]


class IncidentListView(PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "emergency.view_securityincident"
    filterset_class = IncidentFilterSet
    table_class = IncidentTable
    paginate_by = 50
    template_name = "emergency/incident_list.html"

    def get_queryset(self) -> QuerySet[SecurityIncident]:
        return visible_incidents(self.request.user)

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


class IncidentCreateView(ContractFormView):
    permission_required = "emergency.add_securityincident"
    form_class = IncidentForm
    template_name = "emergency/incident_form.html"
    list_url = "emergency:incidents"

    def create(self, request: HttpRequest, form: IncidentForm, contract: Any,
               contracts: list[Any]) -> HttpResponse:
        data = form.cleaned_data
        ticket = None
        if data["ticket"]:
            ticket = Ticket.objects.filter(contract=contract, number=data["ticket"]).first()
            if ticket is None:
                form.add_error("ticket", _("No ticket of this contract has this number."))
                return self.render_form(request, form, contract, contracts, 400)
        incident, status = attempt(form, lambda: services.report_incident(
            contract, actor(request), title=data["title"], description=data["description"],
            discovered_at=data["discovered_at"], reported_to=data["reported_to"],
            system=data["system"], ticket=ticket))
        if incident is None:
            return self.render_form(request, form, contract, contracts, status)
        return HttpResponseRedirect(reverse("emergency:incident", args=[incident.pk]))


class IncidentView(ScopedObjectMixin, View):
    permission_required = "emergency.view_securityincident"
    object: SecurityIncident

    def scoped(self, user: User) -> QuerySet[SecurityIncident]:
        return visible_incidents(user)

    def _render(self, request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
        incident, user = self.object, actor(request)
        initial = {"version": incident.version}
        works = user.has_perm("emergency.work_securityincident", incident.contract)
        decides = user.has_perm("emergency.approve_disposal_plan", incident.contract)
        phase = IncidentPhase(incident.phase)
        following = services.NEXT_PHASE.get(phase)
        index = _PHASES.index(phase)
        context = {
            "incident": incident, "next_phase": IncidentPhase(following) if following else None,
            "bar": [{"phase": p, "done": i < index, "current": i == index}
                    for i, p in enumerate(_PHASES)],
            "notes": [(IncidentPhase(p).label, getattr(incident, field))
                      for p, field in services.NOTES.items() if getattr(incident, field)],
            "notes_form": forms.get("notes_form") or (
                NotesForm(initial=initial) if works and following else None),
            "plan_form": forms.get("plan_form") or (
                PlanPlanForm(initial={**initial, "disposal_plan": incident.disposal_plan})
                if works and phase in (IncidentPhase.PREPARATION, IncidentPhase.ASSESSMENT,
                                       IncidentPhase.CONTAINMENT)
                and incident.plan_status != DisposalPlanStatus.APPROVED else None),
            "decision_form": forms.get("decision_form") or (
                DecisionForm(initial=initial)
                if decides and incident.plan_status == DisposalPlanStatus.SUBMITTED else None),
            "report_form": forms.get("report_form") or (
                ReportForm(initial={**initial, "summary": incident.summary})
                if works and phase == IncidentPhase.SUMMARY else None),
        }
        return render_page(request, "emergency/incident.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident, user, do = self.object, actor(request), request.POST.get("do", "")
        form: Any
        if do == "advance":
            form, key = NotesForm(request.POST), "notes_form"
            target = services.NEXT_PHASE.get(incident.phase, "")

            def call() -> Any:
                return services.advance_phase(incident, user, target,
                                              notes=form.cleaned_data["notes"],
                                              expected_version=form.cleaned_data["version"])
        elif do == "plan":
            form, key = PlanPlanForm(request.POST), "plan_form"

            def call() -> Any:
                return services.submit_disposal_plan(
                    incident, user, form.cleaned_data["disposal_plan"],
                    expected_version=form.cleaned_data["version"])
        elif do in ("approve", "reject"):
            form, key = DecisionForm(request.POST), "decision_form"

            def call() -> Any:
                return services.decide_disposal_plan(
                    incident, user, approve=do == "approve", reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"])
        else:
            form, key = ReportForm(request.POST, request.FILES), "report_form"

            def call() -> Any:
                return services.file_report(incident, user,
                                            summary=form.cleaned_data["summary"],
                                            report=form.cleaned_data.get("report"),
                                            expected_version=form.cleaned_data["version"])
        if not form.is_valid():
            return self._render(request, 400, **{key: form})
        done, status = attempt(form, call)
        if done is None:
            return self._render(request, status, **{key: form})
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("emergency:incident", args=[incident.pk]))
