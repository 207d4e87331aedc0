"""Security incidents (信息安全事件, EMG-03 [001 L134, 002 §9.1.1]) and major periods (重大活动
/节假日保障, EMG-04 [002 §3.7, 001 L102])."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.emergency.choices import DisposalPlanStatus, IncidentPhase, PeriodKind
from weibao.sites.models import ContractOwned

__all__ = ["DutyAssignment", "MajorPeriod", "PeriodReport", "SecurityIncident"]


class SecurityIncident(ContractOwned):
    """One security incident, reported first to a named person of the purchaser
    (``reported_to``), then worked through the phases in order. Eradication waits for the
    purchaser's approval of the disposal plan; closing needs the summary report filed."""

    number = models.CharField(_("number"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="security_incidents")
    system = models.ForeignKey("assets.Asset", verbose_name=_("system"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="security_incidents")
    discovered_at = models.DateTimeField(_("discovered at"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                    on_delete=models.PROTECT, related_name="+")
    reported_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported to"),
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text=_("The purchaser's responsible person."))
    description = models.TextField(_("description"))
    phase = models.CharField(_("phase"), max_length=20, choices=IncidentPhase.choices,
                             default=IncidentPhase.PREPARATION)
    # The notes of each phase, written while it is the current phase.
    preparation_notes = models.TextField(_("preparation"), blank=True)
    assessment_notes = models.TextField(_("cause and impact"), blank=True)
    containment_notes = models.TextField(_("containment"), blank=True)
    eradication_notes = models.TextField(_("eradication"), blank=True)
    disposal_plan = models.TextField(_("disposal plan"), blank=True)
    plan_status = models.CharField(_("disposal plan"), max_length=20,
                                   choices=DisposalPlanStatus.choices,
                                   default=DisposalPlanStatus.NONE)
    plan_submitted_at = models.DateTimeField(_("plan submitted at"), null=True, blank=True)
    plan_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                        verbose_name=_("plan decided by"),
                                        on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    plan_decided_at = models.DateTimeField(_("plan decided at"), null=True, blank=True)
    plan_reason = models.TextField(_("reason"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    report = models.FileField(_("incident report"), upload_to="incidents/%Y/%m/", blank=True)
    report_filed_at = models.DateTimeField(_("report filed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["contract", "-reported_at", "-pk"]
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")
        permissions = [("work_securityincident", _("Can work a security incident")),
                       ("approve_disposal_plan", _("Can approve a disposal plan"))]
        constraints = [models.UniqueConstraint(fields=["contract", "number"],
                                               name="emergency_incident_number")]
        indexes = [models.Index(fields=["contract", "phase", "reported_at"],
                                name="emergency_incident_phase")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class MajorPeriod(ContractOwned):
    """A holiday or major event (重大活动) with on-site duty and its security reports."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "-starts_on", "pk"]
        verbose_name = _("major period")
        verbose_name_plural = _("major periods")
        constraints = [models.CheckConstraint(condition=models.Q(
            ends_on__gte=models.F("starts_on")), name="emergency_period_order")]

    def __str__(self) -> str:
        return self.name


class DutyAssignment(ContractOwned):
    """One person on site on one day of a major period (现场值守)."""

    period = models.ForeignKey(MajorPeriod, verbose_name=_("major period"),
                               on_delete=models.CASCADE, related_name="duties")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.PROTECT, related_name="emergency_duties")
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=60, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["period", "day", "pk"]
        verbose_name = _("on-site duty")
        verbose_name_plural = _("on-site duties")
        constraints = [models.UniqueConstraint(fields=["period", "user", "day", "shift"],
                                               name="emergency_duty_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.user}"


class PeriodReport(ContractOwned):
    """A security report (安全保障报告) filed for a major period."""

    period = models.ForeignKey(MajorPeriod, verbose_name=_("major period"),
                               on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    document = models.FileField(_("document"), upload_to="major-periods/%Y/%m/", blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"),
                                 on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["period", "-filed_at", "pk"]
        verbose_name = _("security report")
        verbose_name_plural = _("security reports")

    def __str__(self) -> str:
        return self.title
