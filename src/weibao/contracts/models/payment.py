"""Payment milestones, the performance bond, invoices and payments (PAY-01..03)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import (
    AmountBasis,
    BondStatus,
    MilestoneTrigger,
    OffsetUnit,
    TriggerEvent,
)
from weibao.contracts.models.contract import Contract
from weibao.core.models import TimestampedModel

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["FactorBand", "Invoice", "Payment", "PaymentMilestone", "PerformanceBond"]

_percent = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class PaymentMilestone(TimestampedModel):
    """付款节点: an amount and the rule that makes it payable (trigger as data).

    The amount is a percent of the contract amount, or a remainder (PAY-03): the final price
    (amount × assessment factor − penalties) minus the earlier milestones [001 第一条四, 002 5.1],
    or a year's approved budget minus the earlier milestones [002 5.2 b].
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="milestones"
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("name"), max_length=100)
    amount_basis = models.CharField(
        _("amount basis"), max_length=20, choices=AmountBasis.choices, default=AmountBasis.PERCENT
    )
    percent = models.DecimalField(
        _("percent of amount"), max_digits=5, decimal_places=2, validators=_percent,
        null=True, blank=True, help_text=_("Only for a percent of the contract amount."),
    )
    budget_year = models.PositiveSmallIntegerField(
        _("budget year"), null=True, blank=True,
        help_text=_("For the approved-budget remainder; empty: the year the service starts."),
    )
    trigger = models.CharField(_("trigger"), max_length=30, choices=MilestoneTrigger.choices)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    event = models.CharField(
        _("event"), max_length=30, choices=TriggerEvent.choices, blank=True
    )
    event_delay_months = models.PositiveSmallIntegerField(
        _("months after the event"), default=0,
        help_text=_("E.g. 6 for 'after six months of service'."),
    )
    and_invoice = models.BooleanField(
        _("and after the invoice"), default=False,
        help_text=_("The period counts from the later of the event and the invoice "
                    "(…且甲方收到乙方开具的等额发票后)."),
    )
    offset_amount = models.PositiveSmallIntegerField(_("within"), default=0)
    offset_unit = models.CharField(
        _("unit"), max_length=20, choices=OffsetUnit.choices, blank=True
    )
    deliverable = models.CharField(
        _("deliverable code"), max_length=60, blank=True,
        help_text=_("For 'after a deliverable is accepted', e.g. monthly-report-10."),
    )
    requires_invoice = models.BooleanField(
        _("invoice required"), default=True,
        help_text=_("PAY-02: an invoice of equal amount is required before payment."),
    )
    condition = models.CharField(
        _("condition as written"), max_length=300, blank=True,
        help_text=_("The clause as it reads in the contract."),
    )

    class Meta:
        ordering = ["contract", "sequence"]
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="milestone_unique_seq"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="milestone_percent_range"
            ),
            models.CheckConstraint(
                condition=(models.Q(amount_basis=AmountBasis.PERCENT, percent__isnull=False)
                           | (~models.Q(amount_basis=AmountBasis.PERCENT)
                              & models.Q(percent__isnull=True))),
                name="milestone_percent_iff_share",
            ),
        ]

    def __str__(self) -> str:
        if self.percent is None:
            return f"{self.name} ({self.get_amount_basis_display()})"
        return f"{self.name} ({self.percent}%)"

    @property
    def is_remainder(self) -> bool:
        return self.amount_basis != AmountBasis.PERCENT

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class FactorBand(TimestampedModel):
    """考核系数: the share of the whole contract amount the final assessment's result pays
    (PAY-03), by score band [001 第一条四 (2): "考核分数75分至85分（含85分），付合同额90%"] or by
    rating [002 5.1: "一般的按中标金额的 97%支付"]."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
        related_name="factor_bands",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    above_score = models.DecimalField(
        _("score above"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("The band applies to scores above this; empty: every lower score."),
    )
    rating = models.CharField(_("rating"), max_length=20, blank=True)
    factor = models.DecimalField(_("factor (%)"), max_digits=5, decimal_places=2,
                                 validators=_percent)

    class Meta:
        ordering = ["contract", "sequence"]
        verbose_name = _("assessment factor band")
        verbose_name_plural = _("assessment factor bands")
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="factor_band_unique_seq"),
        ]

    def __str__(self) -> str:
        if self.rating:
            return f"{self.rating}: {self.factor}%"
        if self.above_score is None:
            return f"*: {self.factor}%"
        return f"> {self.above_score}: {self.factor}%"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class PerformanceBond(TimestampedModel):
    """履约保证金: a share of the amount the vendor deposits with the purchaser."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="bonds"
    )
    percent = models.DecimalField(
        _("percent of amount"), max_digits=5, decimal_places=2, validators=_percent
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    form = models.CharField(_("form"), max_length=100, blank=True,
                            help_text=_("E.g. cheque or credit voucher."))
    status = models.CharField(
        _("status"), max_length=20, choices=BondStatus.choices, default=BondStatus.EXPECTED
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = _("performance bond")
        verbose_name_plural = _("performance bonds")

    def __str__(self) -> str:
        return f"{self.percent}% = {self.amount}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class Invoice(TimestampedModel):
    """发票 issued by the vendor for one milestone."""

    milestone = models.ForeignKey(
        PaymentMilestone, verbose_name=_("milestone"), on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.CharField(_("invoice number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["milestone", "issued_on", "id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "number"], name="invoice_unique_number")
        ]

    def __str__(self) -> str:
        return self.number

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.milestone.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.milestone.contract.is_visible_to(user)


class Payment(TimestampedModel):
    """A payment by the purchaser against a milestone, backed by one invoice (PAY-02)."""

    milestone = models.ForeignKey(
        PaymentMilestone, verbose_name=_("milestone"), on_delete=models.PROTECT,
        related_name="payments",
    )
    invoice = models.OneToOneField(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="payment",
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reference = models.CharField(_("voucher reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["milestone", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.milestone.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.milestone.contract.is_visible_to(user)
