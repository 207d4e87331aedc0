"""Work calendars (工作日历): weekly hours, a holiday set and own days (CAL-01, CAL-02)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.calendars.choices import WEEKDAYS, CalendarKind
from weibao.calendars.hours import ALWAYS, normalize_weekly
from weibao.calendars.models.holidays import DatedDay, HolidaySet
from weibao.calendars.worktime import CalendarError
from weibao.core.models import TimestampedModel, code_validator

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["CalendarDataVersion", "CalendarDay", "WorkCalendar", "bump_data_version"]

#: Codes that would shadow a page under /calendars/.
RESERVED_CODES = frozenset({"new", "holidays"})


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("%(value)s is not a known time zone."),
                              params={"value": value}) from exc


class WorkCalendar(TimestampedModel):
    """A working calendar: weekly hours, a holiday set and own days — or 7×24.

    A calendar with a contract is that contract's own (合同专用日历): only the contract's
    parties see it (PLT-01). SLA rules name calendars by ``code``.
    """

    code = models.SlugField(
        _("code"), max_length=60, unique=True, validators=[code_validator],
        help_text=_("Used in contract specs, e.g. cn-0830-1730."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=60, default="Asia/Shanghai",
                                validators=[validate_timezone])
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarKind.choices,
                            default=CalendarKind.STANDARD)
    holiday_set = models.ForeignKey(
        HolidaySet, verbose_name=_("holiday set"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="calendars",
        help_text=_("Statutory holidays and adjusted workdays; none for 7×24."))
    weekly_hours = models.JSONField(
        _("weekly hours"), default=dict, blank=True,
        help_text=_('Per weekday, e.g. {"mon": ["08:30-12:00", "13:00-17:30"]}.'))
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="calendars",
        help_text=_("Set for a contract's own calendar; empty for a national calendar."))
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="derived",
        help_text=_("The calendar whose hours and holiday set this one was copied from."))

    class Meta:
        ordering = ["contract_id", "code"]
        verbose_name = _("work calendar")
        verbose_name_plural = _("work calendars")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=CalendarKind.STANDARD) | models.Q(holiday_set__isnull=True),
                name="always_calendar_without_holiday_set",
                violation_error_message=_("A 7×24 calendar has no holiday set."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.code in RESERVED_CODES:
            raise ValidationError({"code": _("This code is reserved.")})
        try:
            self.weekly_hours = normalize_weekly(self.weekly_hours)
        except CalendarError as exc:
            raise ValidationError({"weekly_hours": str(exc)}) from exc

    def get_additional_data(self) -> dict[str, object]:
        return {"calendar_id": self.pk, "contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        if not user.is_authenticated:
            return False
        if self.contract_id is None or user.is_administrator:
            return True
        assert self.contract is not None
        return self.contract.is_visible_to(user)

    @property
    def is_national(self) -> bool:
        return self.contract_id is None

    @property
    def is_always(self) -> bool:
        return self.kind == CalendarKind.ALWAYS

    def hours(self) -> dict[str, list[str]]:
        """Working hours per weekday, all seven keys (7×24: every day 00:00-24:00)."""
        if self.is_always:
            return {key: list(ALWAYS) for key in WEEKDAYS}
        stored = self.weekly_hours or {}
        return {key: list(stored.get(key) or []) for key in WEEKDAYS}


class CalendarDay(DatedDay):
    """A calendar's own day, e.g. a city's extra day off; wins over the holiday set."""

    calendar = models.ForeignKey(WorkCalendar, verbose_name=_("calendar"),
                                 on_delete=models.CASCADE, related_name="days")

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("calendar's own day")
        verbose_name_plural = _("calendar's own days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def get_additional_data(self) -> dict[str, object]:
        return {"calendar_id": self.calendar_id, "contract_id": self.calendar.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.calendar.is_visible_to(user)


class CalendarDataVersion(models.Model):
    """One row whose token changes with every change of calendar data.

    Each process caches built calendars under the token it read; a new token (written in the
    same transaction as the change) makes every process rebuild. A random token, not a
    counter, so a rolled-back change can never be mistaken for a later committed one.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calendar data version")
        verbose_name_plural = _("calendar data versions")

    def __str__(self) -> str:
        return f"{self.token} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


def bump_data_version() -> None:
    """Mark every cached calendar as stale, in every process (call inside the write)."""
    from weibao.calendars.selectors import clear_engine_cache

    token, now = uuid.uuid4().hex, timezone.now()
    if not CalendarDataVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        CalendarDataVersion.objects.update_or_create(
            pk=1, defaults={"token": token, "changed_at": now})
    clear_engine_cache()


