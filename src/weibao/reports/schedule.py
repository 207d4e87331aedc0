"""Due-date rules of deliverables (RPT-01..06): the periods a periodic deliverable reports on
and when each report falls due, and when an event-driven report falls due. Pure rules: no
writes; the only reads are the contract's working calendar (when not passed in).

Times are the contracts' local time (``settings.TIME_ZONE``, Asia/Shanghai). A report is due
on a *due day*; ``due_exclusive`` ("before Tuesday", 每周二前) makes it due at 00:00 of that
day, otherwise at the end of it (00:00 of the next day).

* weekly — ISO weeks (Monday–Sunday); due on ``due_weekday`` (1 = Monday, default Monday) of
  the week after the covered week (``covers`` previous) or of the same week (current);
* monthly — calendar months; due on ``due_day`` (default 1) of the next month (previous) or
  of the same month (current), clamped to the month's last day (day 31 in February → the
  28th/29th). The day is a calendar day: a holiday does not move it;
* quarterly / half-yearly / yearly — due ``due_after_amount`` working days or calendar days
  after the last day of the period (``covers`` does not apply); without an amount at the end
  of the period (``due_exclusive`` then does not apply);
* after_event — due ``due_after_amount`` working days or calendar days after the local day of
  the event; without an amount at the end of that day (``due_exclusive`` does not apply).

N working days after a day is the N-th working day of the contract's calendar after it (the
day itself does not count; statutory holidays are skipped, 调休 make-up Saturdays count), as
:func:`weibao.maintenance.schedule.contract_working_days` defines working days.

Only periods inside the contract's service period count: a period that straddles its first
or last day is clipped to it (a contract starting on 15 September has a September period
from the 15th) and keeps the key and the due time of the whole period. Keys are stable:
``2025-W41``, ``2025-10``, ``2025-Q4``, ``2025-H2``, ``2025``; event keys are the source
(``visit:12``, ``ticket:34``) or ``contract-end``.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from weibao.maintenance.schedule import (
    WorkingDays,
    contract_working_days,
    day_bounds,
    local_zone,
    period_containing,
)
from weibao.reports.choices import Cadence, Covers, DelayUnit

if TYPE_CHECKING:
    from weibao.contracts.models import Contract
    from weibao.reports.models import Deliverable

__all__ = ["CONTRACT_END_KEY", "PERIODIC", "Period", "add_working_days", "contract_end_due",
           "contract_end_moment", "due_moment", "event_due", "periods", "remind_day",
           "working_days_before"]

#: Cadences whose reports cover consecutive calendar periods.
PERIODIC = (Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.HALF_YEARLY,
            Cadence.YEARLY)
CONTRACT_END_KEY = "contract-end"
_ONE_DAY = datetime.timedelta(days=1)
#: No calendar has this many consecutive rest days; guards the working-day loops.
_MAX_REST_RUN = 60


@dataclass(frozen=True)
class Period:
    """The days a report covers, ``start`` to ``end`` inclusive, and its key."""

    start: datetime.date
    end: datetime.date
    key: str


def due_moment(day: datetime.date, exclusive: bool) -> datetime.datetime:
    """The due time on due day ``day``: its start when ``exclusive``, else its end."""
    start, end = day_bounds(day)
    return start if exclusive else end


def add_working_days(day: datetime.date, amount: int, working_days: WorkingDays
                     ) -> datetime.date:
    """The ``amount``-th working day after ``day`` (``day`` itself when ``amount`` is 0)."""
    current, counted, idle = day, 0, 0
    while counted < amount:
        current += _ONE_DAY
        if working_days(current):
            counted, idle = counted + 1, 0
        else:
            idle += 1
            if idle > _MAX_REST_RUN:
                raise ValueError(f"no working day within {_MAX_REST_RUN} days of {current}")
    return current


def working_days_before(day: datetime.date, amount: int, working_days: WorkingDays
                        ) -> datetime.date:
    """The ``amount``-th working day before ``day`` (``day`` itself when ``amount`` is 0)."""
    current, counted, idle = day, 0, 0
    while counted < amount:
        current -= _ONE_DAY
        if working_days(current):
            counted, idle = counted + 1, 0
        else:
            idle += 1
            if idle > _MAX_REST_RUN:
                raise ValueError(f"no working day within {_MAX_REST_RUN} days of {current}")
    return current


def _after(deliverable: Deliverable, day: datetime.date,
           working_days: WorkingDays | None) -> tuple[datetime.datetime, WorkingDays | None]:
    """The due time ``due_after_amount`` units after ``day``; the end of ``day`` without an
    amount (``due_exclusive`` only applies to a day after it)."""
    amount = deliverable.due_after_amount or 0
    if not amount:
        return day_bounds(day)[1], working_days
    if deliverable.due_after_unit == DelayUnit.WORKING_DAYS:
        if working_days is None:
            working_days = contract_working_days(deliverable.contract)
        due_day = add_working_days(day, amount, working_days)
    else:
        due_day = day + datetime.timedelta(days=amount)
    return due_moment(due_day, deliverable.due_exclusive), working_days


def _month_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _periodic_due(deliverable: Deliverable, first: datetime.date, following: datetime.date,
                  working_days: WorkingDays | None
                  ) -> tuple[datetime.datetime, WorkingDays | None]:
    cadence = deliverable.cadence
    previous = deliverable.covers != Covers.CURRENT
    exclusive = deliverable.due_exclusive
    if cadence == Cadence.WEEKLY:
        monday = following if previous else first
        day = monday + datetime.timedelta(days=(deliverable.due_weekday or 1) - 1)
        return due_moment(day, exclusive), working_days
    if cadence == Cadence.MONTHLY:
        month = following if previous else first
        day = _month_day(month.year, month.month, deliverable.due_day or 1)
        return due_moment(day, exclusive), working_days
    return _after(deliverable, following - _ONE_DAY, working_days)


def periods(deliverable: Deliverable, start: datetime.date, end: datetime.date, *,
            working_days: WorkingDays | None = None,
            service: tuple[datetime.date, datetime.date] | None = None
            ) -> list[tuple[Period, datetime.datetime]]:
    """The periods of a periodic deliverable that share a day with ``[start, end]`` and with
    the contract's service period (clipped to the service period, not to ``[start, end]``),
    in order, each with its due time. Empty for an event-driven deliverable.

    ``working_days`` and ``service`` (the contract's first and last service day) may be
    passed by a caller that already has them; otherwise they are read from the contract.
    """
    if deliverable.cadence not in PERIODIC or end < start:
        return []
    if service is None:
        contract = deliverable.contract
        service = (contract.start_date, contract.end_date)
    first_day, last_day = max(start, service[0]), min(end, service[1])
    found: list[tuple[Period, datetime.datetime]] = []
    if last_day < first_day:
        return found
    first, following, key = period_containing(deliverable.cadence, first_day)
    while first <= last_day:
        due_at, working_days = _periodic_due(deliverable, first, following, working_days)
        period = Period(max(first, service[0]), min(following - _ONE_DAY, service[1]), key)
        found.append((period, due_at))
        first, following, key = period_containing(deliverable.cadence, following)
    return found


def event_due(deliverable: Deliverable, occurred_at: datetime.datetime, *,
              working_days: WorkingDays | None = None) -> datetime.datetime:
    """When an event-driven report is due: ``due_after_amount`` working or calendar days
    after the local day of ``occurred_at`` (an event at 23:30 on a Friday with "3 working
    days" is due at the end of the following Wednesday); without an amount at the end of the
    event's day."""
    due_at, _working = _after(deliverable, occurred_at.astimezone(local_zone()).date(),
                              working_days)
    return due_at


def contract_end_moment(contract: Contract) -> datetime.datetime:
    """The end of the contract's service period: 00:00 after its last day."""
    return day_bounds(contract.end_date)[1]


def contract_end_due(deliverable: Deliverable, *,
                     working_days: WorkingDays | None = None) -> datetime.datetime:
    """When the report owed at the end of the service period is due: ``due_after_amount``
    working or calendar days after the period's last day (at its end without an amount)."""
    due_at, _working = _after(deliverable, deliverable.contract.end_date, working_days)
    return due_at


def remind_day(due_at: datetime.datetime, amount: int, working_days: WorkingDays
               ) -> datetime.date:
    """The day a reminder is due: ``amount`` working days before the report's last day
    (the day before ``due_at`` when it is due at 00:00)."""
    last = (due_at.astimezone(local_zone()) - datetime.timedelta(microseconds=1)).date()
    return working_days_before(last, amount, working_days)
