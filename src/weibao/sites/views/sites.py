"""Site pages: list (filters, Excel export, bulk edit), detail, create, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.contracts.selectors import visible_contracts
from weibao.imports.exports import ExcelExportMixin
from weibao.sites import services
from weibao.sites.filtersets import SiteFilterSet
from weibao.sites.forms import BulkEditForm, SiteForm
from weibao.sites.models import Site
from weibao.sites.selectors import visible_sites
from weibao.sites.tables import SiteTable
from weibao.utils.views import ContractScopedMixin, PermissionMixin, add_service_errors, render_page

__all__ = [
    "SiteBulkEditView",
    "SiteCreateView",
    "SiteDeleteView",
    "SiteDetailView",
    "SiteEditView",
    "SiteListView",
]

FORM_TEMPLATE = "sites/form.html"


class SiteListView(ExcelExportMixin, PermissionMixin, SingleTableMixin, FilterView):
    """网点列表: filters shared with the API; ``?export=xlsx`` gives the filtered rows."""

    permission_required = "sites.view_site"
    filterset_class = SiteFilterSet
    table_class = SiteTable
    paginate_by = 50
    template_name = "sites/site_list.html"

    def get_queryset(self) -> QuerySet[Site]:
        return visible_sites(self.request.user)

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_table_kwargs(self) -> dict[str, Any]:
        if not self.request.user.has_perm("sites.change_site"):
            return {"exclude": ("select",)}
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["contracts"] = visible_contracts(user).order_by("number")
        context["can_add"] = user.has_perm("sites.add_site")
        context["can_bulk"] = user.has_perm("sites.change_site")
        return context


class _SiteMixin(PermissionMixin):
    """Load ``self.site`` limited to the user's sites: others answer 404 (PLT-01)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.site = get_object_or_404(visible_sites(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class SiteDetailView(_SiteMixin, View):
    permission_required = "sites.view_site"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user: Any = request.user
        site = self.site
        return render_page(request, "sites/site_detail.html", {
            "site": site, "area_class": site.area_class,
            "can_change": user.has_perm("sites.change_site", site),
            "can_delete": user.has_perm("sites.delete_site", site)})


class SiteCreateView(ContractScopedMixin, View):
    permission_required = "sites.add_site"

    def _render(self, form: SiteForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": _("New site"), "contract": self.contract,
            "back": reverse("sites:list") + f"?contract={self.contract.pk}"}, status=status)

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        return self._render(SiteForm(contract=self.contract))

    def post(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        form = SiteForm(request.POST, contract=self.contract)
        if form.is_valid():
            try:
                site = services.save_site(self.contract, form.to_input(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Site %(code)s created.") % {"code": site.code})
                return HttpResponseRedirect(reverse("sites:detail", args=[site.pk]))
        return self._render(form, status=400)


class SiteEditView(_SiteMixin, View):
    permission_required = "sites.change_site"

    def _render(self, form: SiteForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": self.site.name, "contract": self.site.contract,
            "back": reverse("sites:detail", args=[self.site.pk])}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(SiteForm(initial=SiteForm.initial_for(self.site),
                                     contract=self.site.contract))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SiteForm(request.POST, contract=self.site.contract)
        if form.is_valid():
            try:
                services.save_site(self.site.contract, form.to_input(), site=self.site,
                                   actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("sites:detail", args=[self.site.pk]))
        return self._render(form, status=400)


class SiteDeleteView(_SiteMixin, View):
    permission_required = "sites.delete_site"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.delete_object(self.site, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("sites:detail", args=[pk]))
        messages.success(request, _("Site deleted."))
        return HttpResponseRedirect(reverse("sites:list"))


class SiteBulkEditView(PermissionMixin, View):
    """Set status / district / site type of the sites selected on the list (one contract)."""

    permission_required = "sites.change_site"

    def _sites(self, request: HttpRequest, data: Any) -> tuple[Any, QuerySet[Site]]:
        pks = [p for p in data.getlist("sites") if p.isdigit()]
        sites = visible_sites(request.user).filter(pk__in=pks)
        contracts = {s.contract for s in sites}
        if not pks or not sites:
            raise Http404
        if len(contracts) != 1:
            return None, sites
        contract = contracts.pop()
        if not request.user.has_perm("sites.change_site", contract):
            raise PermissionDenied
        return contract, sites

    def _render(self, request: HttpRequest, contract: Any, sites: Any, form: Any,
                status: int = 200) -> HttpResponse:
        return render_page(request, "sites/bulk_edit.html", {
            "form": form, "contract": contract, "sites": sites,
            "back": reverse("sites:list")}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, sites = self._sites(request, request.GET)
        if contract is None:
            messages.error(request, _("Select sites of one contract only (filter the list by "
                                      "contract first)."))
            return HttpResponseRedirect(reverse("sites:list"))
        form = BulkEditForm(initial={"sites": list(sites)}, contract=contract,
                            sites=sites)
        return self._render(request, contract, sites, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        contract, sites = self._sites(request, request.POST)
        if contract is None:
            messages.error(request, _("Select sites of one contract only (filter the list by "
                                      "contract first)."))
            return HttpResponseRedirect(reverse("sites:list"))
        form = BulkEditForm(request.POST, contract=contract, sites=sites)
        if form.is_valid():
            try:
                changed = services.bulk_edit_sites(contract, form.cleaned_data["sites"],
                                                   form.to_change(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(count)s sites changed.") % {"count": changed})
                return HttpResponseRedirect(reverse("sites:list") + f"?contract={contract.pk}")
        return self._render(request, contract, sites, form, status=400)
