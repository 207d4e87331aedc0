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

from weibao.calendars.worktime import CalendarError, Unit, WorkCalendar
from weibao.sla.choices import Attribute, ClockEvent, StageStatus, TimeWindow
from weibao.sla.policy import Level, Policy, Stage, Target

__all__ = ["Evaluation", "Pause", "SlaError", "StageResult", "classify_level", "evaluate"]

EngineFor = Callable[[str], WorkCalendar]
_WALL_UNITS = {Unit.MINUTES, Unit.HOURS}
_WHOLE_UNITS = {Unit.CALENDAR_DAYS, Unit.MONTHS}


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

    @property
    def unit(self) -> str:
        return self.target.unit if self.target else ""

    @property
    def used_share(self) -> float:
        if not self.target or self.used is None:
            return 0.0
        return float(self.used / self.target.amount)


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
    working = calendar.is_working_time(reported)
    window = TimeWindow.WORKING if working else TimeWindow.NON_WORKING
    for level in policy.levels:
        if level.scope == scope and level.window in (window, TimeWindow.ANY):
            reason = _("Fault level %(code)s (%(name)s): reported at %(time)s, %(window)s of "
                       "calendar %(calendar)s, %(scope)s scope.") % {
                "code": level.code, "name": level.name,
                "time": reported.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M:%S"),
                "window": TimeWindow(window).label, "calendar": policy.level_calendar,
                "scope": scope}
            return level, reason
    raise SlaError(_("No fault level of this contract covers scope %(scope)s %(window)s.")
                   % {"scope": scope, "window": TimeWindow(window).label})


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
             now: datetime.datetime, engine: EngineFor) -> Evaluation:
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
    try:
        level, level_reason = classify_level(policy, attributes,
                                             events.get(ClockEvent.REPORTED), engine)
        if level is not None:
            attributes[Attribute.FAULT_LEVEL] = level.code
        results = [_stage(policy, stage, attributes, events, checked, now, engine)
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


def _stage(policy: Policy, stage: Stage, attributes: dict[str, str],
           events: dict[str, datetime.datetime], pauses: list[Pause],
           now: datetime.datetime, engine: EngineFor) -> StageResult:
    target = select_target(policy, stage, attributes)
    start, stop = events.get(stage.start), events.get(stage.stop)
    result = StageResult(stage=stage, status=StageStatus.NO_TARGET, target=target,
                         started_at=start, stopped_at=stop)
    if target is None:
        result.explanation.append(_("No target of this contract applies to these attributes."))
        return result
    unit = _unit(target.unit)
    calendar = engine(target.calendar)
    result.explanation.append(
        _("Target #%(n)d applies (%(when)s, priority %(priority)s): within %(amount)s "
          "%(unit)s, calendar %(calendar)s.")
        % {"n": target.index + 1, "when": target.describe_when(), "priority": target.priority,
           "amount": _fmt(target.amount), "unit": target.unit, "calendar": target.calendar})
    if target.clause:
        result.explanation.append(target.clause)
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
    due, provisional = _due(calendar, unit, start, target.amount, mine)
    result.due_at, result.provisional = due, provisional
    warn_amount = target.amount * policy.warning_at
    if unit not in _WHOLE_UNITS:
        result.warn_at = _due(calendar, unit, start, warn_amount, mine)[0]
    end = stop if stop is not None else now
    used = _used(calendar, unit, start, max(end, start), mine)
    result.used, result.left = used, max(target.amount - used, Fraction(0))
    skipped = calendar.elapsed(start, max(end, due), unit, explain=True)
    result.provisional = result.provisional or skipped.provisional
    for note in skipped.explanation:
        result.explanation.append(_("%(day)s not counted: %(reason)s")
                                  % {"day": note.day.isoformat(), "reason": note.reason})
    for p in mine:
        result.explanation.append(
            _("Paused %(start)s – %(end)s (%(state)s) %(reason)s")
            % {"start": _clock(p.start, calendar), "state": p.state, "reason": p.reason,
               "end": _clock(p.end, calendar) if p.end else _("now")})
    if stop is not None:
        result.status = StageStatus.MET if stop <= due else StageStatus.BREACHED
    elif now > due:
        result.status = StageStatus.BREACHED
    elif any(p.start <= now and (p.end is None or now < p.end) for p in mine):
        result.status = StageStatus.PAUSED
    elif used >= warn_amount:
        result.status = StageStatus.WARNING
    else:
        result.status = StageStatus.RUNNING
    if provisional or skipped.provisional:
        result.explanation.append(_("Provisional: the working calendar of a year involved has "
                                    "not been officially published yet."))
    return result


def _due(calendar: WorkCalendar, unit: Unit, start: datetime.datetime, amount: Fraction,
         pauses: list[Pause]) -> tuple[datetime.datetime, bool]:
    """When ``amount`` of ``unit`` has been counted from ``start``, not counting pauses."""
    provisional = False
    if unit in _WHOLE_UNITS:
        if amount.denominator != 1:
            raise SlaError(_("%(unit)s take whole numbers.") % {"unit": unit.value})
        result = calendar.add(start, int(amount), unit)
        due = result.value
        for p in pauses:  # calendar days and months: a pause extends the period by its length
            if p.start < due:
                due += (p.end or due) - max(p.start, start)
        return due, result.provisional
    cursor, remaining = start, amount
    for pause in pauses:
        if pause.start > cursor:
            counted = calendar.elapsed(cursor, pause.start, unit)
            provisional = provisional or counted.provisional
            if counted.value >= remaining:
                break
            remaining -= counted.value
        if pause.end is None:
            # Still paused: the due time is not known yet; show it as if resumed now.
            break
        cursor = max(cursor, pause.end)
    added = calendar.add(cursor, remaining, unit)
    return added.value, provisional or added.provisional


def _used(calendar: WorkCalendar, unit: Unit, start: datetime.datetime,
          end: datetime.datetime, pauses: list[Pause]) -> Fraction:
    total = calendar.elapsed(start, end, unit).value
    for p in pauses:
        a, b = max(p.start, start), min(p.end or end, end)
        if b > a:
            total -= calendar.elapsed(a, b, unit).value
    return max(total, Fraction(0))


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _clock(value: datetime.datetime, calendar: WorkCalendar) -> str:
    return value.astimezone(calendar.tz).strftime("%Y-%m-%d %H:%M")
