"""Certificates and e-seals (AST-07): list with expiry badges, detail with lifecycle actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.assets import services
from weibao.assets.filtersets import CertificateFilterSet
from weibao.assets.forms import CertificateForm, TransitionForm
from weibao.assets.models import Certificate
from weibao.assets.selectors import visible_certificates
from weibao.assets.tables import CertificateTable, expiry_badge
from weibao.assets.views.common import require
from weibao.contracts.selectors import visible_contracts
from weibao.imports.exports import ExcelExportMixin
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = ["CertificateCreateView", "CertificateDetailView", "CertificateListView"]


class CertificateListView(PermissionMixin, ExcelExportMixin, SingleTableMixin, FilterView):
    permission_required = "assets.view_certificate"
    filterset_class = CertificateFilterSet
    table_class = CertificateTable
    paginate_by = 25
    template_name = "assets/certificate_list.html"

    def get_queryset(self) -> QuerySet[Certificate]:
        return visible_certificates(self.request.user).select_related("contract")

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]


class CertificateDetailView(PermissionMixin, View):
    permission_required = "assets.view_certificate"

    def _get(self, request: HttpRequest, pk: int) -> Certificate:
        return get_object_or_404(visible_certificates(request.user).select_related(
            "contract", "asset"), pk=pk)

    def _render(self, request: HttpRequest, certificate: Certificate,
                form: TransitionForm | None = None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        return render(request, "assets/certificate_detail.html", {
            "certificate": certificate, "state": certificate.state_on(today),
            "badge": expiry_badge(certificate), "days_left": certificate.days_left(today),
            "transitions": services.allowed_transitions(certificate),
            "warnings": certificate.warnings.all(), "form": form or TransitionForm(),
        }, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._get(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self._get(request, pk)
        require(request, "assets.change_certificate", certificate)
        form = TransitionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.transition_certificate(
                    certificate, request.POST.get("transition", ""), request.user,
                    issued_on=data["issued_on"], expires_on=data["expires_on"],
                    serial=data["serial"], note=data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Certificate updated."))
                return HttpResponseRedirect(reverse("assets:certificate-detail",
                                                    args=[certificate.pk]))
        return self._render(request, certificate, form, status=400)


class CertificateCreateView(PermissionMixin, View):
    permission_required = "assets.add_certificate"

    def _contract(self, request: HttpRequest) -> Any:
        pk = request.GET.get("contract") or request.POST.get("contract")
        if pk and str(pk).isdigit():
            return get_object_or_404(visible_contracts(request.user), pk=pk)
        return None

    def get(self, request: HttpRequest) -> HttpResponse:
        contract = self._contract(request)
        if contract is None:
            return render(request, "assets/choose_contract.html", {
                "contracts": visible_contracts(request.user), "title": _("New certificate"),
                "next": reverse("assets:certificate-create")})
        return render_page(request, "assets/certificate_form.html", {
            "form": CertificateForm(contract=contract), "contract": contract})

    def post(self, request: HttpRequest) -> HttpResponse:
        contract = self._contract(request)
        if contract is None:
            return HttpResponseRedirect(reverse("assets:certificate-create"))
        form = CertificateForm(request.POST, contract=contract)
        if form.is_valid():
            try:
                certificate = services.create_certificate(
                    contract, services.CertificateInput(**form.cleaned_data), request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("assets:certificate-detail",
                                                    args=[certificate.pk]))
        return render_page(request, "assets/certificate_form.html",
                           {"form": form, "contract": contract}, status=400)
