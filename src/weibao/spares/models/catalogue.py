"""What a contract keeps in stock: part types, warehouses, ratio rules and budget caps.

All of these come from the contract spec's ``spare_parts`` section (SPR-01, SPR-03).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.sites.models import CODE_HELP, ContractOwned, Site, SiteType
from weibao.utils.money import share_of

__all__ = ["BudgetCap", "PartType", "RatioRule", "Warehouse"]


class PartType(ContractOwned):
    """备件类型: a kind of spare part kept for the contract, e.g. 读卡机, with its unit cost."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, default="台")
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2,
                                    default=Decimal("0.00"),
                                    validators=[MinValueValidator(Decimal("0"))])
    must_be_new = models.BooleanField(
        _("must be new"), default=True,
        help_text=_("Parts fitted must be new and unused (全新, SPR-02)."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("part type")
        verbose_name_plural = _("part types")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="spares_part_type_unique")]

    def __str__(self) -> str:
        return self.name


class Warehouse(ContractOwned):
    """备件库: where the vendor keeps the contract's spare parts."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="spares_warehouse_unique")]

    def __str__(self) -> str:
        return self.name


class RatioRule(ContractOwned):
    """备品备件比例: keep ceil(ratio × active sites of the type) new parts (SPR-01, 000 表二)."""

    part_type = models.ForeignKey(PartType, verbose_name=_("part type"),
                                  on_delete=models.CASCADE, related_name="ratio_rules")
    site_type = models.ForeignKey(SiteType, verbose_name=_("site type"),
                                  on_delete=models.CASCADE, related_name="+", null=True,
                                  blank=True, help_text=_("Empty: sites of every type."))
    ratio = models.DecimalField(_("ratio"), max_digits=6, decimal_places=4,
                                validators=[MinValueValidator(Decimal("0.0001")),
                                            MaxValueValidator(Decimal("1"))])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "pk"]
        verbose_name = _("ratio rule")
        verbose_name_plural = _("ratio rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(ratio__gt=0) & models.Q(ratio__lte=1),
                                   name="spares_ratio_range"),
        ]

    def __str__(self) -> str:
        return f"{self.part_type} {self.percent}%"

    @property
    def percent(self) -> str:
        """The ratio as a percent for people: 0.1500 -> "15", 0.1250 -> "12.5"."""
        return format((self.ratio * 100).normalize(), "f")


class BudgetCap(ContractOwned):
    """费用上限 (SPR-03): issues of the listed part types may cost at most percent × base
    amount, e.g. single batteries within 20% of the UPS package amount (002 §4.2.1.5)."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    base_amount = models.DecimalField(
        _("base amount"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Amount the percent applies to; empty while unknown (not enforced)."))
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0.01")),
                                              MaxValueValidator(Decimal("100"))])
    part_types = models.ManyToManyField(PartType, verbose_name=_("part types"),
                                        related_name="budget_caps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("budget cap")
        verbose_name_plural = _("budget caps")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="spares_budget_cap_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def cap(self) -> Decimal | None:
        """The cap in fen, or None while the base amount is unknown."""
        return None if self.base_amount is None else share_of(self.base_amount, self.percent)
