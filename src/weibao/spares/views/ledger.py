"""The stock ledger: filtered list with Excel export, and the forms recording movements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.imports.exports import ExcelExportMixin
from weibao.spares import selectors, services
from weibao.spares.filtersets import MovementFilterSet
from weibao.spares.forms import FORM_KINDS, MovementForm
from weibao.spares.models import StockMovement
from weibao.spares.tables import MovementTable
from weibao.utils.views import ContractScopedMixin, PermissionMixin, add_service_errors, render_page

__all__ = ["MovementListView", "RecordMovementView"]


class MovementListView(PermissionMixin, ExcelExportMixin, SingleTableMixin, FilterView):
    permission_required = "spares.view_stockmovement"
    filterset_class = MovementFilterSet
    table_class = MovementTable
    paginate_by = 50
    template_name = "spares/movement_list.html"

    def get_queryset(self) -> QuerySet[StockMovement]:
        return selectors.visible(StockMovement, self.request.user).select_related(
            "contract", "warehouse", "part_type", "actor")

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]


class RecordMovementView(ContractScopedMixin, View):
    """One page per movement kind; every write goes through the ledger services."""

    permission_required = "spares.add_stockmovement"

    def _form(self, kind: str, data: Any = None) -> MovementForm:
        if kind not in FORM_KINDS:
            raise Http404
        return MovementForm(data, contract=self.contract, kind=kind)

    def _render(self, request: HttpRequest, form: MovementForm, status: int = 200
                ) -> HttpResponse:
        return render_page(request, "spares/movement_form.html", {
            "contract": self.contract, "form": form, "kind": form.kind,
            "title": FORM_KINDS[form.kind][0],
            "kinds": [(k, label) for k, (label, _f) in FORM_KINDS.items()],
            "back_url": reverse("spares:compliance", args=[self.contract.pk]),
        }, status=status)

    def get(self, request: HttpRequest, contract_pk: int, kind: str) -> HttpResponse:
        return self._render(request, self._form(kind))

    def post(self, request: HttpRequest, contract_pk: int, kind: str) -> HttpResponse:
        form = self._form(kind, request.POST)
        if form.is_valid():
            try:
                self._write(kind, form.cleaned_data, request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return HttpResponseRedirect(
                    reverse("spares:movements") + f"?contract={self.contract.pk}")
        return self._render(request, form, status=400)

    @staticmethod
    def _write(kind: str, data: dict[str, Any], actor: Any) -> None:
        common = {"warehouse": data["warehouse"], "part_type": data["part_type"],
                  "actor": actor, "occurred_at": data.get("occurred_at")}
        reason = data.get("reason", "")
        if kind == "receive":
            services.receive(quantity=data["quantity"], condition=data["condition"],
                             unit_cost=data.get("unit_cost"), reason=reason, **common)
        elif kind == "issue":
            services.issue(quantity=data["quantity"], reference_kind=data["reference_kind"],
                           reference_id=data["reference_id"],
                           proposal_reference=data["proposal_reference"], reason=reason,
                           **common)
        elif kind == "return_faulty":
            services.return_faulty(quantity=data["quantity"],
                                   reference_kind=data["reference_kind"],
                                   reference_id=data["reference_id"], reason=reason, **common)
        elif kind == "scrap":
            services.scrap(quantity=data["quantity"], condition=data["condition"],
                           reason=reason, **common)
        elif kind == "transfer":
            services.transfer(source=data["warehouse"], destination=data["destination"],
                              part_type=data["part_type"], quantity=data["quantity"],
                              condition=data["condition"], reason=reason, actor=actor,
                              occurred_at=data.get("occurred_at"))
        else:
            services.adjust(condition=data["condition"], delta=data["delta"], reason=reason,
                            **common)
