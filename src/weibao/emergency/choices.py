"""Choices of the emergency domain (EMG-01..04): drills, security incidents, major periods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["DisposalPlanStatus", "DrillStatus", "DrillSystems", "IncidentPhase", "PeriodKind",
           "Term"]


class DrillSystems(models.TextChoices):
    """Which of the contract's information systems a drill rule covers (EMG-02)."""

    IMPORTANT = "important", _("important systems")
    OTHERS = "others", _("other systems")
    ALL = "all", _("all systems")


class Term(models.TextChoices):
    """The span in which a rule's drills are counted."""

    TERM = "term", _("per service term")
    YEAR = "year", _("per contract year")


class DrillStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("drill", "scheduled")
    HELD = "held", pgettext_lazy("drill", "held")
    MISSED = "missed", pgettext_lazy("drill", "missed")
    LATE = "late", pgettext_lazy("drill", "held late")


class IncidentPhase(models.TextChoices):
    """EMG-03 [001 L134, 002 §9.1.1]: the phases in their only order."""

    PREPARATION = "preparation", pgettext_lazy("incident phase", "preparation")
    ASSESSMENT = "assessment", pgettext_lazy("incident phase", "assessment")
    CONTAINMENT = "containment", pgettext_lazy("incident phase", "containment")
    ERADICATION = "eradication", pgettext_lazy("incident phase", "eradication")
    SUMMARY = "summary", pgettext_lazy("incident phase", "summary")
    CLOSED = "closed", pgettext_lazy("incident", "closed")


class DisposalPlanStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("disposal plan", "not submitted")
    SUBMITTED = "submitted", pgettext_lazy("disposal plan", "awaiting approval")
    APPROVED = "approved", pgettext_lazy("disposal plan", "approved")
    REJECTED = "rejected", pgettext_lazy("disposal plan", "rejected")


class PeriodKind(models.TextChoices):
    """EMG-04 [002 §3.7, 001 L102]: 重大活动 / 节假日."""

    HOLIDAY = "holiday", _("holiday")
    EVENT = "event", _("major event")
    OTHER = "other", pgettext_lazy("period", "other")
