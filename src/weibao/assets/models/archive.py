"""The device archive (设备档案, AST-03): a timeline of events per asset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import EventKind
from weibao.assets.models.assets import Asset
from weibao.sites.models import ContractOwned

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["AssetEvent"]


class AssetEvent(ContractOwned):
    """设备档案记录: installation, maintenance, repair, part replacement, relocation …

    ``source_kind``/``source_id`` point at the ticket or visit that caused it (later issues).
    """

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE,
                              related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                              on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.CharField(_("summary"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    source_kind = models.CharField(_("source kind"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=60, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("asset archive event")
        verbose_name_plural = _("asset archive events")
        indexes = [models.Index(fields=["asset", "-occurred_at"], name="asset_event_timeline"),
                   models.Index(fields=["source_kind", "source_id"], name="asset_event_source")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_kind_display()}: {self.summary}"

    def is_visible_to(self, user: User) -> bool:
        return self.asset.is_visible_to(user)
