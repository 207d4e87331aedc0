"""Choices of the spare-parts domain (SPR-01..04)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ComplianceStatus", "Condition", "MovementKind", "ReferenceKind"]


class Condition(models.TextChoices):
    """State of a part in stock: only new (全新) parts may be issued (SPR-02, 004 7.2.14)."""

    NEW = "new", _("new")
    FAULTY = "faulty", _("faulty")


class MovementKind(models.TextChoices):
    RECEIVE = "receive", _("receive")
    ISSUE = "issue", _("issue")
    RETURN_FAULTY = "return_faulty", _("return faulty part")
    SCRAP = "scrap", _("scrap")
    TRANSFER_OUT = "transfer_out", _("transfer out")
    TRANSFER_IN = "transfer_in", _("transfer in")
    ADJUSTMENT = "adjustment", _("adjustment")
    STANDBY_RETURN = "standby_return", _("standby unit returned")


class ReferenceKind(models.TextChoices):
    """What a movement was for: tickets and inspection visits call the services later."""

    NONE = "", _("none")
    TICKET = "ticket", _("ticket")
    VISIT = "visit", _("inspection visit")
    STANDBY = "standby", _("standby unit loan")
    OTHER = "other", _("other")


class ComplianceStatus(models.TextChoices):
    OK = "ok", _("sufficient")
    SHORT = "short", _("shortfall")
    NONE_REQUIRED = "none", _("no requirement")
