"""Holiday sets (节假日安排): dated days published by an authority, year by year (CAL-01)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.calendars.choices import DayType, YearStatus
from weibao.calendars.hours import check_day
from weibao.calendars.worktime import CalendarError
from weibao.core.models import TimestampedModel, code_validator

__all__ = ["HolidayDay", "HolidaySet", "HolidayYear"]


class HolidaySet(TimestampedModel):
    """A set of dated days published by an authority, e.g. ``cn`` 中国法定节假日 (国务院)."""

    code = models.SlugField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    authority = models.CharField(
        _("authority"), max_length=200, blank=True,
        help_text=_("Who publishes the days, e.g. 国务院办公厅 (State Council General Office)."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("holiday set")
        verbose_name_plural = _("holiday sets")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_additional_data(self) -> dict[str, object]:
        return {"holiday_set_id": self.pk}

    def is_visible_to(self, user: Any) -> bool:
        return bool(user.is_authenticated)


class HolidayYear(TimestampedModel):
    """One year of a holiday set: official once the notice is published, else provisional."""

    holiday_set = models.ForeignKey(HolidaySet, verbose_name=_("holiday set"),
                                    on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    status = models.CharField(_("status"), max_length=20, choices=YearStatus.choices,
                              default=YearStatus.PROVISIONAL)
    source = models.CharField(
        _("source"), max_length=300, blank=True,
        help_text=_("The notice the days come from, e.g. 国办发明电〔2024〕12号."))

    class Meta:
        ordering = ["holiday_set", "year"]
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        constraints = [
            models.UniqueConstraint(fields=["holiday_set", "year"], name="holiday_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.holiday_set.code} {self.year} ({self.get_status_display()})"

    @property
    def is_provisional(self) -> bool:
        return self.status == YearStatus.PROVISIONAL

    def get_additional_data(self) -> dict[str, object]:
        return {"holiday_set_id": self.holiday_set_id}

    def is_visible_to(self, user: Any) -> bool:
        return bool(user.is_authenticated)


class DatedDay(TimestampedModel):
    """A dated exception to the weekly hours: holiday, 调休 workday, half day or custom hours.

    ``segments``: ``["08:30-12:00"]`` for half and custom days, optional for an adjusted
    workday (empty: the calendar's workday hours), always empty for a holiday.
    """

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DayType.choices)
    name = models.CharField(_("name"), max_length=100, blank=True,
                            help_text=_("E.g. 国庆节 or 春节调休."))
    segments = models.JSONField(_("working hours"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        try:
            self.segments = check_day(self.kind, self.segments)
        except CalendarError as exc:
            raise ValidationError({"segments": str(exc)}) from exc

    @property
    def segments_text(self) -> str:
        return ", ".join(self.segments or [])


class HolidayDay(DatedDay):
    """A day of a holiday set (法定节假日 or 调休上班); its year must be a row of the set."""

    holiday_set = models.ForeignKey(HolidaySet, verbose_name=_("holiday set"),
                                    on_delete=models.CASCADE, related_name="days")

    class Meta:
        ordering = ["holiday_set", "date"]
        verbose_name = _("holiday set day")
        verbose_name_plural = _("holiday set days")
        constraints = [
            models.UniqueConstraint(fields=["holiday_set", "date"], name="holiday_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def get_additional_data(self) -> dict[str, object]:
        return {"holiday_set_id": self.holiday_set_id}

    def is_visible_to(self, user: Any) -> bool:
        return bool(user.is_authenticated)
