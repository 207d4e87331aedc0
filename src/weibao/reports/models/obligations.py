"""What must be delivered and when: the contract spec's ``deliverables`` section (RPT-01..06)
and the Word templates an administrator can replace with their own format (RPT-07)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.reports.choices import Cadence, Covers, DelayUnit, TriggerKind
from weibao.sites.models import CODE_HELP, ContractOwned

__all__ = ["Deliverable", "ReportTemplate"]


class ReportTemplate(TimestampedModel):
    """A Word (docxtpl) template. Without a contract it is a default every contract may use;
    with one it belongs to that contract. weibao ships built-in templates; an administrator
    uploads one in the purchaser's own format to replace them."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="+")
    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("Word template"), upload_to="report-templates/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="report_template_code_unique"),
                       models.UniqueConstraint(fields=["code"],
                                               condition=models.Q(contract__isnull=True),
                                               name="report_template_default_code_unique")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}


class Deliverable(ContractOwned):
    """交付物: a report the vendor owes — how often, which period it covers, when it is due,
    what it contains, who accepts it, and whether a late or missing one is a breach.

    Due rules: weekly → ``due_weekday`` (1 = Monday) of the week after the covered week (or of
    the same week); monthly → ``due_day`` of the month after the covered month (or of the same
    month); quarterly, half-yearly and yearly → ``due_after_amount`` ``due_after_unit`` after
    the period ends; after_event → ``due_after_amount`` ``due_after_unit`` after the trigger.
    ``due_exclusive``: "before Tuesday" (每周二前) — due at the start of that day, not its end.
    """

    code = models.CharField(_("code"), max_length=40, help_text=CODE_HELP)
    name = models.CharField(_("name"), max_length=200)
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices)
    covers = models.CharField(_("covers"), max_length=20, choices=Covers.choices,
                              default=Covers.PREVIOUS)
    due_weekday = models.PositiveSmallIntegerField(
        _("due weekday"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)], help_text=_("1 = Monday."))
    due_day = models.PositiveSmallIntegerField(
        _("due day of the month"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)])
    due_exclusive = models.BooleanField(
        _("due before that day"), default=False,
        help_text=_("Due at the start of the day (\"before Tuesday\") instead of its end."))
    due_after_amount = models.PositiveSmallIntegerField(_("due after"), null=True, blank=True)
    due_after_unit = models.CharField(_("unit"), max_length=20, choices=DelayUnit.choices,
                                      blank=True)
    trigger = models.CharField(_("triggered by"), max_length=20, choices=TriggerKind.choices,
                               blank=True)
    trigger_plan = models.ForeignKey("maintenance.MaintenancePlan",
                                     verbose_name=_("maintenance plan"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="deliverables")
    trigger_ticket_type = models.ForeignKey("tickets.TicketType", verbose_name=_("ticket type"),
                                            on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="deliverables")
    sections = models.JSONField(_("sections"), default=list, blank=True,
                                help_text=_("The parts of the generated report, in order."))
    template = models.ForeignKey(ReportTemplate, verbose_name=_("Word template"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="deliverables")
    accepted_by = models.CharField(_("accepted by"), max_length=20, default="purchaser_staff",
                                   help_text=_("The role that accepts or returns it."))
    review_working_days = models.PositiveSmallIntegerField(
        _("review within (working days)"), null=True, blank=True,
        help_text=_("RPT-03: the purchaser assesses within this many working days."))
    late_is_breach = models.BooleanField(_("a late or missing submission is a breach"),
                                         default=False)
    penalty_percent = models.DecimalField(
        _("penalty per breach (% of the contract)"), max_digits=6, decimal_places=3,
        null=True, blank=True)
    clause = models.TextField(_("contract clause"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="deliverable_code_unique")]

    def __str__(self) -> str:
        return self.name
