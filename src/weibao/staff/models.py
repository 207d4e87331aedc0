"""The team of a contract (STF-01), its certificates (STF-02) and duty shifts (值班, STF-04)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.staff.choices import StaffRole


class Member(TimestampedModel):
    """A person on a contract's team, linked to a user account when they have one."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="staff",
                                 verbose_name=_("contract"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="staff_memberships",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices,
                            default=StaffRole.ENGINEER)
    resident = models.BooleanField(_("resident (驻场)"), default=False)
    starts_on = models.DateField(_("on the contract from"))
    ends_on = models.DateField(_("on the contract until"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["contract", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")),
                                   name="staff_member_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(TimestampedModel):
    """A qualification certificate of a member, e.g. 麒麟操作系统认证, with its expiry."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="certificates",
                               verbose_name=_("member"))
    name = models.CharField(_("certificate"), max_length=100)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["member", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class DutyShift(TimestampedModel):
    """A user on duty for a contract between two moments (值班计划, 7×24)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE,
                                 related_name="duty_shifts", verbose_name=_("contract"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="duty_shifts", verbose_name=_("user"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["contract", "starts_at", "pk"]
        indexes = [models.Index(fields=["contract", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="staff_duty_shift_ordered"),
        ]


class StaffingRule(models.Model):
    """A minimum count of a contract's team from the spec's ``staffing`` section (STF-01)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE,
                                 related_name="staffing_rules", verbose_name=_("contract"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=100)
    minimum = models.PositiveIntegerField(_("minimum"))
    resident = models.BooleanField(_("resident only"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices, blank=True)
    certificate = models.CharField(_("certificate contains"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staffing rule")
        verbose_name_plural = _("staffing rules")
        ordering = ["contract", "position", "pk"]

    def __str__(self) -> str:
        return f"≥{self.minimum} {self.label}"
