"""The asset types tree of a contract with its standard kits (AST-01)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from weibao.assets.models import AssetType, KitItem
from weibao.assets.selectors import type_tree
from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.utils.views import PermissionMixin

__all__ = ["AssetTypeTreeView"]


class AssetTypeTreeView(PermissionMixin, View):
    permission_required = "assets.view_assettype"

    def get(self, request: HttpRequest) -> HttpResponse:
        contracts = visible_contracts(request.user)
        pk = request.GET.get("contract")
        contract: Contract | None
        if pk and pk.isdigit():
            contract = get_object_or_404(contracts, pk=pk)
        else:
            contract = (contracts.filter(pk__in=AssetType.objects.values("contract_id")).first()
                        or contracts.first())
        kits: dict[str, list[KitItem]] = {}
        if contract is not None:
            for item in KitItem.objects.filter(contract=contract).select_related(
                    "site_type", "asset_type").order_by("site_type__order", "order"):
                kits.setdefault(str(item.site_type), []).append(item)
        return render(request, "assets/type_tree.html", {
            "contracts": contracts, "contract": contract,
            "nodes": type_tree(contract) if contract is not None else [],
            "kits": kits,
        })
