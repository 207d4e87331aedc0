"""Per-contract pages: compliance (the main page), stock, budget caps, standby loans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from weibao.contracts.selectors import visible_contracts
from weibao.spares import selectors, services
from weibao.spares.choices import ComplianceStatus
from weibao.spares.forms import FORM_KINDS, ReturnStandbyForm, StandbyLoanForm
from weibao.spares.models import PartType, StandbyLoan
from weibao.utils.views import ContractScopedMixin, PermissionMixin, add_service_errors

__all__ = ["BudgetView", "ComplianceView", "SparesIndexView", "StandbyView", "StockView"]

VIEW_PERMISSION = "spares.view_stockmovement"
RECORD_PERMISSION = "spares.add_stockmovement"


class SparesIndexView(PermissionMixin, TemplateView):
    """The user's contracts with spare parts; a single one opens directly."""

    permission_required = VIEW_PERMISSION
    template_name = "spares/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contracts = list(visible_contracts(request.user).filter(
            pk__in=PartType.objects.values("contract_id")).order_by("number"))
        if len(contracts) == 1:
            return redirect("spares:compliance", contracts[0].pk)
        return self.render_to_response(self.get_context_data(contracts=contracts))


class _ContractPage(ContractScopedMixin, TemplateView):
    permission_required = VIEW_PERMISSION
    tab = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["tabs"] = [
            ("compliance", _("Compliance"), reverse("spares:compliance", args=[self.contract.pk])),
            ("stock", _("Stock on hand"), reverse("spares:stock", args=[self.contract.pk])),
            ("ledger", _("Ledger"), reverse("spares:movements") + f"?contract={self.contract.pk}"),
            ("budget", _("Budget caps"), reverse("spares:budget", args=[self.contract.pk])),
            ("standby", _("Standby units"), reverse("spares:standby", args=[self.contract.pk])),
        ]
        context["can_record"] = self.request.user.has_perm(RECORD_PERMISSION)
        context["record_kinds"] = [(k, label) for k, (label, _f) in FORM_KINDS.items()]
        return context


class ComplianceView(_ContractPage):
    """SPR-01: required stock by the ratio rules against new parts on hand."""

    template_name = "spares/compliance.html"
    tab = "compliance"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = selectors.compliance(self.contract)
        context["rows"] = rows
        context["short"] = sum(1 for r in rows if r.status == ComplianceStatus.SHORT)
        context["Status"] = ComplianceStatus
        return context


class StockView(_ContractPage):
    template_name = "spares/stock.html"
    tab = "stock"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["warehouses"] = selectors.stock_by_warehouse(self.contract)
        return context


class BudgetView(_ContractPage):
    """SPR-03: each cap's consumption against its limit."""

    template_name = "spares/budget.html"
    tab = "budget"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caps"] = selectors.cap_states(self.contract)
        return context


class StandbyView(_ContractPage):
    """SPR-04: standby units lent to sites; lend one, take one back."""

    template_name = "spares/standby.html"
    tab = "standby"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["loans"] = StandbyLoan.objects.filter(contract=self.contract).select_related(
            "site", "part_type", "warehouse")[:200]
        context.setdefault("form", StandbyLoanForm(contract=self.contract))
        context["return_form"] = ReturnStandbyForm()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("spares.add_standbyloan"):
            raise PermissionDenied
        url = reverse("spares:standby", args=[self.contract.pk])
        if "return" in request.POST:
            loan = get_object_or_404(StandbyLoan, contract=self.contract,
                                     pk=request.POST.get("return"))
            returned = ReturnStandbyForm(request.POST)
            if returned.is_valid():
                try:
                    services.return_standby(loan, condition=returned.cleaned_data["condition"],
                                            actor=request.user)
                    messages.success(request, _("The standby unit is back in stock."))
                except ValidationError as exc:
                    messages.error(request, "; ".join(exc.messages))
            return HttpResponseRedirect(url)
        form = StandbyLoanForm(request.POST, contract=self.contract)
        if form.is_valid():
            try:
                services.lend_standby(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Standby unit lent."))
                return HttpResponseRedirect(url)
        return self.render_to_response(self.get_context_data(form=form), status=400)
