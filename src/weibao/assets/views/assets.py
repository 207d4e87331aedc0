"""Asset list (with bulk edit and Excel export), detail with the device archive, forms."""

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
from weibao.assets.filtersets import AssetFilterSet
from weibao.assets.forms import AssetEventForm, AssetForm, BulkEditForm, RelationForm
from weibao.assets.models import Asset, AssetRelation, AssetType
from weibao.assets.selectors import visible_assets
from weibao.assets.tables import AssetTable, warranty_badge
from weibao.assets.views.common import get_asset, require
from weibao.contracts.selectors import visible_contracts
from weibao.imports.exports import ExcelExportMixin
from weibao.sites.models import Site
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = ["AssetCreateView", "AssetDetailView", "AssetEditView", "AssetListView",
           "BulkEditView"]


class AssetListView(PermissionMixin, ExcelExportMixin, SingleTableMixin, FilterView):
    permission_required = "assets.view_asset"
    filterset_class = AssetFilterSet
    table_class = AssetTable
    paginate_by = 25
    template_name = "assets/asset_list.html"

    def get_queryset(self) -> QuerySet[Asset]:
        return visible_assets(self.request.user).select_related("asset_type", "site",
                                                                "contract")

    def get_table_kwargs(self) -> dict[str, Any]:
        if not self.request.user.has_perm("assets.change_asset"):
            return {"exclude": ("select",)}
        return {}

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("assets.change_asset"):
            context["bulk_form"] = BulkEditForm(
                assets=Asset.objects.none(), sites=Site.objects.visible_to(user))
        return context


class BulkEditView(PermissionMixin, View):
    """Set the status and/or site of the selected assets (each with its archive entry)."""

    permission_required = "assets.change_asset"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkEditForm(request.POST, assets=visible_assets(request.user),
                            sites=Site.objects.visible_to(request.user))
        back = request.POST.get("next") or reverse("assets:list")
        if not back.startswith("/"):
            back = reverse("assets:list")
        if not form.is_valid():
            problems = [str(m) for errors in form.errors.values() for m in errors]
            messages.error(request, "; ".join(problems) or _("Select assets and a change."))
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        try:
            count = services.bulk_update_assets(
                visible_assets(request.user).filter(pk__in=[a.pk for a in data["assets"]]),
                request.user, status=data["status"] or None, site=data["site"],
                set_site=data["set_site"])
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d assets changed.") % {"n": count})
        return HttpResponseRedirect(back)


