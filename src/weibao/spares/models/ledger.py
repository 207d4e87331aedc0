"""The stock ledger (SPR-02): movements, the balances they keep, standby loans (SPR-04).

Stock on hand of a (warehouse, part type, condition) is the sum of its movements'
``quantity``; ``StockBalance.on_hand`` holds that sum, updated in the same transaction as each
movement under a row lock, and a database CHECK keeps it from going below zero.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.sites.models import ContractOwned, Site
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models.catalogue import PartType, Warehouse

__all__ = ["StandbyLoan", "StockBalance", "StockMovement"]


class StockMovement(ContractOwned):
    """出入库记录: one change of stock. ``quantity`` is signed: positive adds to the stock on
    hand, negative removes from it; ``amount`` is |quantity| × unit cost, exact to the fen."""

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"),
                                  on_delete=models.PROTECT, related_name="movements")
    part_type = models.ForeignKey(PartType, verbose_name=_("part type"),
                                  on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    quantity = models.IntegerField(_("quantity"))
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2,
                                 default=Decimal("0.00"))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                              on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    reference_kind = models.CharField(_("reference kind"), max_length=10, blank=True,
                                      choices=ReferenceKind.choices)
    reference_id = models.CharField(_("reference"), max_length=100, blank=True,
                                    help_text=_("Ticket number, visit number …"))
    proposal_reference = models.CharField(
        _("proposal reference"), max_length=100, blank=True,
        help_text=_("The approved proposal allowing an issue beyond a budget cap (SPR-03)."))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    related = models.OneToOneField("self", verbose_name=_("paired movement"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("The other half of a transfer."))

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            models.Index(fields=["contract", "kind", "part_type"]),
            models.Index(fields=["warehouse", "part_type", "condition"]),
            models.Index(fields=["reference_kind", "reference_id"]),
        ]
        constraints = [models.CheckConstraint(condition=~models.Q(quantity=0),
                                              name="spares_movement_nonzero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.part_type} {self.quantity:+d}"


class StockBalance(ContractOwned):
    """库存: parts on hand of one part type and condition in one warehouse (never negative)."""

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"),
                                  on_delete=models.PROTECT, related_name="balances")
    part_type = models.ForeignKey(PartType, verbose_name=_("part type"),
                                  on_delete=models.PROTECT, related_name="balances")
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    on_hand = models.IntegerField(_("on hand"), default=0)

    class Meta:
        ordering = ["warehouse", "part_type", "condition"]
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "part_type", "condition"],
                                    name="spares_balance_unique"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0),
                                   name="spares_on_hand_not_negative"),
        ]
        indexes = [models.Index(fields=["contract", "condition", "part_type"])]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.part_type} {self.get_condition_display()}: {self.on_hand}"


class StandbyLoan(ContractOwned):
    """备用机 (SPR-04): a spare unit lent to a site while its faulty device is repaired; the
    loan is an issue movement (reference standby) and its return a standby_return movement."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT,
                             related_name="+")
    part_type = models.ForeignKey(PartType, verbose_name=_("part type"),
                                  on_delete=models.PROTECT, related_name="standby_loans")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"),
                                  on_delete=models.PROTECT, related_name="standby_loans")
    faulty_device = models.CharField(_("faulty device"), max_length=200, blank=True,
                                     help_text=_("Serial number or description of the device "
                                                 "being repaired."))
    loaned_at = models.DateTimeField(_("loaned at"), default=timezone.now)
    due_back = models.DateField(_("due back"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    issue_movement = models.OneToOneField(StockMovement, verbose_name=_("issue"),
                                          on_delete=models.PROTECT, related_name="+")
    return_movement = models.OneToOneField(StockMovement, verbose_name=_("return"),
                                           on_delete=models.PROTECT, related_name="+",
                                           null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-loaned_at", "-pk"]
        verbose_name = _("standby loan")
        verbose_name_plural = _("standby loans")

    def __str__(self) -> str:
        return f"{self.part_type} → {self.site}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None
