"""The SLA preview page (试算): contract authors check service levels before signing off."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.sla.evaluation import SlaError
from weibao.sla.forms import PreviewForm
from weibao.sla.services import preview
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["PreviewView"]


class PreviewView(PermissionMixin, View):
    permission_required = "contracts.view_contract"
    template = "sla/preview.html"

    def _contracts(self) -> Any:
        return visible_contracts(self.request.user).filter(sla_policy__isnull=False)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"contract": request.GET.get("contract")}
        form = PreviewForm(initial=initial, contracts=self._contracts())
        return render_page(request, self.template, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreviewForm(request.POST, contracts=self._contracts())
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            try:
                context["result"] = preview(form.cleaned_data["contract"], form.to_input(),
                                            user=request.user)
            except SlaError as exc:
                form.add_error(None, str(exc))
        status = 200 if "result" in context else 400
        return render_page(request, self.template, context, partial="sla/partials/result.html",
                           status=status)
