"""Choices of the staff app (STF-01)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    PROJECT_MANAGER = "project_manager", _("Project manager")
    DESIGN_ENGINEER = "design_engineer", _("Design engineer")
    ENGINEER = "engineer", _("Engineer")
    EXPERT = "expert", _("Expert group member")


class Education(models.TextChoices):
    """Highest education, in ascending order (STF-02: 本科以上学历 in seed 001)."""

    NONE = "", _("not given")
    SECONDARY = "secondary", _("secondary school")
    COLLEGE = "college", _("college (大专)")
    BACHELOR = "bachelor", _("bachelor (本科)")
    MASTER = "master", _("master")
    DOCTOR = "doctor", _("doctorate")


EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values)}


class DocumentKind(models.TextChoices):
    """The papers a purchaser checks for each person (STF-02, STF-03)."""

    ID_COPY = "id_copy", _("ID card copy")
    EDUCATION = "education", _("education certificate")
    CERTIFICATE = "certificate", _("qualification certificate")
    SOCIAL_INSURANCE = "social_insurance", _("social-insurance payment proof")
    NO_CRIMINAL_RECORD = "no_criminal_record", _("no-criminal-record certificate")
    SECURITY_EXAM = "security_exam", _("security training exam")
    CONFIDENTIALITY = "confidentiality", _("confidentiality commitment")
    OTHER = "other", _("other")


class AttendanceStatus(models.TextChoices):
    """A resident's working day (STF-04). PRESENT and SUBSTITUTED count as attended."""

    PRESENT = "present", _("present")
    SUBSTITUTED = "substituted", _("on leave, substitute present")
    LEAVE = "leave", _("on leave")
    ABSENT = "absent", _("absent")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTED)


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the purchaser")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class ChangeStatus(models.TextChoices):
    """A personnel change (STF-05): requested in writing, decided by the purchaser, then
    handed over."""

    REQUESTED = "requested", _("awaiting the purchaser")
    APPROVED = "approved", _("approved, handover running")
    REFUSED = "refused", _("refused")
    COMPLETED = "completed", _("completed")
