"""Choices of the calendars domain: day types (with their colours), year status, calendar kind."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.calendars.worktime import DayKind

__all__ = ["WEEKDAYS", "CalendarKind", "DayType", "GridDay", "YearStatus"]

#: Keys of the weekly hours, Monday first (weekday() order).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DayType(models.TextChoices):
    """What a dated day is, in a holiday set or in a calendar's own days."""

    HOLIDAY = "holiday", _("Holiday (放假)")
    ADJUSTED_WORKDAY = "adjusted_workday", _("Adjusted workday (调休上班)")
    HALF_DAY = "half_day", _("Half day")
    CUSTOM = "custom", _("Custom hours")

    @property
    def engine_kind(self) -> DayKind:
        return DayKind(self.value)


class YearStatus(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PROVISIONAL = "provisional", _("Provisional")


class CalendarKind(models.TextChoices):
    STANDARD = "standard", _("Working hours and holidays")
    ALWAYS = "always", _("7×24 (always working)")


class GridDay(models.TextChoices):
    """How a day is shown in the month grid; ``css`` is its Tabler colour."""

    WORKDAY = "workday", _("Workday")
    WEEKEND = "weekend", _("Rest day")
    HOLIDAY = "holiday", _("Holiday")
    ADJUSTED_WORKDAY = "adjusted_workday", _("Adjusted workday (调休)")
    HALF_DAY = "half_day", _("Half day")
    CUSTOM = "custom", _("Custom hours")
    NO_DATA = "no_data", _("No data")

    @property
    def css(self) -> str:
        return {
            "workday": "",
            "weekend": "bg-secondary-lt",
            "holiday": "bg-red-lt",
            "adjusted_workday": "bg-orange-lt",
            "half_day": "bg-yellow-lt",
            "custom": "bg-purple-lt",
            "no_data": "text-secondary",
        }[self.value]
