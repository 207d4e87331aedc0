"""A contract's service levels (SLA-01..10): the data the SLA clocks are computed from.

Everything here is imported from the contract spec's ``service_levels`` section; the rules of
one contract are rows, never constants in code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.sla.choices import ClockEvent, FaultScope, TimeUnit, TimeWindow

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["FaultLevel", "SlaPolicy", "SlaStage", "SlaTarget"]


class SlaPolicy(TimestampedModel):
    """服务水平: one per contract."""

    contract = models.OneToOneField(Contract, verbose_name=_("contract"),
                                    on_delete=models.CASCADE, related_name="sla_policy")
    calendar = models.CharField(
        _("working calendar"), max_length=60,
        help_text=_("Code of the calendar that working units count in."))
    warning_at = models.DecimalField(
        _("warn at"), max_digits=4, decimal_places=3, default=Decimal("0.750"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.999"))],
        help_text=_("Share of the target used up when a warning is raised (SLA-10)."))
    pause_states = models.JSONField(
        _("states that pause the clocks"), default=list, blank=True,
        help_text=_("SLA-09: clocks pause only in these states."))
    level_calendar = models.CharField(
        _("fault level window calendar"), max_length=60, blank=True,
        help_text=_("Calendar whose working hours decide the fault level window (SLA-02)."))
    penalty_percent = models.DecimalField(
        _("default penalty per breach (percent of amount)"), max_digits=5, decimal_places=2,
        null=True, blank=True)

    class Meta:
        verbose_name = _("service level policy")
        verbose_name_plural = _("service level policies")

    def __str__(self) -> str:
        return f"{self.contract.number}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class FaultLevel(models.Model):
    """故障级别 (SLA-02): the level a fault gets from its time window and scope."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    scope = models.CharField(_("scope"), max_length=20, choices=FaultScope.choices)
    window = models.CharField(_("time window"), max_length=20, choices=TimeWindow.choices)

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("fault level")
        verbose_name_plural = _("fault levels")
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="level_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.policy.contract_id}


class SlaStage(models.Model):
    """A clock: from a start event to a stop event (respond, on-site arrival, restore …)."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    start_event = models.CharField(_("starts at"), max_length=30, choices=ClockEvent.choices)
    stop_event = models.CharField(_("stops at"), max_length=30, choices=ClockEvent.choices)
    every = models.BooleanField(
        _("recurring"), default=False,
        help_text=_("While the stage runs, an update is due every interval of its target "
                    "(e.g. progress reported every 30 minutes)."))

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("SLA stage")
        verbose_name_plural = _("SLA stages")
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="stage_unique")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.policy.contract_id}


class SlaTarget(models.Model):
    """A target for a stage, selected by a rule on ticket attributes."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.ForeignKey(SlaStage, on_delete=models.CASCADE, related_name="targets")
    when = models.JSONField(_("applies when"), default=dict, blank=True,
                            help_text=_("Attribute → value or list of values; empty = always."))
    priority = models.SmallIntegerField(_("priority"), default=0)
    amount = models.DecimalField(_("within"), max_digits=8, decimal_places=3,
                                 validators=[MinValueValidator(Decimal("0"))],
                                 help_text=_("With a clock time: whole days after the start's "
                                             "day (0 = the same day)."))
    due_time = models.TimeField(
        _("due at clock time"), null=True, blank=True,
        help_text=_("A deadline at a clock time (次日 10:00 前): the amount is whole days in "
                    "the unit (calendar or working days)."))
    unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    calendar = models.CharField(_("calendar"), max_length=60, blank=True,
                                help_text=_("Empty: the policy's calendar."))
    penalty_percent = models.DecimalField(
        _("penalty per breach (percent of amount)"), max_digits=5, decimal_places=2, null=True,
        blank=True)
    clause = models.CharField(_("clause as written"), max_length=300, blank=True)
    kpi_percent = models.DecimalField(
        _("KPI: share of tickets on time (percent)"), max_digits=5, decimal_places=2,
        null=True, blank=True,
        help_text=_("Set for a period KPI (SLA-05): a late ticket counts toward the rate and "
                    "is not a breach."))
    kpi_inclusive = models.BooleanField(
        _("KPI: at least (≥) rather than above (>)"), default=False)

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        return f"{self.stage.name}: {self.amount} {self.unit}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.policy.contract_id}
