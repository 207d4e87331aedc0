"""The team of a contract (STF-01), its certificates, personal data and papers (STF-02/03),
duty shifts (值班) and attendance of residents (STF-04), and personnel changes (STF-05)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.fields import EncryptedCharField
from weibao.core.models import TimestampedModel
from weibao.staff.choices import (
    AttendanceStatus,
    ChangeStatus,
    CorrectionStatus,
    DocumentKind,
    Education,
    StaffRole,
)


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
    education = models.CharField(_("education at least"), max_length=20,
                                 choices=Education.choices, blank=True)

    class Meta:
        verbose_name = _("staffing rule")
        verbose_name_plural = _("staffing rules")
        ordering = ["contract", "position", "pk"]

    def __str__(self) -> str:
        return f"≥{self.minimum} {self.label}"


class PersonalData(models.Model):
    """A member's personal data (STF-02, PLT-02): ID number and phone encrypted at rest and
    masked on screen for anyone but the purchaser and the member's own organisation."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="personal",
                                  verbose_name=_("member"))
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices,
                                 blank=True)
    major = models.CharField(_("major"), max_length=60, blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True,
                                                        blank=True)

    class Meta:
        verbose_name = _("personal data")
        verbose_name_plural = _("personal data")

    def __str__(self) -> str:
        return str(self.member)


class MemberDocument(TimestampedModel):
    """A paper of a member: ID copy, social-insurance proof for a month, no-criminal-record
    certificate, confidentiality commitment … (STF-02, STF-03). Visible only to the purchaser
    and the member's own organisation."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="documents",
                               verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="staff-documents/%Y/%m/")
    signed_on = models.DateField(_("signed or issued on"))
    covers_month = models.DateField(_("month covered"), null=True, blank=True,
                                    help_text=_("Social-insurance proof: the month paid."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        verbose_name = _("member document")
        verbose_name_plural = _("member documents")
        ordering = ["member", "kind", "-signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"


class AttendanceDay(models.Model):
    """One working day of a resident member (出勤, STF-04): checked in and out on the phone,
    or closed as absent / on leave when the day is over. Unique per member and day."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance",
                               verbose_name=_("member"))
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20, choices=AttendanceStatus.choices)
    check_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    substitute = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("substitute"))
    corrected = models.BooleanField(_("corrected"), default=False)

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["member", "day"]
        constraints = [models.UniqueConstraint(fields=["member", "day"],
                                               name="staff_attendance_once_a_day")]
        indexes = [models.Index(fields=["day", "member"])]

    def __str__(self) -> str:
        return f"{self.member} {self.day} {self.status}"


class Leave(TimestampedModel):
    """Leave of a member for whole days, with the substitute who covers the post."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="leaves",
                               verbose_name=_("member"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    substitute = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="substitutions", verbose_name=_("substitute"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["member", "starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                              name="staff_leave_ordered")]

    def __str__(self) -> str:
        return f"{self.member} {self.starts_on}–{self.ends_on}"


class AttendanceCorrection(TimestampedModel):
    """A vendor manager's correction of a day, with the reason, confirmed by the purchaser."""

    day = models.ForeignKey(AttendanceDay, on_delete=models.CASCADE, related_name="corrections",
                            verbose_name=_("attendance day"))
    status_to = models.CharField(_("corrected status"), max_length=20,
                                 choices=AttendanceStatus.choices)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("decision"), max_length=20, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-created_at", "pk"]
        permissions = [("confirm_attendancecorrection",
                        _("Can confirm or reject an attendance correction"))]

    def __str__(self) -> str:
        return f"{self.day} → {self.status_to}"


class PersonnelChange(TimestampedModel):
    """A change of a team member (STF-05): the written request, the replacement (checked to be
    no less qualified), the purchaser's decision and the handover period."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE,
                                 related_name="personnel_changes", verbose_name=_("contract"))
    leaving = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("leaving member"))
    replacement = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("replacement"))
    reason = models.TextField(_("reason"))
    demanded_by_purchaser = models.BooleanField(_("demanded by the purchaser"), default=False)
    request_letter = models.FileField(_("written request"), upload_to="staff-changes/%Y/%m/",
                                      blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices,
                              default=ChangeStatus.REQUESTED)
    effective_on = models.DateField(_("leaves on"))
    handover_from = models.DateField(_("handover from"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("personnel change")
        verbose_name_plural = _("personnel changes")
        ordering = ["-created_at", "pk"]
        permissions = [("decide_personnelchange", _("Can approve or refuse a personnel change"))]

    def __str__(self) -> str:
        return f"{self.leaving} → {self.replacement or '?'}"


class StaffingTerms(models.Model):
    """The contract's terms for personnel changes, from the spec's ``staffing.changes``
    (STF-05): days of on-site handover (≥20 in 001) and of written notice (30 in 002)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE,
                                    related_name="staffing_terms", verbose_name=_("contract"))
    handover_days = models.PositiveSmallIntegerField(_("handover days"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("notice days"), null=True, blank=True)

    class Meta:
        verbose_name = _("staffing terms")
        verbose_name_plural = _("staffing terms")

    def __str__(self) -> str:
        return str(self.contract)


class RequiredDocument(models.Model):
    """A paper each member must have, from the spec's ``staffing.documents`` (STF-02/03):
    within N working days of arrival (the confidentiality commitment in 001), or dated within
    the last N months (social-insurance proof in 000)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE,
                                 related_name="required_documents", verbose_name=_("contract"))
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    within_working_days = models.PositiveSmallIntegerField(
        _("within working days of arrival"), null=True, blank=True)
    within_months = models.PositiveSmallIntegerField(_("dated within the last months"),
                                                     null=True, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["contract", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
