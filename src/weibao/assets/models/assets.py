"""Assets (资产/设备实例, AST-02) and relations between them (AST-04/05)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import AssetStatus, Importance, RelationKind, WarrantyState
from weibao.assets.models.types import AssetType
from weibao.sites.models import ContractOwned, Site

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["Asset", "AssetQuerySet", "AssetRelation"]


class AssetQuerySet(models.QuerySet["Asset"]):
    def visible_to(self, user: Any) -> AssetQuerySet:
        """PLT-01: assets of the user's contracts; site staff only those at their own sites."""
        from weibao.contracts.selectors import scope_to_user
        from weibao.core.choices import Role

        scoped = scope_to_user(self, user)
        if (user.is_authenticated and not user.is_administrator
                and user.role == Role.SITE_STAFF):
            scoped = scoped.filter(site__organisation_id=user.organisation_id)
        return scoped


class Asset(ContractOwned):
    """资产: one device, system, line or software installation of a contract (AST-02).

    ``site`` is empty for an asset in a warehouse or not yet placed; ``parent`` holds
    components (the SAM card in a card printer, the battery group of a UPS).
    """

    asset_type = models.ForeignKey(AssetType, verbose_name=_("asset type"),
                                   on_delete=models.PROTECT, related_name="assets")
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT,
                             related_name="assets", null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("asset tag"), max_length=60, blank=True,
                            help_text=_("Unique within the contract when given."))
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=150, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    purchased_on = models.DateField(_("purchased on"), null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    warranty_state = models.CharField(
        _("warranty state"), max_length=20, choices=WarrantyState.choices,
        default=WarrantyState.UNKNOWN,
        help_text=_("Used when no warranty end date is known; the date wins otherwise."))
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices,
                              default=AssetStatus.IN_SERVICE)
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices,
                                  blank=True, help_text=_("For information systems (AST-04)."))
    parent = models.ForeignKey("self", verbose_name=_("part of"), on_delete=models.PROTECT,
                               related_name="components", null=True, blank=True)
    remote_site = models.ForeignKey(Site, verbose_name=_("remote site"),
                                    on_delete=models.PROTECT, related_name="remote_assets",
                                    null=True, blank=True,
                                    help_text=_("For lines: the other end (AST-05)."))
    location = models.CharField(_("location"), max_length=200, blank=True,
                                help_text=_("Warehouse or destination when not at a site."))
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "name", "pk"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        permissions = [("verify_asset", _("Can verify assets at a site")),
                       ("relocate_asset", _("Can relocate or decommission assets"))]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], condition=~Q(code=""),
                                    name="asset_code_unique"),
            models.UniqueConstraint(fields=["contract", "serial"], condition=~Q(serial=""),
                                    name="asset_serial_unique"),
        ]
        indexes = [
            models.Index(fields=["contract", "site", "asset_type", "name"],
                         name="asset_contract_site_type"),
            models.Index(fields=["contract", "asset_type", "name"], name="asset_contract_type"),
            models.Index(fields=["contract", "status"], name="asset_contract_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def warranty_state_on(self, day: datetime.date) -> str:
        """出保 or not: from the warranty end date when known, else the recorded state."""
        if self.warranty_until is not None:
            return (WarrantyState.IN_WARRANTY if self.warranty_until >= day
                    else WarrantyState.OUT_OF_WARRANTY)
        return self.warranty_state

    def is_visible_to(self, user: User) -> bool:
        return Asset.objects.visible_to(user).filter(pk=self.pk).exists()


class AssetRelation(ContractOwned):
    """资产关系: a system runs on a server, a line connects two rooms, a UPS backs up a room."""

    source = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE,
                               related_name="relations_out")
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    target = models.ForeignKey(Asset, verbose_name=_("related asset"), on_delete=models.CASCADE,
                               related_name="relations_in")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["source", "kind", "pk"]
        verbose_name = _("asset relation")
        verbose_name_plural = _("asset relations")
        constraints = [models.UniqueConstraint(fields=["source", "kind", "target"],
                                               name="asset_relation_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"
