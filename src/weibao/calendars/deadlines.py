"""Contract deadline rules (CAL-03) on top of :mod:`weibao.calendars.worktime`.

Three kinds of rule appear in Chinese maintenance contracts:

* "by weekday N of the following week" (周报于次周周二前提交): the report for
  the week containing ``period_day`` is due at close of business on that
  weekday of the next ISO week (Monday-Sunday);
* "by day N of the month" (每月5日前 / 21日前): close of business on day N of
  a month (clamped to the month's last day);
* "N working days / working hours after an event" (3个工作日内, 2个工作时内):
  plain :meth:`WorkCalendar.add`.

For the first two, when the nominal day is not a working day (holiday,
weekend) the deadline moves to close of business on the *following* working
day, as Civil Code art. 203 does for a period's last day.  The result is
provisional when any day between the nominal day and the final day lies in a
provisional year, and ``explain=True`` lists the days that were skipped.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeAlias

from .worktime import Amount, CalendarError, Result, Unit, WorkCalendar, add_months

__all__ = [
    "AfterEvent",
    "DayOfMonth",
    "DeadlineRule",
    "WeekdayOfFollowingWeek",
    "close_on_or_after",
    "due_day_of_following_month",
    "due_day_of_month",
    "due_weekday_of_following_week",
    "due_working_days_after",
    "due_working_hours_after",
]


def _local_date(cal: WorkCalendar, anchor: date) -> date:
    """A date, or an aware datetime's date in the calendar's time zone."""
    if isinstance(anchor, datetime):
        if anchor.tzinfo is None or anchor.utcoffset() is None:
            raise CalendarError(f"naive datetime {anchor.isoformat()}: a timezone is required")
        return anchor.astimezone(cal.tz).date()
    if not isinstance(anchor, date):
        raise CalendarError(f"expected a date or datetime, got {anchor!r}")
    return anchor


def close_on_or_after(
    cal: WorkCalendar, nominal: date, *, explain: bool = False
) -> Result[datetime]:
    """Close of business on ``nominal``, or on the following working day."""
    final = cal.next_working_day(nominal)
    return Result(
        cal.close_of_business(final),
        cal.is_provisional_between(nominal, final),
        cal.day_notes(nominal, final) if explain else (),
    )


def due_weekday_of_following_week(
    cal: WorkCalendar, period_day: date, weekday: int, *, explain: bool = False
) -> Result[datetime]:
    """Due on ``weekday`` (0=Monday) of the week after the one containing ``period_day``.

    Example: weekly report for 2025-09-22..28, rule "次周周二前" (weekday=1)
    -> close of business Tuesday 2025-09-30.
    """
    if weekday not in range(7):
        raise CalendarError(f"weekday must be 0 (Monday)..6 (Sunday), got {weekday!r}")
    day = _local_date(cal, period_day)
    next_monday = day + timedelta(days=7 - day.weekday())
    return close_on_or_after(cal, next_monday + timedelta(days=weekday), explain=explain)


def due_day_of_month(
    cal: WorkCalendar, year: int, month: int, day: int, *, explain: bool = False
) -> Result[datetime]:
    """Due on day ``day`` of ``year``-``month`` (31 in a 30-day month = the 30th)."""
    if day not in range(1, 32):
        raise CalendarError(f"day of month must be 1..31, got {day!r}")
    if month not in range(1, 13):
        raise CalendarError(f"month must be 1..12, got {month!r}")
    if not 1 <= year <= 9999:
        raise CalendarError(f"no calendar data for {year}")
    last = calendar.monthrange(year, month)[1]
    return close_on_or_after(cal, date(year, month, min(day, last)), explain=explain)


def due_day_of_following_month(
    cal: WorkCalendar,
    period_day: date,
    day: int,
    *,
    months_after: int = 1,
    explain: bool = False,
) -> Result[datetime]:
    """Due on day ``day`` of the month ``months_after`` months after ``period_day``'s.

    Example: monthly report for September 2025, rule "次月5日前" -> the
    5th of October 2025 is inside the National Day holiday, so the report
    is due at close of business on Thursday 2025-10-09.
    """
    if months_after < 0:
        raise CalendarError(f"months_after must be >= 0, got {months_after}")
    first = _local_date(cal, period_day).replace(day=1)
    target = add_months(first, months_after)
    return due_day_of_month(cal, target.year, target.month, day, explain=explain)


def due_working_days_after(
    cal: WorkCalendar, event: datetime, n: Amount, *, explain: bool = False
) -> Result[datetime]:
    """ "Within N working days": Civil Code counting, see ``Unit.WORKING_DAYS``."""
    return cal.add(event, n, Unit.WORKING_DAYS, explain=explain)


def due_working_hours_after(
    cal: WorkCalendar, event: datetime, hours: Amount, *, explain: bool = False
) -> Result[datetime]:
    """ "Within N working hours" (N个工作时)."""
    return cal.add(event, hours, Unit.WORKING_HOURS, explain=explain)


# -- rule objects, convenient to store and apply uniformly ---------------------


@dataclass(frozen=True, slots=True)
class WeekdayOfFollowingWeek:
    """周报: due on ``weekday`` (0=Monday) of the following week."""

    weekday: int

    def due(self, cal: WorkCalendar, anchor: date, *, explain: bool = False) -> Result[datetime]:
        return due_weekday_of_following_week(cal, anchor, self.weekday, explain=explain)


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """月报: due on ``day`` of the month ``months_after`` months after the anchor's."""

    day: int
    months_after: int = 1

    def due(self, cal: WorkCalendar, anchor: date, *, explain: bool = False) -> Result[datetime]:
        return due_day_of_following_month(
            cal, anchor, self.day, months_after=self.months_after, explain=explain
        )


@dataclass(frozen=True, slots=True)
class AfterEvent:
    """Response/repair time: ``amount`` of ``unit`` after the event instant."""

    amount: Amount
    unit: Unit

    def due(
        self, cal: WorkCalendar, anchor: datetime, *, explain: bool = False
    ) -> Result[datetime]:
        if not isinstance(anchor, datetime):
            raise CalendarError("an AfterEvent rule needs the event's aware datetime")
        return cal.add(anchor, self.amount, self.unit, explain=explain)


DeadlineRule: TypeAlias = WeekdayOfFollowingWeek | DayOfMonth | AfterEvent
