"""Emergency plans (应急预案, EMG-01 [002 §9.1.1 1]) per system, with their versions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.sites.models import ContractOwned

__all__ = ["EmergencyPlan", "PlanVersion"]


class EmergencyPlan(ContractOwned):
    """One system's emergency plan (or the contract's, without a system). Its content lives
    in its versions; the plan keeps the current version's number and when it must next be
    reviewed (复审): a review date in the past shows the plan as overdue."""

    system = models.ForeignKey("assets.Asset", verbose_name=_("system"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="emergency_plans")
    title = models.CharField(_("title"), max_length=200)
    current_version = models.PositiveIntegerField(_("current version"), default=0)
    review_due = models.DateField(_("review due"), null=True, blank=True, db_index=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("row version"), default=1)

    class Meta:
        ordering = ["contract", "title", "pk"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        permissions = [("review_emergencyplan", _("Can record the review of an emergency plan"))]
        constraints = [models.UniqueConstraint(fields=["contract", "system"],
                                               condition=models.Q(system__isnull=False),
                                               name="emergency_plan_one_per_system")]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: datetime.date) -> bool:
        return self.review_due is not None and self.review_due < today


class PlanVersion(ContractOwned):
    """One issued version of a plan: the document and the sections 002 §9.1.1 1 names."""

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("emergency plan"),
                             on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.FileField(_("document"), upload_to="emergency-plans/%Y/%m/", blank=True)
    organisation = models.TextField(_("organisation"), blank=True,
                                    help_text=_("应急处置组织架构: who leads, who acts."))
    prevention = models.TextField(_("prevention schedule"), blank=True, help_text=_(
        "日常检查、隐患排查、风险评估、容灾备份: when and by whom."))
    response_levels = models.TextField(_("response levels"), blank=True, help_text=_(
        "预警响应方案: per level the responsible people, team, outside support, strategy "
        "and time target."))
    disposal = models.TextField(_("disposal procedure"), blank=True,
                                help_text=_("应急处置方案."))
    recovery = models.TextField(_("recovery procedure"), blank=True,
                                help_text=_("故障恢复预案."))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("emergency plan version")
        verbose_name_plural = _("emergency plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="emergency_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
