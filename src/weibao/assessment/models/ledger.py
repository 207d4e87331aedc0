"""The breach ledger (违约记录, ASM-03/04, SLA-10, EMG-02): every breach of the contract — an
SLA stage missed, a visit missed, a report late or missing, a drill missed, a penalty by
clause — with its evidence, its penalty and its status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.choices import BreachSource, BreachStatus
from weibao.assessment.models.schemes import PenaltyRule
from weibao.sites.models import ContractOwned

__all__ = ["Breach"]


class Breach(ContractOwned):
    """One breach. A breach from the records points at its evidence (the SLA alert of the
    ticket's stage, the missed visit, the late submission, the missed drill) and is entered
    once however often the ledger is synchronised; a penalty by clause points at its rule.
    Waiving keeps the row and drops its penalty from the sum; only ``confirmed`` and
    ``recorded`` count."""

    source = models.CharField(pgettext_lazy("assessment", "source"), max_length=20,
                              choices=BreachSource.choices)
    sla_alert = models.OneToOneField("tickets.SlaAlert", verbose_name=_("SLA alert"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="ledger_entry")
    visit = models.OneToOneField("maintenance.Visit", verbose_name=_("visit"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="ledger_entry")
    submission = models.OneToOneField("reports.Submission", verbose_name=_("report"),
                                      on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="ledger_entry")
    drill = models.OneToOneField("emergency.Drill", verbose_name=_("drill"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="ledger_entry")
    penalty_rule = models.ForeignKey(PenaltyRule, verbose_name=_("penalty rule"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="breaches")
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    description = models.CharField(_("description"), max_length=300)
    penalty_percent = models.DecimalField(_("penalty (% of the contract)"), max_digits=6,
                                          decimal_places=3, null=True, blank=True)
    penalty_amount = models.DecimalField(_("penalty (yuan)"), max_digits=14, decimal_places=2,
                                         default=0)
    status = models.CharField(_("status"), max_length=20, choices=BreachStatus.choices,
                              default=BreachStatus.RECORDED)
    reason = models.TextField(_("reason"), blank=True,
                              help_text=_("Why it is disputed, waived or applied."))
    evidence = models.FileField(_("proof"), upload_to="breach-evidence/%Y/%m/", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["contract", "-occurred_at", "-pk"]
        verbose_name = pgettext_lazy("assessment", "breach")
        verbose_name_plural = _("breaches")
        permissions = [("dispute_breach", _("Can dispute a breach")),
                       ("waive_breach", _("Can waive or confirm a breach")),
                       ("decide_breach", _("Can decide a disputed breach"))]
        indexes = [models.Index(fields=["contract", "status", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                name="breach_one_source",
                condition=(
                    models.Q(source=BreachSource.SLA, sla_alert__isnull=False, visit=None,
                             submission=None, drill=None, penalty_rule=None)
                    | models.Q(source=BreachSource.INSPECTION, visit__isnull=False,
                               sla_alert=None, submission=None, drill=None,
                               penalty_rule=None)
                    | models.Q(source=BreachSource.DELIVERABLE, submission__isnull=False,
                               sla_alert=None, visit=None, drill=None, penalty_rule=None)
                    | models.Q(source=BreachSource.DRILL, drill__isnull=False,
                               sla_alert=None, visit=None, submission=None,
                               penalty_rule=None)
                    | models.Q(source=BreachSource.OTHER, penalty_rule__isnull=False,
                               sla_alert=None, visit=None, submission=None, drill=None))),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def counts(self) -> bool:
        """A waived breach stays in the ledger but neither counts nor costs."""
        return self.status != BreachStatus.WAIVED
