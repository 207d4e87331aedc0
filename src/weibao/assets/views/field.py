"""Verification of a site's assets (AST-08), relocation and its registration list (AST-09)."""

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
from weibao.assets.choices import AssetStatus
from weibao.assets.filtersets import RelocationFilterSet
from weibao.assets.forms import RelocationForm, verification_form
from weibao.assets.models import Relocation
from weibao.assets.selectors import visible_assets, visible_relocations
from weibao.assets.tables import RelocationTable
from weibao.assets.views.common import get_asset, require
from weibao.imports.exports import ExcelExportMixin
from weibao.sites.models import Site
from weibao.utils.views import PermissionMixin, add_service_errors

__all__ = ["RelocateView", "RelocationListView", "SiteVerifyView"]


class SiteVerifyView(PermissionMixin, View):
    """核实网点资产: one result per asset of the site; missing ones are listed after saving."""

    permission_required = "assets.verify_asset"

    def _site(self, request: HttpRequest, site_pk: int) -> Site:
        return get_object_or_404(Site.objects.visible_to(request.user), pk=site_pk)

    def _assets(self, request: HttpRequest, site: Site) -> list[Any]:
        return list(visible_assets(request.user).filter(site=site).exclude(
            status=AssetStatus.DECOMMISSIONED).select_related("asset_type").order_by("name",
                                                                                      "pk"))

    def get(self, request: HttpRequest, site_pk: int) -> HttpResponse:
        site = self._site(request, site_pk)
        assets = self._assets(request, site)
        return render(request, "assets/verify.html", {
            "site": site, "rows": _rows(verification_form(assets), assets)})

    def post(self, request: HttpRequest, site_pk: int) -> HttpResponse:
        site = self._site(request, site_pk)
        assets = self._assets(request, site)
        form = verification_form(assets, request.POST)
        report = None
        if form.is_valid():
            lines = [services.VerificationLine(a, form.cleaned_data[f"result_{a.pk}"],
                                               form.cleaned_data[f"note_{a.pk}"])
                     for a in assets]
            try:
                report = services.verify_site(site, lines, request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Verification of %(n)d assets saved.")
                                 % {"n": len(lines)})
        return render(request, "assets/verify.html", {
            "site": site, "rows": _rows(form, assets), "report": report, "form": form},
            status=200 if report else 400)


def _rows(form: Any, assets: list[Any]) -> list[tuple[Any, Any, Any]]:
    return [(a, form[f"result_{a.pk}"], form[f"note_{a.pk}"]) for a in assets]


class RelocateView(PermissionMixin, View):
    permission_required = "assets.relocate_asset"

    def _form(self, request: HttpRequest, asset: Any, data: Any = None) -> RelocationForm:
        sites = Site.objects.visible_to(request.user).filter(contract_id=asset.contract_id)
        return RelocationForm(data, sites=sites,
                              initial={"relocated_on": timezone.localdate()})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_asset(request, pk)
        return render(request, "assets/relocate.html",
                      {"asset": asset, "form": self._form(request, asset)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_asset(request, pk)
        require(request, "assets.relocate_asset", asset)
        form = self._form(request, asset, request.POST)
        if form.is_valid():
            try:
                relocation = services.relocate_asset(asset, request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Registered as %(label)s.")
                                 % {"label": relocation.label})
                return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
        return render(request, "assets/relocate.html", {"asset": asset, "form": form},
                      status=400)


class RelocationListView(PermissionMixin, ExcelExportMixin, SingleTableMixin, FilterView):
    """迁移登记表: relocations of a contract in a period, exportable for the purchaser."""

    permission_required = "assets.view_relocation"
    filterset_class = RelocationFilterSet
    table_class = RelocationTable
    paginate_by = 50
    template_name = "assets/relocation_list.html"

    def get_queryset(self) -> QuerySet[Relocation]:
        return visible_relocations(self.request.user).select_related(
            "asset", "from_site", "to_site", "actor")

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]
