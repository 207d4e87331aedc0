"""Evaluate a ticket's SLA clocks against a compiled policy (SLA-01..10).

One function serves tickets, the preview page, the API and the command line: given the
ticket's attributes, the times of its events and its pauses, compute for every stage the
target that applies, the due time, the status, the working time used and left, and an
explanation a person can check by hand. Pure: no database access; calendars come from the
``engine`` callable.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from weibao.calendars.explain import day_reason
from weibao.calendars.worktime import CalendarError, DayNote, Unit, WorkCalendar
from weibao.sla.choices import Attribute, ClockEvent, StageStatus, TimeUnit, TimeWindow
from weibao.sla.policy import Level, Policy, Stage, Target, format_amount

__all__ = ["Evaluation", "Pause", "SlaError", "StageResult", "classify_level", "evaluate"]

EngineFor = Callable[[str], WorkCalendar]
_WALL_UNITS = {Unit.MINUTES, Unit.HOURS}
_WHOLE_UNITS = {Unit.CALENDAR_DAYS, Unit.MONTHS}
_HOUR = datetime.timedelta(hours=1)
_MICROSECOND = datetime.timedelta(microseconds=1)
#: A recurring stage open for longer than this many intervals is refused (never a hang).
MAX_INTERVALS = 20_000


class SlaError(ValueError):
    """The input cannot be evaluated; the message says why (never a silent guess)."""


@dataclass(frozen=True)
class Pause:
    start: datetime.datetime
    end: datetime.datetime | None
    state: str
    reason: str = ""


@dataclass
class StageResult:
    """One stage's clock. ``used``/``left`` are in ``unit`` out of ``amount`` (the target's
    amount; wall hours from the start to a clock-time deadline; the interval of a recurring
    stage, counted from its last update). A recurring stage (``stage.every``) also says how
    many ``updates`` were recorded and which intervals were ``missed`` (``missed_due``: the
    due time of each, one breach each); its ``due_at`` is when the next update is due."""

    stage: Stage
    status: str
    target: Target | None = None
    started_at: datetime.datetime | None = None
    stopped_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    warn_at: datetime.datetime | None = None
    used: Fraction | None = None
    left: Fraction | None = None
    provisional: bool = False
    explanation: list[str] = field(default_factory=list)
    amount: Fraction | None = None
    updates: int = 0
    missed_due: list[datetime.datetime] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return len(self.missed_due)

    @property
    def unit(self) -> str:
        return self.target.measure_unit if self.target else ""

    @property
    def used_share(self) -> float:
        if not self.target or self.used is None:
            return 0.0
        budget = self.amount if self.amount is not None else self.target.amount
        return float(self.used / budget) if budget else 1.0


@dataclass
class Evaluation:
    attributes: dict[str, str]
    level: Level | None
    level_reason: str
    stages: list[StageResult]

    @property
    def provisional(self) -> bool:
        return any(s.provisional for s in self.stages)


def _aware(name: str, value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise SlaError(_("%(name)s: a time needs its time zone (e.g. +08:00).") % {"name": name})
    return value


def classify_level(policy: Policy, attributes: dict[str, str],
                   reported: datetime.datetime | None,
                   engine: EngineFor) -> tuple[Level | None, str]:
    """SLA-02: the fault level from the report time's window and the scope (TKT-03: a level
    given explicitly, e.g. raised by the purchaser, wins)."""
    given = attributes.get(Attribute.FAULT_LEVEL)
    if given:
        level = next((lv for lv in policy.levels if lv.code == given), None)
        if policy.levels and level is None:
            raise SlaError(_("Unknown fault level %(level)s; this contract has: %(levels)s.")
                           % {"level": given,
                              "levels": ", ".join(lv.code for lv in policy.levels)})
        return level, _("Fault level %(level)s was given.") % {"level": given}
    if not policy.levels:
        return None, ""
    scope = attributes.get(Attribute.SCOPE)
    if not scope or reported is None:
        return None, _("No fault level: the scope or the report time is missing.")
    calendar = engine(policy.level_calendar)
    kind = calendar.time_kind(reported).value
    window = str(TimeWindow(kind).label)
    if kind != TimeWindow.WORKING:
        window = _("%(kind)s, outside working hours") % {"kind": window}
    for level in policy.levels:
        if level.scope == scope and kind in TimeWindow.covered(level.window):
            reason = _("Fault level %(code)s (%(name)s): reported at %(time)s, %(window)s of "
                       "calendar %(calendar)s, %(scope)s scope.") % {
                "code": level.code, "name": level.name,
                "time": reported.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M:%S"),
                "window": window, "calendar": policy.level_calendar, "scope": scope}
            return level, reason
    raise SlaError(_("No fault level of this contract covers scope %(scope)s %(window)s.")
                   % {"scope": scope, "window": window})


def select_target(policy: Policy, stage: Stage, attributes: dict[str, str]) -> Target | None:
    """The matching target with the highest priority; two at the same priority is an error."""
    matching = [t for t in policy.targets_for(stage.code) if t.matches(attributes)]
    if not matching:
        return None
    best = max(t.priority for t in matching)
    top = [t for t in matching if t.priority == best]
    if len(top) > 1:
        raise SlaError(
            _("Stage %(stage)s: targets %(rules)s all match with priority %(priority)s; give "
              "them different priorities or narrower conditions.")
            % {"stage": stage.code, "rules": ", ".join(f"#{t.index + 1}" for t in top),
               "priority": best})
    return top[0]


def evaluate(policy: Policy, *, attributes: dict[str, Any],
             events: dict[str, datetime.datetime], pauses: list[Pause],
             now: datetime.datetime, engine: EngineFor,
             updates: list[datetime.datetime] | None = None) -> Evaluation:
    """Every stage of a ticket. ``updates``: times of the progress updates recorded (for
    recurring stages, ``every: true``)."""
    attributes = {k: v for k, v in attributes.items() if v not in ("", None)}
    unknown = set(attributes) - set(Attribute.values)
    if unknown:
        raise SlaError(_("Unknown attributes: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    unknown_events = set(events) - set(ClockEvent.values)
    if unknown_events:
        raise SlaError(_("Unknown events: %(names)s.")
                       % {"names": ", ".join(sorted(unknown_events))})
    events = {k: _aware(k, v) for k, v in events.items()}
    now = _aware("now", now)
    checked = _check_pauses(policy, pauses)
    recorded = sorted(_aware("update", u) for u in (updates or []))
    try:
        level, level_reason = classify_level(policy, attributes,
                                             events.get(ClockEvent.REPORTED), engine)
        if level is not None:
            attributes[Attribute.FAULT_LEVEL] = level.code
        results = [_stage(policy, stage, attributes, events, checked, now, engine, recorded)
                   for stage in policy.stages]
    except CalendarError as exc:
        raise SlaError(str(exc)) from exc
    return Evaluation(attributes=attributes, level=level, level_reason=level_reason,
                      stages=results)


def _check_pauses(policy: Policy, pauses: list[Pause]) -> list[Pause]:
    ordered = sorted(pauses, key=lambda p: p.start)
    for i, pause in enumerate(ordered):
        _aware("pause", pause.start)
        if pause.state not in policy.pause_states:
            allowed = ", ".join(policy.pause_states) or _("none")
            raise SlaError(_("State %(state)s does not pause the clocks under this contract "
                             "(SLA-09); pausing states: %(allowed)s.")
                           % {"state": pause.state, "allowed": allowed})
        if pause.end is not None and _aware("pause", pause.end) <= pause.start:
            raise SlaError(_("A pause must end after it starts."))
        if i + 1 < len(ordered) and (pause.end is None or pause.end > ordered[i + 1].start):
            raise SlaError(_("Pauses overlap."))
    return ordered


def _unit(code: str) -> Unit:
    try:
        return Unit(code)
    except ValueError:
        raise SlaError(_("Unknown unit %(unit)s.") % {"unit": code}) from None


def _describe_target(stage: Stage, target: Target) -> str:
    values = {"n": target.index + 1, "when": target.describe_when(),
              "priority": target.priority, "amount": format_amount(target.amount),
              "unit": _unit_label(target.unit), "calendar": target.calendar}
    if stage.every:
        return _("Target #%(n)d applies (%(when)s, priority %(priority)s): an update every "
                 "%(amount)s %(unit)s while the stage runs, calendar %(calendar)s.") % values
    if target.at is not None:
        values["at"] = target.at.strftime("%H:%M")
        if target.unit == Unit.WORKING_DAYS.value:
            return _("Target #%(n)d applies (%(when)s, priority %(priority)s): due at %(at)s "
                     "on working day %(amount)s after the start's day (0: the same day), "
                     "calendar %(calendar)s.") % values
        return _("Target #%(n)d applies (%(when)s, priority %(priority)s): due at %(at)s on "
                 "day %(amount)s after the start's day (0: the same day), calendar "
                 "%(calendar)s.") % values
    return _("Target #%(n)d applies (%(when)s, priority %(priority)s): within %(amount)s "
             "%(unit)s, calendar %(calendar)s.") % values


def _stage(policy: Policy, stage: Stage, attributes: dict[str, str],
           events: dict[str, datetime.datetime], pauses: list[Pause],
           now: datetime.datetime, engine: EngineFor,
           updates: list[datetime.datetime]) -> StageResult:
    target = select_target(policy, stage, attributes)
    start, stop = events.get(stage.start), events.get(stage.stop)
    result = StageResult(stage=stage, status=StageStatus.NO_TARGET, target=target,
                         started_at=start, stopped_at=stop)
    if target is None:
        result.explanation.append(_("No target of this contract applies to these attributes."))
        return result
    unit = _unit(target.unit)
    calendar = engine(target.calendar)
    result.amount = target.amount
    result.explanation.append(_describe_target(stage, target))
    if target.clause:
        result.explanation.append(target.clause)
    if target.kpi is not None:
        result.explanation.append(
            _("Period KPI: %(kpi)s. A late ticket counts toward the rate; it is not a breach "
              "and carries no penalty.") % {"kpi": target.kpi.describe()})
    if start is None:
        result.status = StageStatus.NOT_STARTED
        result.explanation.append(_("The clock has not started: no %(event)s time.")
                                  % {"event": ClockEvent(stage.start).label})
        return result
    if stop is not None and stop < start:
        raise SlaError(_("Stage %(stage)s: %(stop)s is before %(start)s.")
                       % {"stage": stage.code, "stop": stage.stop, "start": stage.start})
    mine = [p for p in pauses if (p.end is None or p.end > start)
            and (stop is None or p.start < stop)]
    if stage.every:
        if target.at is not None:
            raise SlaError(_("Stage %(stage)s recurs: its target needs an interval, not a "
                             "clock time.") % {"stage": stage.code})
        _recurring(result, policy, unit, calendar, mine, now, updates)
        return result
    notes: tuple[DayNote, ...] = ()
    amount = target.amount
    if target.at is not None:
        nominal, provisional, notes = _clock_due(calendar, target, start)
        amount = Fraction((nominal - start) // _MICROSECOND, _HOUR // _MICROSECOND)
        unit = Unit.HOURS
        result.amount, result.provisional = amount, provisional
        result.explanation.append(
            _("Due %(due)s without pauses: %(hours)s hours of wall time from the start; "
              "pauses move it by their length.")
            % {"due": _clock(nominal, calendar), "hours": f"{float(amount):.2f}"})
    due, provisional = _due(calendar, unit, start, amount, mine, stop, now)
    result.due_at = due
    result.provisional = result.provisional or provisional
    warn_amount = amount * policy.warning_at
    if unit not in _WHOLE_UNITS:
        result.warn_at = _due(calendar, unit, start, warn_amount, mine, stop, now)[0]
    end = stop if stop is not None else now
    used = _used(calendar, unit, start, max(end, start), mine)
    result.used, result.left = used, max(amount - used, Fraction(0))
    if unit not in _WALL_UNITS:
        skipped = calendar.elapsed(start, max(end, due), unit, explain=True)
        result.provisional = result.provisional or skipped.provisional
        notes = skipped.explanation
    _explain_days(result, notes)
    _explain_pauses(result, mine, calendar)
    if stop is not None:
        result.status = StageStatus.MET if stop <= due else StageStatus.BREACHED
    elif now > due:
        result.status = StageStatus.BREACHED
    elif _paused_at(mine, now):
        result.status = StageStatus.PAUSED
    elif used >= warn_amount:
        result.status = StageStatus.WARNING
    else:
        result.status = StageStatus.RUNNING
    if result.status == StageStatus.BREACHED and not target.is_breach:
        result.explanation.append(_("Late: counted toward the period's rate, not a breach."))
    _explain_provisional(result)
    return result


def _paused_at(pauses: list[Pause], now: datetime.datetime) -> bool:
    return any(p.start <= now and (p.end is None or now < p.end) for p in pauses)


def _explain_days(result: StageResult, notes: tuple[DayNote, ...]) -> None:
    for note in notes:
        if note.working:
            text = _("%(day)s counted: %(reason)s")
        else:
            text = _("%(day)s not counted: %(reason)s")
        result.explanation.append(text % {"day": note.day.isoformat(),
                                          "reason": day_reason(note)})


def _explain_pauses(result: StageResult, pauses: list[Pause], calendar: WorkCalendar) -> None:
    for p in pauses:
        result.explanation.append(
            _("Paused %(start)s – %(end)s (%(state)s) %(reason)s")
            % {"start": _clock(p.start, calendar), "state": p.state, "reason": p.reason,
               "end": _clock(p.end, calendar) if p.end else _("now")})


def _explain_provisional(result: StageResult) -> None:
    if result.provisional:
        result.explanation.append(_("Provisional: the working calendar of a year involved has "
                                    "not been officially published yet."))


def _clock_due(calendar: WorkCalendar, target: Target, start: datetime.datetime,
               ) -> tuple[datetime.datetime, bool, tuple[DayNote, ...]]:
    """A deadline at a clock time (次日 10:00 前, 当日 17:00 前), before pauses.

    The day is the start's local day plus ``amount`` calendar days, or the ``amount``-th
    working day after it (0: the start's day if it is a working day, else the next one).
    When the start is at or after that clock time (a report at 18:00 under "当日 17:00 前"),
    the deadline is the same clock time of the next (working) day.
    """
    assert target.at is not None
    tz = calendar.tz
    first = start.astimezone(tz).date()
    days = int(target.amount)
    working = target.unit == Unit.WORKING_DAYS.value

    def following(day: datetime.date) -> datetime.date:
        if working:
            return calendar.next_working_day(day, include_self=False)
        return day + datetime.timedelta(days=1)

    if working:
        day = calendar.next_working_day(first, include_self=True) if days == 0 else first
        for _i in range(days):
            day = calendar.next_working_day(day, include_self=False)
    else:
        day = first + datetime.timedelta(days=days)
    due = datetime.datetime.combine(day, target.at, tzinfo=tz)
    if due <= start:
        day = following(day)
        due = datetime.datetime.combine(day, target.at, tzinfo=tz)
    notes = calendar.day_notes(first, day) if working else ()
    return due, calendar.is_provisional_between(first, day), notes


def _recurring(result: StageResult, policy: Policy, unit: Unit, calendar: WorkCalendar,
               pauses: list[Pause], now: datetime.datetime,
               updates: list[datetime.datetime]) -> None:
    """A recurring obligation: from the start, an update is due every interval; each
    recorded update starts a new interval, and so does each missed due time."""
    assert result.target is not None and result.started_at is not None
    start, stop = result.started_at, result.stopped_at
    interval = result.target.amount
    end = stop if stop is not None else now
    mine = [u for u in updates if start < u <= end]
    result.updates = len(mine)
    anchor, index, overdue, provisional = start, 0, False, False
    while True:
        if len(result.missed_due) + index > MAX_INTERVALS:
            raise SlaError(_("Stage %(stage)s: more than %(n)d intervals; check the interval "
                             "and the times.") % {"stage": result.stage.code,
                                                  "n": MAX_INTERVALS})
        due, prov = _due(calendar, unit, anchor, interval, pauses, stop, now)
        provisional = provisional or prov
        while index < len(mine) and mine[index] <= anchor:
            index += 1
        if index < len(mine) and mine[index] <= due:
            anchor, overdue = mine[index], False
            index += 1
            continue
        if due < end:
            result.missed_due.append(due)
            anchor, overdue = due, True
            continue
        break
    result.provisional = provisional
    used = _used(calendar, unit, anchor, max(end, anchor), pauses)
    result.used, result.left = used, max(interval - used, Fraction(0))
    warn_amount = interval * policy.warning_at
    result.explanation.append(
        _("%(updates)d updates recorded, %(missed)d intervals missed.")
        % {"updates": result.updates, "missed": result.missed})
    for missed in result.missed_due:
        result.explanation.append(_("No update by %(due)s: interval missed.")
                                  % {"due": _clock(missed, calendar)})
    _explain_pauses(result, pauses, calendar)
    if stop is not None:
        result.status = StageStatus.MET if not result.missed else StageStatus.BREACHED
    else:
        result.due_at = due
        if unit not in _WHOLE_UNITS:
            result.warn_at = _due(calendar, unit, anchor, warn_amount, pauses, stop, now)[0]
        if overdue:
            result.status = StageStatus.BREACHED
        elif _paused_at(pauses, now):
            result.status = StageStatus.PAUSED
        elif used >= warn_amount:
            result.status = StageStatus.WARNING
        else:
            result.status = StageStatus.RUNNING
    _explain_provisional(result)


def _pause_span(pause: Pause, start: datetime.datetime, stop: datetime.datetime | None,
                now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The part of a pause that holds the clock: not before its start, not after its stop;
    an open pause lasts until ``now`` (the due time is shown as if resumed now)."""
    a = max(pause.start, start)
    b = pause.end if pause.end is not None else max(now, pause.start)
    if stop is not None:
        b = min(b, stop)
    return a, b


def _due(calendar: WorkCalendar, unit: Unit, start: datetime.datetime, amount: Fraction,
         pauses: list[Pause], stop: datetime.datetime | None = None,
         now: datetime.datetime | None = None) -> tuple[datetime.datetime, bool]:
    """When ``amount`` of ``unit`` has been counted from ``start``, not counting pauses.

    A pause that begins before the (moving) due time moves it by exactly what the pause
    contains *as the clock counts from ``start``*: its working time (working hours), its
    share of working days after the start's day (working days: a pause in the evening or on
    the start's own day moves nothing), its wall time (hours, minutes), or its wall time after
    the start's day ends (calendar days, months). See docs/sla.md.
    """
    now = now or start
    if unit in _WHOLE_UNITS:
        if amount.denominator != 1:
            raise SlaError(_("%(unit)s take whole numbers.") % {"unit": unit.value})
        result = calendar.add(start, int(amount), unit)
        due = result.value
        day_end = datetime.datetime.combine(
            start.astimezone(calendar.tz).date() + datetime.timedelta(days=1),
            datetime.time(0), tzinfo=calendar.tz)
        for p in pauses:
            a, b = _pause_span(p, max(start, day_end), stop, now)
            if a >= due:
                break
            if b > a:
                due += b - a
        return due, result.provisional
    total, provisional = amount, False
    for p in pauses:
        a, b = _pause_span(p, start, stop, now)
        if b <= a:
            continue
        counted = calendar.add(start, total, unit)
        provisional = provisional or counted.provisional
        if a >= counted.value:
            break
        before, after = calendar.elapsed(start, a, unit), calendar.elapsed(start, b, unit)
        provisional = provisional or after.provisional
        total += after.value - before.value
    added = calendar.add(start, total, unit)
    return added.value, provisional or added.provisional


def _used(calendar: WorkCalendar, unit: Unit, start: datetime.datetime,
          end: datetime.datetime, pauses: list[Pause]) -> Fraction:
    """What the clock counted from ``start`` to ``end``: pauses' content, measured as the
    clock counts from ``start``, is left out."""
    total = calendar.elapsed(start, end, unit).value
    for p in pauses:
        a, b = max(p.start, start), min(p.end or end, end)
        if b > a:
            total -= (calendar.elapsed(start, b, unit).value
                      - calendar.elapsed(start, a, unit).value)
    return max(total, Fraction(0))


def _unit_label(code: str) -> str:
    return str(TimeUnit(code).label) if code in TimeUnit.values else code


def _clock(value: datetime.datetime, calendar: WorkCalendar) -> str:
    return value.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M")
