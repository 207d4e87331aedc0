"""Choices of the maintenance domain: plans, checklist items and visits (PM-01..09)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["DayRule", "Frequency", "ItemKind", "PlanScope", "SignatureRule",
           "VisitStatus"]


class Frequency(models.TextChoices):
    """How often a plan's visit falls due; each visit counts within its window."""

    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")
    BEFORE_EVENT = "before_event", _("the day before a major event")
    ON_DEMAND = "on_demand", _("when arranged (no fixed cadence)")


class DayRule(models.TextChoices):
    """Which days a daily plan runs on."""

    EVERY_DAY = "every_day", _("every day")
    WORKING_DAYS = "working_days", _("working days")


class PlanScope(models.TextChoices):
    """What one visit covers."""

    SITE = "site", _("one visit per site")
    ASSET = "asset", _("one visit per asset")
    CONTRACT = "contract", _("one check for the contract (a system check, no site)")


class ItemKind(models.TextChoices):
    PASS_FAIL = "pass_fail", _("pass / fail")
    NUMBER = "number", pgettext_lazy("checklist item kind", "number")
    CHOICE = "choice", _("choice")
    TEXT = "text", _("text")
    PHOTO = "photo", _("photo")
    ASSET_VERIFICATION = "asset_verification", _("asset verification")


class SignatureRule(models.TextChoices):
    """Who signs the maintenance sheet at the end of a visit (PM-02)."""

    NONE = "none", _("no signature")
    SITE_STAFF = "site_staff", _("the site's staff")
    PURCHASER = "purchaser", _("the purchaser")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")

