"""Recurrence of maintenance plans (PM-01, PM-03..07): the windows in which a plan's visits
count, in the contract's local time (``settings.TIME_ZONE``, Asia/Shanghai).

A window is ``[start, end)`` (aware datetimes, end exclusive):

* daily — each calendar day, or each working day of the contract's calendar when
  ``plan.days`` is ``working_days`` (statutory holidays skipped, 调休 make-up days included);
  with ``slots`` one window per slot per day, bounded by the slot's ``start``/``end`` times
  when given (an end at or before the start runs past midnight), else the whole day;
* weekly — the ISO week, Monday 00:00 to the next Monday;
* monthly / quarterly / half_yearly / yearly — the calendar month, quarter, half-year
  (January–June, July–December) or year;
* before_event — the calendar day before each of the contract's major events;
* on_demand — none (visits are made by hand).

Only windows inside the contract's service period count: a window that straddles the first
or the last day of the period is clipped to the period (a contract starting on 15 September
has a September window from the 15th), and its key stays the key of the whole period.

``Window.key`` identifies the window within the plan (``2025-10``, ``2025-Q4``,
``2025-10-01:morning``, ``event-7``); a visit's key prefixes it with its target
(:func:`visit_key`), so generation is idempotent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings

from weibao.maintenance.choices import DayRule, Frequency

if TYPE_CHECKING:
    from weibao.calendars.worktime import WorkCalendar
    from weibao.contracts.models import Contract
    from weibao.maintenance.models import MaintenancePlan, MajorEvent

__all__ = ["PERIOD_FREQUENCIES", "Window", "WorkingDays", "contract_working_days",
           "day_bounds", "local_zone", "period_containing", "visit_key", "windows"]

#: Frequencies whose windows are consecutive periods of the calendar.
PERIOD_FREQUENCIES = (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY,
                      Frequency.HALF_YEARLY, Frequency.YEARLY)
_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """When one visit of a plan counts: ``[start, end)``; ``slot`` is the daily check's code
    (empty otherwise), ``key`` identifies the window within its plan, ``event_id`` the major
    event of a ``before_event`` window."""

    start: datetime.datetime
    end: datetime.datetime
    slot: str = ""
    key: str = ""
    event_id: int | None = None

    def days(self) -> list[datetime.date]:
        """The local calendar days the window touches."""
        zone = local_zone()
        first = self.start.astimezone(zone).date()
        last = (self.end.astimezone(zone) - datetime.timedelta(microseconds=1)).date()
        return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


@lru_cache(maxsize=1)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """The contracts' local time zone."""
    return _zone(settings.TIME_ZONE)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=local_zone())


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Local midnight of ``day`` and of the next day."""
    return _midnight(day), _midnight(day + _ONE_DAY)


def visit_key(target: str, window: Window) -> str:
    """The visit's idempotency key: ``site:12:2025-10``, ``contract:2025-10-01:morning``."""
    return f"{target}:{window.key}"


# --- working days -----------------------------------------------------------------------------

class WorkingDays:
    """Which days are working days of a contract: its service-level calendar (the one the SLA
    engine counts in), or the national calendar when that one has no rest days (7×24)."""

    def __init__(self, engine: WorkCalendar | None) -> None:
        self.engine = engine
        self._cache: dict[datetime.date, bool] = {}

    def __call__(self, day: datetime.date) -> bool:
        known = self._cache.get(day)
        if known is None:
            known = self._cache[day] = self._compute(day)
        return known

    def _compute(self, day: datetime.date) -> bool:
        from weibao.calendars.worktime import CalendarError

        if self.engine is not None:
            try:
                return self.engine.is_working_day(day)
            except CalendarError:
                pass  # a year without holiday data: fall back to Monday–Friday
        return day.weekday() < 5

    def between(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        """Working days in ``[first, last]``."""
        return [d for d in (first + datetime.timedelta(days=i)
                            for i in range((last - first).days + 1)) if self(d)]


def contract_working_days(contract: Contract) -> WorkingDays:
    """The contract's working days: the calendar of its service levels (the SLA engine's,
    cached by ``calendar_engine``); a calendar that never rests (7×24) or none at all means
    the national office calendar, so "working days" keeps its meaning."""
    from weibao.calendars.choices import CalendarKind
    from weibao.calendars.models import WorkCalendar as StoredCalendar
    from weibao.calendars.selectors import NATIONAL_CALENDAR, calendar_engine
    from weibao.calendars.worktime import CalendarError
    from weibao.sla.models import SlaPolicy

    code = (SlaPolicy.objects.filter(contract_id=contract.pk)
            .values_list("calendar", flat=True).first())
    if code and (StoredCalendar.objects.filter(code=code).values_list("kind", flat=True)
                 .first() == CalendarKind.ALWAYS):
        code = None
    for candidate in (code, NATIONAL_CALENDAR):
        if candidate:
            try:
                return WorkingDays(calendar_engine(candidate))
            except CalendarError:
                continue
    return WorkingDays(None)


# --- periods ----------------------------------------------------------------------------------

def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6,
           Frequency.YEARLY: 12}


