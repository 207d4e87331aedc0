"""Dated facts of a contract that payments wait for: the final assessment with its factor and
penalties, final acceptance, a year's approved budget, a deliverable's acceptance (PAY-01, PAY-03).

Until the assessment and deliverables modules record them, a named user enters them by hand on
the contract page; ``source`` and ``entered_by`` say so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import ContractEventKind, EventSource
from weibao.contracts.models.contract import Contract
from weibao.core.models import TimestampedModel

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["ContractEvent"]


class ContractEvent(TimestampedModel):
    """合同事件: one dated fact; at most one per kind (per year for budgets, per deliverable)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=30, choices=ContractEventKind.choices)
    occurred_on = models.DateField(_("date"))
    factor = models.DecimalField(
        _("assessment factor (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("The share of the contract amount the assessment result pays, e.g. 90."),
    )
    score = models.DecimalField(
        _("assessment score"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("With the contract's factor bands, the score gives the factor."),
    )
    rating = models.CharField(
        _("assessment rating"), max_length=20, blank=True,
        help_text=_("E.g. 优秀, 良好, 一般; with the contract's factor bands it gives the factor."),
    )
    penalties = models.DecimalField(
        _("penalties (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    amount = models.DecimalField(
        _("approved budget (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    year = models.PositiveSmallIntegerField(_("budget year"), null=True, blank=True)
    deliverable = models.CharField(_("deliverable code"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=EventSource.choices,
                              default=EventSource.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("E.g. the score and the band it falls in."))

    class Meta:
        ordering = ["contract", "occurred_on", "id"]
        verbose_name = _("contract event")
        verbose_name_plural = _("contract events")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind"], name="contract_event_once",
                condition=models.Q(kind__in=[ContractEventKind.FINAL_ASSESSMENT,
                                             ContractEventKind.FINAL_ACCEPTANCE]),
            ),
            models.UniqueConstraint(
                fields=["contract", "year"], name="contract_event_budget_per_year",
                condition=models.Q(kind=ContractEventKind.APPROVED_BUDGET),
            ),
            models.UniqueConstraint(
                fields=["contract", "deliverable"], name="contract_event_deliverable_once",
                condition=models.Q(kind=ContractEventKind.DELIVERABLE_ACCEPTED),
            ),
        ]

    def __str__(self) -> str:
        detail = self.deliverable or (str(self.year) if self.year else "")
        return f"{self.get_kind_display()} {detail} {self.occurred_on}".replace("  ", " ")

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)
