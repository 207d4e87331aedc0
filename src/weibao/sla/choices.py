"""Choices of the service-level domain (SLA-01..10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Attribute", "ClockEvent", "DueUnit", "FaultScope", "StageStatus", "TimeUnit",
           "TimeWindow"]


class TimeUnit(models.TextChoices):
    """Duration units of the seeds (CAL-03); values are the engine's ``Unit`` values."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_MINUTES = "working_minutes", _("working minutes")
    WORKING_HOURS = "working_hours", _("working hours (工作时)")
    WORKING_DAYS = "working_days", _("working days (工作日)")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class ClockEvent(models.TextChoices):
    """Moments in a ticket's life that start or stop an SLA clock (TKT-04)."""

    REPORTED = "reported", _("reported")
    RESPONDED = "responded", _("responded")
    ONSITE_REQUESTED = "onsite_requested", _("on-site support requested")
    ARRIVED = "arrived", _("arrived on site")
    CONTAINED = "contained", _("spread contained")
    RESTORED = "restored", _("service restored")
    RESOLVED = "resolved", _("resolved")
    REPORT_SUBMITTED = "report_submitted", _("report submitted")
    VERIFIED = "verified", _("verified by purchaser")
    CLOSED = "closed", _("closed")


class Attribute(models.TextChoices):
    """Ticket attributes a target's rule may select on."""

    AREA_CLASS = "area_class", _("site area class")
    FAULT_LEVEL = "fault_level", _("fault level")
    SCOPE = "scope", _("scope")
    TICKET_TYPE = "ticket_type", _("ticket type")
    PRIORITY = "priority", _("priority")
    ASSET_TYPE = "asset_type", _("asset type")
    CHANNEL = "channel", _("channel")
    ONSITE_REQUESTED = "onsite_requested", _("on-site requested")


class FaultScope(models.TextChoices):
    LARGE = "large", _("large scope")
    SMALL = "small", _("small scope")


class TimeWindow(models.TextChoices):
    """SLA-02: the kind of time the report falls in, in the fault levels' calendar.

    ``non_working`` is every kind but ``working``; ``any`` is every kind. The narrower kinds
    are those real contracts write: a working day's lunch break, a working day's night
    (before or after its hours), a rest day (weekend; a 调休 weekend day is a working day) and
    a statutory holiday.
    """

    WORKING = "working", _("within working hours")
    NON_WORKING = "non_working", _("outside working hours")
    ANY = "any", _("at any time")
    LUNCH_BREAK = "lunch_break", _("in the lunch break of a working day")
    WEEKNIGHT = "weeknight", _("on a working day outside its hours")
    REST_DAY = "rest_day", _("on a rest day")
    HOLIDAY = "holiday", _("on a statutory holiday")

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        """The kinds of time one instant can be (the windows that cover one each)."""
        return (cls.WORKING, cls.LUNCH_BREAK, cls.WEEKNIGHT, cls.REST_DAY, cls.HOLIDAY)

    @classmethod
    def covered(cls, window: str) -> tuple[str, ...]:
        """The kinds of time a level's window covers."""
        if window == cls.ANY:
            return cls.kinds()
        if window == cls.NON_WORKING:
            return tuple(k for k in cls.kinds() if k != cls.WORKING)
        return (window,)


class DueUnit(models.TextChoices):
    """Which days a deadline at a clock time (次日 10:00 前) counts."""

    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days (工作日)")


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    RUNNING = "running", _("running")
    WARNING = "warning", _("running, warning")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    BREACHED = "breached", _("breached")
    NO_TARGET = "no_target", _("no target applies")
