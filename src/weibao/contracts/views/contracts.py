"""Contract list, detail (with tabs), create and edit pages."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.contracts.filtersets import ContractFilterSet
from weibao.contracts.forms import ContractCreateForm, ContractEditForm
from weibao.contracts.models import Contract, Invoice
from weibao.contracts.selectors import (
    contract_events,
    final_price,
    milestone_schedule,
    visible_contracts,
)
from weibao.contracts.services import ContractInput, create_contract, update_contract
from weibao.contracts.tables import ContractTable
from weibao.utils.views import (
    ContractScopedMixin,
    PermissionMixin,
    add_service_errors,
    render_page,
)

__all__ = ["ContractCreateView", "ContractDetailView", "ContractEditView", "ContractListView"]

TABS = [
    ("overview", _("Overview"), "contracts.view_contract"),
    ("payments", _("Payments"), "contracts.view_paymentmilestone"),
    ("documents", _("Documents"), "contracts.view_contractdocument"),
    ("amendments", _("Amendments"), "contracts.view_amendment"),
    ("history", _("History"), "contracts.view_contract"),
]


class ContractListView(PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "contracts.view_contract"
    filterset_class = ContractFilterSet
    table_class = ContractTable
    paginate_by = 25
    template_name = "contracts/contract_list.html"

    def get_queryset(self) -> QuerySet[Contract]:
        return visible_contracts(self.request.user).prefetch_related("parties__organisation")

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]


class ContractDetailView(ContractScopedMixin, View):
    permission_required = "contracts.view_contract"

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        user = request.user
        tabs = [(key, label) for key, label, perm in TABS if user.has_perm(perm)]
        tab = request.GET.get("tab", "overview")
        if tab not in {key for key, _label in tabs}:
            tab = "overview"
        contract = self.contract
        context: dict[str, Any] = {"contract": contract, "tabs": tabs, "tab": tab,
                                   "today": timezone.localdate(),
                                   "progress": contract.period_progress(timezone.localdate())}
        if tab == "overview":
            context["parties"] = contract.parties.select_related("organisation").prefetch_related(
                "contacts")
            context["renewals"] = visible_contracts(user).filter(previous=contract)
        elif tab == "payments":
            # One read of the events serves the schedule and the final price.
            events = contract_events(contract)
            context["schedule"] = milestone_schedule(contract, events)
            context["events"] = contract.events.select_related("entered_by").order_by(
                "occurred_on", "id")
            context["final_price"] = final_price(contract, events)
            context["factor_bands"] = contract.factor_bands.order_by("sequence")
            context["bonds"] = contract.bonds.all()
            context["invoices"] = Invoice.objects.filter(
                milestone__contract=contract).select_related("milestone", "payment")
        elif tab == "documents":
            context["documents"] = contract.documents.select_related("uploaded_by")
        elif tab == "amendments":
            context["amendments"] = contract.amendments.select_related("document")
        elif tab == "history":
            context["entries"] = contract_history(contract, user)
        return render_page(request, "contracts/contract_detail.html", context,
                           partial=f"contracts/tabs/{tab}.html")


def contract_history(contract: Contract, user: Any, limit: int = 200) -> QuerySet[LogEntry]:
    """PLT-03: every change to the contract and its parts, newest first — limited to the kinds
    of record the user may see (an engineer sees no payment history, PLT-01)."""
    models = [m._meta.model_name for m in apps.get_app_config("contracts").get_models()
              if user.has_perm(f"contracts.view_{m._meta.model_name}")]
    return (
        LogEntry.objects.filter(additional_data__contract_id=contract.pk,
                                content_type__app_label="contracts",
                                content_type__model__in=models)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )


class ContractCreateView(PermissionMixin, View):
    permission_required = "contracts.add_contract"

    def _form(self, data: Any = None) -> ContractCreateForm:
        return ContractCreateForm(data, previous_queryset=visible_contracts(self.request.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_page(request, "contracts/contract_form.html",
                           {"form": self._form(), "title": _("New contract")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contract = create_contract(
                    ContractInput(**{k: v for k, v in data.items() if v is not None or k in {
                        "supervisor", "previous", "signed_on"}}),
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Contract %(number)s created.")
                                 % {"number": contract.number})
                return HttpResponseRedirect(reverse("contracts:detail", args=[contract.pk]))
        return render_page(request, "contracts/contract_form.html",
                           {"form": form, "title": _("New contract")}, status=400)


class ContractEditView(ContractScopedMixin, View):
    permission_required = "contracts.change_contract"

    def _form(self, data: Any = None) -> ContractEditForm:
        previous = visible_contracts(self.request.user).exclude(pk=self.contract.pk)
        return ContractEditForm(data, instance=self.contract, previous_queryset=previous)

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        return render_page(request, "contracts/contract_form.html",
                           {"form": self._form(), "contract": self.contract,
                            "title": self.contract.number})

    def post(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        if not request.user.has_perm("contracts.change_contract", self.contract):
            raise PermissionDenied
        form = self._form(request.POST)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                update_contract(self.contract, changes, actor=request.user)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("contracts:detail", args=[self.contract.pk]))
        return render_page(request, "contracts/contract_form.html",
                           {"form": form, "contract": self.contract,
                            "title": self.contract.number}, status=400)
