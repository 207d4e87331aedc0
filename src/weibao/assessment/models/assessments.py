"""An assessment of a period (ASM-06) and its lines, one per item of the scheme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.choices import AssessmentStatus, LineStatus
from weibao.assessment.models.schemes import AssessmentItem
from weibao.sites.models import ContractOwned

__all__ = ["Assessment", "AssessmentLine"]


class Assessment(ContractOwned):
    """考核: the metrics of a period, the vendor's review, the purchaser's confirmation, the
    supervisor's decisions, and the result (score or grade, factor, penalties). A draft is
    recomputed from the records on request; a final one is frozen — ``snapshot`` holds every
    input and figure, ``digest`` its SM3 digest — and is never recomputed. The final assessment
    of the whole service period (``is_final``) records the contract's final-assessment event,
    which prices the contract (PAY-03)."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    is_final = models.BooleanField(
        _("final assessment of the contract"), default=False,
        help_text=_("PAY-03: its result decides the final contract price."))
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True,
                                blank=True)
    criteria_met = models.PositiveSmallIntegerField(_("criteria met"), null=True, blank=True)
    rating = models.CharField(pgettext_lazy("assessment", "rating"), max_length=20, blank=True)
    factor = models.DecimalField(pgettext_lazy("assessment", "factor (%)"), max_digits=5,
                                 decimal_places=2, null=True, blank=True)
    breach_count = models.PositiveIntegerField(_("breaches"), default=0)
    penalties = models.DecimalField(_("penalties (yuan)"), max_digits=14, decimal_places=2,
                                    default=0)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("finalised by"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    digest = models.CharField(_("digest"), max_length=128, blank=True)
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=20, blank=True)
    contract_event = models.ForeignKey("contracts.ContractEvent",
                                       verbose_name=_("contract event"),
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["contract", "-period_end", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = [("review_assessment", _("Can comment on an assessment's items")),
                       ("confirm_assessment", _("Can confirm an assessment")),
                       ("decide_assessment", _("Can decide an assessment's disputed items"))]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period_start", "period_end"],
                                    name="assessment_period_unique"),
            models.UniqueConstraint(fields=["contract"], condition=models.Q(is_final=True),
                                    name="assessment_one_final"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="assessment_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.period_start} – {self.period_end}"

    @property
    def frozen(self) -> bool:
        return self.status == AssessmentStatus.FINAL


class AssessmentLine(models.Model):
    """One item of one assessment: the metric's value and its evidence (``numerator`` of
    ``denominator`` records), the points or whether the criterion is met, the manual entry
    with its proof, the vendor's comment, the purchaser's note and the supervisor's
    decision."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"),
                                   on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(AssessmentItem, verbose_name=_("assessment item"),
                             on_delete=models.PROTECT, related_name="lines")
    value = models.DecimalField(pgettext_lazy("assessment", "value"), max_digits=14,
                                decimal_places=4, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    manual = models.BooleanField(_("entered by hand"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    proof = models.FileField(_("proof"), upload_to="assessment-proof/%Y/%m/", blank=True)
    proof_note = models.TextField(_("how it was established"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True,
                                 blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=LineStatus.choices,
                              default=LineStatus.OPEN)
    vendor_comment = models.TextField(_("vendor's comment"), blank=True)
    purchaser_note = models.TextField(_("purchaser's note"), blank=True)
    decision = models.TextField(_("supervisor's decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "item__sequence"]
        verbose_name = _("assessment line")
        verbose_name_plural = _("assessment lines")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"],
                                               name="assessment_line_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.item_id}"
