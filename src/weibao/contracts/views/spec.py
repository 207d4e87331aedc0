"""Contract spec pages: import a YAML file (validate first, all or nothing) and export one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.forms import SpecImportForm
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_text
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.validate import validate_text
from weibao.utils.views import ContractScopedMixin, PermissionMixin, render_page

__all__ = ["SpecExportView", "SpecImportView"]


class SpecImportView(PermissionMixin, View):
    permission_required = "contracts.import_spec"
    template = "contracts/spec_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_page(request, self.template, {"form": SpecImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SpecImportForm(request.POST, request.FILES)
        context: dict[str, object] = {"form": form}
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if "validate_only" in request.POST:
                    validate_text(text)
                    context["valid"] = True
                else:
                    result = import_text(text, actor=request.user)  # type: ignore[arg-type]
                    messages.success(request, (
                        _("Contract %(number)s created.") if result.created
                        else _("Contract %(number)s updated.")
                    ) % {"number": result.contract.number})
                    return HttpResponseRedirect(
                        reverse("contracts:detail", args=[result.contract.pk]))
            except SpecInvalid as exc:
                context["spec_errors"] = exc.messages()
        return render_page(request, self.template, context,
                           status=400 if "spec_errors" in context else 200)


class SpecExportView(ContractScopedMixin, View):
    permission_required = "contracts.export_spec"

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        response = HttpResponse(export_text(self.contract),
                                content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.contract.number}.yaml"'
        return response