class AssetDetailView(PermissionMixin, View):
    permission_required = "assets.view_asset"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_asset(request, pk)
        return render(request, "assets/asset_detail.html", self.context(request, asset))

    def context(self, request: HttpRequest, asset: Asset, **extra: Any) -> dict[str, Any]:
        visible = visible_assets(request.user)
        today = timezone.localdate()
        return {
            "asset": asset,
            "warranty": warranty_badge(asset.warranty_state_on(today)),
            "definitions": asset.asset_type.all_definitions(),
            "events": asset.events.select_related("actor")[:200],
            "components": visible.filter(parent=asset).select_related("asset_type"),
            "relations_out": AssetRelation.objects.filter(source=asset, target__in=visible)
            .select_related("target"),
            "relations_in": AssetRelation.objects.filter(target=asset, source__in=visible)
            .select_related("source"),
            "certificates": asset.certificates.all(),
            "relocations": asset.relocations.select_related("from_site", "to_site"),
            "event_form": extra.get("event_form") or AssetEventForm(
                initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
            "relation_form": extra.get("relation_form") or RelationForm(
                targets=visible.filter(contract_id=asset.contract_id).exclude(pk=asset.pk)),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Add an archive entry (``action=event``) or a relation (``action=relation``)."""
        asset = get_asset(request, pk)
        action = request.POST.get("action")
        if action == "relation":
            require(request, "assets.add_assetrelation", asset)
            form = RelationForm(request.POST, targets=visible_assets(request.user).filter(
                contract_id=asset.contract_id).exclude(pk=asset.pk))
            if form.is_valid():
                try:
                    services.add_relation(asset, form.cleaned_data["kind"],
                                          form.cleaned_data["target"], request.user,
                                          form.cleaned_data["note"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
            return render(request, "assets/asset_detail.html",
                          self.context(request, asset, relation_form=form), status=400)
        if action == "unrelate":
            require(request, "assets.delete_assetrelation", asset)
            relation = get_object_or_404(AssetRelation, pk=request.POST.get("relation"),
                                         source=asset)
            services.remove_relation(relation, request.user)
            return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
        require(request, "assets.add_assetevent", asset)
        event_form = AssetEventForm(request.POST)
        if event_form.is_valid():
            try:
                services.record_asset_event(asset, event_form.cleaned_data["kind"],
                                            event_form.cleaned_data["occurred_at"], request.user,
                                            event_form.cleaned_data["summary"])
            except ValidationError as exc:
                add_service_errors(event_form, exc)
            else:
                return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
        return render(request, "assets/asset_detail.html",
                      self.context(request, asset, event_form=event_form), status=400)


class _AssetFormView(PermissionMixin, View):
    template_name = "assets/asset_form.html"

    def _type(self, request: HttpRequest, contract: Any, default: AssetType | None = None,
              ) -> AssetType | None:
        pk = request.POST.get("asset_type") or request.GET.get("type")
        if pk and str(pk).isdigit():
            return AssetType.objects.filter(contract=contract, pk=pk).select_related(
                "parent").first() or default
        return default

    def _render(self, request: HttpRequest, form: AssetForm, contract: Any, title: str,
                status: int = 200, asset: Asset | None = None) -> HttpResponse:
        types = AssetType.objects.filter(contract=contract)
        return render_page(request, self.template_name, {
            "form": form, "contract": contract, "title": title, "asset": asset, "types": types,
            "chosen_type": form.fields["asset_type"].initial,
        }, status=status)


class AssetCreateView(_AssetFormView):
    permission_required = "assets.add_asset"

    def _contract(self, request: HttpRequest) -> Any:
        pk = request.GET.get("contract") or request.POST.get("contract")
        contracts = visible_contracts(request.user)
        if pk and str(pk).isdigit():
            return get_object_or_404(contracts, pk=pk)
        return None

    def get(self, request: HttpRequest) -> HttpResponse:
        contract = self._contract(request)
        if contract is None:
            return render(request, "assets/choose_contract.html", {
                "contracts": visible_contracts(request.user), "title": _("New asset"),
                "next": reverse("assets:create")})
        form = AssetForm(contract=contract, asset_type=self._type(request, contract))
        return self._render(request, form, contract, _("New asset"))

    def post(self, request: HttpRequest) -> HttpResponse:
        contract = self._contract(request)
        if contract is None:
            return HttpResponseRedirect(reverse("assets:create"))
        require(request, "assets.add_asset", contract)
        asset_type = self._type(request, contract)
        form = AssetForm(request.POST, contract=contract, asset_type=asset_type)
        if form.is_valid():
            try:
                asset = services.create_asset(contract, services.AssetInput(**form.values()),
                                              request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Asset saved."))
                return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
        return self._render(request, form, contract, _("New asset"), status=400)


class AssetEditView(_AssetFormView):
    permission_required = "assets.change_asset"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_asset(request, pk)
        require(request, "assets.change_asset", asset)
        asset_type = self._type(request, asset.contract, asset.asset_type)
        form = AssetForm(contract=asset.contract, asset_type=asset_type, instance=asset)
        if asset_type is not None:
            form.initial["asset_type"] = asset_type.pk
        return self._render(request, form, asset.contract, str(asset), asset=asset)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_asset(request, pk)
        require(request, "assets.change_asset", asset)
        asset_type = self._type(request, asset.contract, asset.asset_type)
        form = AssetForm(request.POST, contract=asset.contract, asset_type=asset_type,
                         instance=asset)
        if form.is_valid():
            try:
                services.update_asset(asset, form.values(), request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Asset saved."))
                return HttpResponseRedirect(reverse("assets:detail", args=[asset.pk]))
        return self._render(request, form, asset.contract, str(asset), status=400, asset=asset)
