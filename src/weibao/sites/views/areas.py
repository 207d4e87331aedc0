"""Per contract: area classes, districts and site types (SITE-02, SITE-03) — list and edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.sites import services
from weibao.sites.forms import AreaClassForm, DistrictForm, SiteTypeForm
from weibao.sites.models import AreaClass, District, SiteType
from weibao.sites.tables import DistrictTable
from weibao.utils.views import ContractScopedMixin, PermissionMixin, add_service_errors, render_page

__all__ = ["AreaIndexView", "ContractAreasView", "RecordDeleteView", "RecordEditView"]


@dataclass(frozen=True)
class Kind:
    model: type[Any]
    form: type[Any]
    model_name: str


KINDS: dict[str, Kind] = {
    "area-classes": Kind(AreaClass, AreaClassForm, "areaclass"),
    "districts": Kind(District, DistrictForm, "district"),
    "site-types": Kind(SiteType, SiteTypeForm, "sitetype"),
}


def _areas_url(contract_pk: int) -> str:
    return reverse("sites:areas", args=[contract_pk])


class AreaIndexView(PermissionMixin, View):
    """The user's contracts, each linking to its districts & area classes page."""

    permission_required = "sites.view_district"

    def get(self, request: HttpRequest) -> HttpResponse:
        contracts = visible_contracts(request.user).order_by("number")
        return render_page(request, "sites/area_index.html", {"contracts": contracts})


class ContractAreasView(ContractScopedMixin, View):
    permission_required = "sites.view_district"

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        user: Any = request.user
        contract = self.contract
        districts = District.objects.filter(contract=contract).select_related(
            "area_class").annotate(site_count=Count("sites"))
        return render_page(request, "sites/areas.html", {
            "contract": contract,
            "area_classes": AreaClass.objects.filter(contract=contract).annotate(
                district_count=Count("districts")),
            "district_table": DistrictTable(districts),
            "site_types": SiteType.objects.filter(contract=contract).annotate(
                site_count=Count("sites")),
            "can_change": user.has_perm("sites.change_district", contract),
        })


class _KindMixin(ContractScopedMixin):
    kind: Kind
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        kind = KINDS.get(kwargs["kind"])
        if kind is None:
            raise Http404
        self.kind = kind
        return super().dispatch(request, *args, **kwargs)

    def _check(self, action: str) -> None:
        if not self.request.user.has_perm(f"sites.{action}_{self.kind.model_name}",
                                          self.contract):
            raise PermissionDenied

    def _record(self, pk: int | None) -> Any:
        if pk is None:
            return None
        return get_object_or_404(self.kind.model, contract=self.contract, pk=pk)


class RecordEditView(_KindMixin, View):
    """Add (``<kind>/new/``) or change (``<kind>/<pk>/edit/``) an area class, district or type."""

    def _render(self, form: Any, record: Any, status: int = 200) -> HttpResponse:
        title = (str(record) if record is not None
                 else _("New %(what)s") % {"what": self.kind.model._meta.verbose_name})
        delete_url = ""
        if record is not None and self.request.user.has_perm(
                f"sites.delete_{self.kind.model_name}", self.contract):
            delete_url = reverse("sites:record-delete",
                                 args=[self.contract.pk, self.kwargs["kind"], record.pk])
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": title, "contract": self.contract, "record": record,
            "delete_url": delete_url, "back": _areas_url(self.contract.pk)}, status=status)

    def get(self, request: HttpRequest, contract_pk: int, kind: str,
            pk: int | None = None) -> HttpResponse:
        record = self._record(pk)
        self._check("add" if record is None else "change")
        initial = {}
        if record is not None:
            initial = {"code": record.code, "name": record.name, "order": record.order}
            if isinstance(record, District):
                initial["area_class"] = record.area_class
        return self._render(self.kind.form(initial=initial, contract=self.contract), record)

    def post(self, request: HttpRequest, contract_pk: int, kind: str,
             pk: int | None = None) -> HttpResponse:
        record = self._record(pk)
        self._check("add" if record is None else "change")
        form = self.kind.form(request.POST, contract=self.contract)
        if form.is_valid():
            data = form.cleaned_data
            common = {"code": data["code"], "name": data["name"], "order": data.get("order"),
                      "actor": request.user}
            try:
                if self.kind.model is AreaClass:
                    services.save_area_class(self.contract, area_class=record, **common)
                elif self.kind.model is District:
                    services.save_district(self.contract, area_class=data.get("area_class"),
                                           district=record, **common)
                else:
                    services.save_site_type(self.contract, site_type=record, **common)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(_areas_url(self.contract.pk))
        return self._render(form, record, status=400)


class RecordDeleteView(_KindMixin, View):
    def post(self, request: HttpRequest, contract_pk: int, kind: str, pk: int) -> HttpResponse:
        record = self._record(pk)
        self._check("delete")
        try:
            services.delete_object(record, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Deleted."))
        return HttpResponseRedirect(_areas_url(self.contract.pk))


FORM_TEMPLATE = "sites/form.html"
