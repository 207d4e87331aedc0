"""The contract spec's ``assessment`` section: how a contract is assessed (ASM-01..05)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.choices import Comparison, Method, Metric, Scoring
from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.sites.models import CODE_HELP, ContractOwned

__all__ = ["AssessmentItem", "AssessmentScheme", "PenaltyRule"]

_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class AssessmentScheme(TimestampedModel):
    """考核办法: one per contract. ``method`` says how the result is reached — a weighted score
    (ASM-01), a count of criteria met mapped to a grade (ASM-02), or the breach ledger alone
    (ASM-03). The payment factor of a score or grade comes from the payment section's factor
    bands (PAY-03); this scheme does not repeat them."""

    contract = models.OneToOneField(Contract, verbose_name=_("contract"),
                                    on_delete=models.CASCADE, related_name="assessment_scheme")
    method = models.CharField(pgettext_lazy("assessment", "method"), max_length=20,
                              choices=Method.choices)
    total_points = models.DecimalField(_("total points"), max_digits=6, decimal_places=2,
                                       null=True, blank=True,
                                       help_text=_("ASM-01: the items' points add up to this."))
    grades = models.JSONField(
        _("grades"), default=list, blank=True,
        help_text=_("ASM-02: [{\"met\": 7, \"rating\": \"优秀\"}, …] — the rating of a count of "
                    "criteria met; a count below the lowest has no grade."))
    termination_breaches = models.PositiveSmallIntegerField(
        _("breaches that allow termination"), null=True, blank=True,
        help_text=_("ASM-03: at this many breaches the purchaser may terminate."))
    termination_penalty_percent = models.DecimalField(
        _("termination penalty (% of the contract)"), max_digits=6, decimal_places=3,
        null=True, blank=True, validators=_PERCENT)
    review_working_days = models.PositiveSmallIntegerField(
        _("assessed within (working days)"), null=True, blank=True,
        help_text=_("The purchaser completes the assessment within this many working days."))
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return f"{self.contract} · {self.get_method_display()}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}


class AssessmentItem(models.Model):
    """A weighted item (ASM-01: 日常维护 20 分) or a criterion (ASM-02: 运维工单 3 个工作日内
    处理率大于 95%). ``metric`` and ``params`` say what is measured; a weighted item's
    ``scoring`` turns it into points, a criterion compares it with ``threshold``."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("assessment scheme"),
                               on_delete=models.CASCADE, related_name="items")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    params = models.JSONField(
        _("metric parameters"), default=dict, blank=True,
        help_text=_("e.g. {\"stage\": \"respond\"}, {\"minutes\": 15}, {\"working_days\": 3, "
                    "\"ticket_types\": [\"fault\"]}, {\"plans\": [\"sbk-monthly\"]}."))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True,
                                 blank=True)
    scoring = models.CharField(_("scoring"), max_length=20, choices=Scoring.choices,
                               blank=True)
    comparison = models.CharField(_("comparison"), max_length=4, choices=Comparison.choices,
                                  blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=3,
                                    null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        ordering = ["scheme", "sequence"]
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"],
                                               name="assessment_item_code_unique")]

    def __str__(self) -> str:
        return self.name


class PenaltyRule(ContractOwned):
    """ASM-04: a penalty by clause that no record computes (未按时整改 20%, 虚假承诺 30%,
    安全违规 1–3%): the purchaser applies it to the ledger with a reason, within its range."""

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    min_percent = models.DecimalField(_("penalty from (% of the contract)"), max_digits=6,
                                      decimal_places=3, validators=_PERCENT)
    max_percent = models.DecimalField(_("penalty up to (% of the contract)"), max_digits=6,
                                      decimal_places=3, validators=_PERCENT)
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        ordering = ["contract", "code"]
        verbose_name = _("penalty rule")
        verbose_name_plural = _("penalty rules")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="penalty_rule_code_unique")]

    def __str__(self) -> str:
        return self.name
