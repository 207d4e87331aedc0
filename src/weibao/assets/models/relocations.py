"""Relocations and decommissioning (迁移/报废登记, AST-09)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.models.assets import Asset
from weibao.sites.models import ContractOwned, District, Site

__all__ = ["Relocation"]


class Relocation(ContractOwned):
    """迁移登记: one asset moved from a site to another site or a warehouse, labelled
    "区名+设备N" (district name + running number per district)."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE,
                              related_name="relocations")
    from_site = models.ForeignKey(Site, verbose_name=_("from site"), on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    number = models.PositiveIntegerField(_("running number"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    to_site = models.ForeignKey(Site, verbose_name=_("to site"), on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=200, blank=True,
                                   help_text=_("Warehouse or place when not another site."))
    decommission = models.BooleanField(_("decommissioned"), default=False)
    relocated_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                              on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-relocated_on", "-pk"]
        verbose_name = _("relocation")
        verbose_name_plural = _("relocations")
        constraints = [models.UniqueConstraint(fields=["contract", "district", "number"],
                                               name="relocation_number_unique")]

    def __str__(self) -> str:
        return self.label or str(self.asset)