def period_containing(frequency: str, day: datetime.date
                      ) -> tuple[datetime.date, datetime.date, str]:
    """The period of a period frequency that contains ``day``: first day, first day of the
    next period, and its key."""
    if frequency == Frequency.WEEKLY:
        first = day - datetime.timedelta(days=day.weekday())
        iso = first.isocalendar()
        return first, first + datetime.timedelta(days=7), f"{iso.year}-W{iso.week:02d}"
    months = _MONTHS[Frequency(frequency)]
    index = (day.month - 1) // months
    first = datetime.date(day.year, index * months + 1, 1)
    key = {1: f"{day.year}-{first.month:02d}", 3: f"{day.year}-Q{index + 1}",
           6: f"{day.year}-H{index + 1}", 12: f"{day.year}"}[months]
    return first, _add_months(first, months), key


def _periods(frequency: str, start: datetime.date, end: datetime.date
             ) -> Iterator[tuple[datetime.date, datetime.date, str]]:
    first, following, key = period_containing(frequency, start)
    while first <= end:
        yield first, following, key
        first, following, key = period_containing(frequency, following)


def _clock(text: str | None) -> datetime.timedelta | None:
    if not text:
        return None
    hours, _sep, minutes = str(text).partition(":")
    return datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))


def _slot_windows(day: datetime.date, slots: list[dict[str, Any]]) -> Iterator[Window]:
    midnight = _midnight(day)
    for slot in slots:
        code = str(slot.get("code") or "")
        opens, closes = _clock(slot.get("start")), _clock(slot.get("end"))
        start = midnight + opens if opens is not None else midnight
        if closes is None:
            end = _midnight(day + _ONE_DAY)
        else:
            end = midnight + closes
            if end <= start:  # a check that runs past midnight
                end += _ONE_DAY
        yield Window(start, end, code, f"{day.isoformat()}:{code}" if code else day.isoformat())


# --- windows ----------------------------------------------------------------------------------

def _nominal(plan: MaintenancePlan, start: datetime.date, end: datetime.date,
             working_days: WorkingDays | None, events: Iterable[MajorEvent] | None
             ) -> Iterator[Window]:
    frequency = plan.frequency
    if frequency == Frequency.DAILY:
        working = plan.days == DayRule.WORKING_DAYS
        if working and working_days is None:
            working_days = contract_working_days(plan.contract)
        for offset in range((end - start).days + 1):
            day = start + datetime.timedelta(days=offset)
            if working and working_days is not None and not working_days(day):
                continue
            if plan.slots:
                yield from _slot_windows(day, list(plan.slots))
            else:
                yield Window(_midnight(day), _midnight(day + _ONE_DAY), "", day.isoformat())
    elif frequency in PERIOD_FREQUENCIES:
        for first, following, key in _periods(frequency, start, end):
            yield Window(_midnight(first), _midnight(following), "", key)
    elif frequency == Frequency.BEFORE_EVENT:
        if events is None:
            from weibao.maintenance.models import MajorEvent

            events = MajorEvent.objects.filter(contract_id=plan.contract_id)
        for event in sorted(events, key=lambda e: (e.date, e.pk)):
            day = event.date - _ONE_DAY
            if start <= day <= end:
                yield Window(_midnight(day), _midnight(event.date), "", f"event-{event.pk}",
                             event.pk)


def windows(plan: MaintenancePlan, start: datetime.date, end: datetime.date, *,
            working_days: WorkingDays | None = None,
            events: Iterable[MajorEvent] | None = None,
            period: tuple[datetime.date, datetime.date] | None = None) -> list[Window]:
    """The plan's windows that start (after clipping) on a day in ``[start, end]``, in order.

    ``working_days``, ``events`` (the contract's major events) and ``period`` (the
    contract's first and last service day) may be passed by a caller that already has them;
    otherwise they are read from the database.
    """
    if plan.frequency == Frequency.ON_DEMAND or end < start:
        return []
    if period is None:
        contract = plan.contract
        period = (contract.start_date, contract.end_date)
    period_start, period_end = _midnight(period[0]), _midnight(period[1] + _ONE_DAY)
    # A period window that starts before ``start`` may be clipped to start inside it.
    scan_from = max(start, period[0]) if plan.frequency in PERIOD_FREQUENCIES else start
    if plan.frequency in PERIOD_FREQUENCIES:
        scan_from = period_containing(plan.frequency, scan_from)[0]
    found = []
    for window in _nominal(plan, scan_from, min(end, period[1]), working_days, events):
        clipped_start, clipped_end = max(window.start, period_start), min(window.end, period_end)
        if clipped_end <= clipped_start:
            continue
        if not start <= clipped_start.astimezone(local_zone()).date() <= end:
            continue
        if (clipped_start, clipped_end) != (window.start, window.end):
            window = Window(clipped_start, clipped_end, window.slot, window.key, window.event_id)
        found.append(window)
    found.sort(key=lambda w: (w.start, w.slot, w.key))
    return found
