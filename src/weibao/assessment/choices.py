"""Choices of the assessment domain: schemes, metrics, the breach ledger and the assessment
cycle (ASM-01..06, PAY-03)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["AssessmentStatus", "BreachSource", "BreachStatus", "Comparison", "LineStatus",
           "Method", "Metric", "Scoring"]


class Method(models.TextChoices):
    """How a contract's assessment reaches its payment factor."""

    SCORE = "score", _("weighted score")            # ASM-01 [001 第一条四]
    CRITERIA = "criteria", _("criteria met")        # ASM-02 [002 §6.1]
    LEDGER = "ledger", _("breach ledger only")      # ASM-03 [000 第七条]


class Metric(models.TextChoices):
    """What an item measures: computed from the records, or entered by a named person with a
    proof (MANUAL)."""

    MANUAL = "manual", _("entered by hand with a proof")
    STAGE_ATTAINMENT = "stage_attainment", _("SLA stage attained on time")
    RESPONSE_WITHIN = "response_within", _("fault response within N minutes")
    RESOLVED_WITHIN = "resolved_within", _("tickets processed within N working days")
    REQUIREMENT_RESPONDED = "requirement_responded", _("requirements responded within N "
                                                       "working days")
    COMPLETION_RATE = "completion_rate", _("completion rate")
    SATISFACTION_RATE = "satisfaction_rate", _("satisfaction rate")
    INSPECTION_COVERAGE = "inspection_coverage", _("inspection coverage")
    DELIVERABLES_ON_TIME = "deliverables_on_time", _("deliverables on time")
    BREACH_COUNT = "breach_count", _("breaches")
    KPI = "kpi", _("SLA period KPI")
    ATTENDANCE_RATE = "attendance_rate", _("attendance rate of resident staff")


class Scoring(models.TextChoices):
    """ASM-01: how a weighted item's metric becomes points."""

    MANUAL = "manual", _("points entered by the purchaser")
    PROPORTIONAL = "proportional", _("points × the rate")


class Comparison(models.TextChoices):
    """ASM-02: how a criterion compares its metric with its threshold."""

    GT = "gt", _("more than")
    GE = "ge", _("at least")
    LT = "lt", _("less than")
    LE = "le", _("at most")
    EQ = "eq", _("equal to")


class BreachSource(models.TextChoices):
    SLA = "sla", _("SLA stage missed")
    INSPECTION = "inspection", _("inspection missed")
    DELIVERABLE = "deliverable", _("report late or missing")
    DRILL = "drill", _("emergency drill missed")
    OTHER = "other", _("other penalty by clause")


class BreachStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("breach", "recorded")
    DISPUTED = "disputed", pgettext_lazy("breach", "disputed")
    WAIVED = "waived", pgettext_lazy("breach", "waived")
    CONFIRMED = "confirmed", pgettext_lazy("breach", "confirmed")


class AssessmentStatus(models.TextChoices):
    """ASM-06: computed → the vendor reviews → the purchaser confirms → the supervisor
    decides disputes → final."""

    DRAFT = "draft", pgettext_lazy("assessment", "draft")
    VENDOR_REVIEWED = "vendor_reviewed", pgettext_lazy("assessment", "reviewed by the vendor")
    CONFIRMED = "confirmed", pgettext_lazy("assessment", "confirmed by the purchaser")
    FINAL = "final", pgettext_lazy("assessment", "final")


class LineStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment item", "open")
    AGREED = "agreed", pgettext_lazy("assessment item", "agreed")
    DISPUTED = "disputed", pgettext_lazy("assessment item", "disputed")
    DECIDED = "decided", pgettext_lazy("assessment item", "decided by the supervisor")
