"""Asset types (资产类型) per contract as a tree, and the standard kits (标准配置) per site type."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import AssetCategory
from weibao.sites.models import CODE_HELP, ContractOwned, SiteType

__all__ = ["AssetType", "KitItem"]


class AssetType(ContractOwned):
    """资产类型: desktop PC, card printer, UPS, MSTP line …; a type inherits its ancestors'
    attribute definitions (AST-01)."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=30, choices=AssetCategory.choices,
                                default=AssetCategory.HARDWARE)
    parent = models.ForeignKey("self", verbose_name=_("parent type"), on_delete=models.PROTECT,
                               related_name="children", null=True, blank=True)
    attribute_definitions = models.JSONField(
        _("attribute definitions"), default=list, blank=True,
        help_text=_("List of {code, name, kind, unit, required, choices}."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("asset type")
        verbose_name_plural = _("asset types")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="asset_type_unique")]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[AssetType]:
        """From the root down to the parent (cycles are refused by the services)."""
        chain: list[AssetType] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain

    def all_definitions(self) -> list[dict[str, Any]]:
        """Definitions of the ancestors, then this type's own; a code redefined lower wins."""
        merged: dict[str, dict[str, Any]] = {}
        for node in [*self.ancestors(), self]:
            for definition in node.attribute_definitions or []:
                merged[definition["code"]] = definition
        return list(merged.values())


class KitItem(ContractOwned):
    """One line of a site type's standard kit (网点标准配置, AST-01): type and quantity."""

    site_type = models.ForeignKey(SiteType, verbose_name=_("site type"),
                                  on_delete=models.CASCADE, related_name="kit_items")
    asset_type = models.ForeignKey(AssetType, verbose_name=_("asset type"),
                                   on_delete=models.CASCADE, related_name="kit_items")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["site_type", "order", "pk"]
        verbose_name = _("standard kit item")
        verbose_name_plural = _("standard kit items")
        constraints = [models.UniqueConstraint(fields=["site_type", "asset_type"],
                                               name="kit_item_unique")]

    def __str__(self) -> str:
        return f"{self.site_type}: {self.asset_type} × {self.quantity}"
