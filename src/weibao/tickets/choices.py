"""Choices of the tickets domain (TKT-01..09)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AlertKind",
    "ChangeDecision",
    "Channel",
    "ClaimStatus",
    "Priority",
    "ReportStatus",
    "TicketCategory",
    "TicketState",
]


class TicketState(models.TextChoices):
    """TKT-04: the lifecycle; the legal moves are in ``weibao.tickets.workflow``."""

    REPORTED = "reported", _("reported")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    REMOTE = "remote", _("remote attempt")
    ONSITE_REQUESTED = "onsite_requested", _("on-site requested")
    EN_ROUTE = "en_route", _("engineer en route")
    ARRIVED = "arrived", _("arrived on site")
    RESTORED = "restored", _("restored")
    REPORT_SUBMITTED = "report_submitted", _("fault report submitted")
    VERIFIED = "verified", _("verified by purchaser")
    CLOSED = "closed", _("closed")

    @classmethod
    def open_states(cls) -> list[str]:
        return [s.value for s in cls if s not in (cls.CLOSED,)]


class Channel(models.TextChoices):
    """TKT-01: how the report arrived."""

    PHONE = "phone", _("phone")
    REMOTE = "remote", _("remote support")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    ONSITE = "onsite", _("on site")
    WEB = "web", _("web portal")
    API = "api", _("API")


class TicketCategory(models.TextChoices):
    """TKT-02: what a contract's ticket type is, so weibao knows which steps apply."""

    FAULT = "fault", _("fault repair (故障报修)")
    SERVICE_REQUEST = "service_request", _("service request")
    REQUIREMENT_CHANGE = "requirement_change", _("requirement change (需求变更)")
    SECURITY_INCIDENT = "security_incident", _("security incident")
    OTHER = "other", _("other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high (raised by the purchaser)")


class AlertKind(models.TextChoices):
    """SLA-10: a warning before a breach, and the breach itself."""

    WARNING = "warning", _("warning")
    BREACH = "breach", _("breach")


class ClaimStatus(models.TextChoices):
    """A time a vendor claims for its own step, earlier than the backdating tolerance: the SLA
    counts the entry time until the purchaser confirms the claim."""

    NONE = "", _("no confirmation needed")
    PENDING = "pending", _("awaiting the purchaser's confirmation")
    CONFIRMED = "confirmed", _("confirmed by the purchaser")
    REJECTED = "rejected", _("rejected by the purchaser")


class ReportStatus(models.TextChoices):
    """TKT-06: the fault report's review."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ChangeDecision(models.TextChoices):
    """TKT-08: whether a requirement change is inside the contract."""

    PENDING = "pending", _("pending")
    INCLUDED = "included", _("included in the contract")
    EXTRA = "extra", _("outside the contract (extra cost)")
    REJECTED = "rejected", _("rejected")
