"""Sites (网点/机房/场所) of a contract, their districts and area classes (SITE-01..03).

Everything here belongs to one contract: a contract's spec defines its area classes (市内/郊区),
its districts (a district may be split, e.g. 浦东新区 and its former 南汇 part) and its site
types; the SLA engine selects targets by a site's area class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import Organisation, TimestampedModel
from weibao.sites.choices import SiteStatus

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["AreaClass", "District", "Site", "SiteQuerySet", "SiteType"]

CODE_HELP = _("Letters, digits, hyphens, dots or underscores; unique within the contract.")


class ContractOwned(TimestampedModel):
    """A row that belongs to one contract and is visible to its parties only (PLT-01)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="+")

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class AreaClass(ContractOwned):
    """区域类别 (SITE-02), e.g. 市内 urban / 郊区 suburban: SLA targets select by it."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("area class")
        verbose_name_plural = _("area classes")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="area_class_unique")]

    def __str__(self) -> str:
        return self.name


class District(ContractOwned):
    """区县 of a contract, with its area class; a split district is two rows."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=60)
    area_class = models.ForeignKey(AreaClass, verbose_name=_("area class"),
                                   on_delete=models.PROTECT, related_name="districts",
                                   null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="district_unique")]

    def __str__(self) -> str:
        return self.name


class SiteType(ContractOwned):
    """网点类型 (SITE-01): 社保卡受理网点, 居住证受理网点, 机房, 会议室, 办公场所 …"""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("site type")
        verbose_name_plural = _("site types")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="site_type_unique")]

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(models.QuerySet["Site"]):
    def visible_to(self, user: Any) -> SiteQuerySet:
        """PLT-01: sites of the user's contracts; site staff only their organisation's sites."""
        from weibao.contracts.selectors import scope_to_user
        from weibao.core.choices import Role

        scoped = scope_to_user(self, user)
        if (user.is_authenticated and not user.is_administrator
                and user.role == Role.SITE_STAFF):
            scoped = scoped.filter(organisation_id=user.organisation_id)
        return scoped


class Site(ContractOwned):
    """网点 / 机房 / 场所: a place the contract covers (SITE-01)."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    site_type = models.ForeignKey(SiteType, verbose_name=_("site type"),
                                  on_delete=models.PROTECT, related_name="sites")
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="sites", null=True, blank=True)
    area_class_override = models.ForeignKey(
        AreaClass, verbose_name=_("area class (override)"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
        help_text=_("Only when this site differs from its district's area class."))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("site owner"), on_delete=models.PROTECT,
        related_name="sites", null=True, blank=True,
        help_text=_("The organisation whose staff work at this site (they see only it)."))
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SiteStatus.choices,
                              default=SiteStatus.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="site_unique")]
        indexes = [models.Index(fields=["contract", "site_type", "district"])]

    def __str__(self) -> str:
        return self.name

    @property
    def area_class(self) -> AreaClass | None:
        """The class the SLA engine selects by: the override, else the district's."""
        if self.area_class_override_id:
            return self.area_class_override
        return self.district.area_class if self.district_id and self.district else None

    def is_visible_to(self, user: User) -> bool:
        return Site.objects.visible_to(user).filter(pk=self.pk).exists()
