"""A contract's service levels compiled into plain objects for evaluation.

The same compiled form is built from a spec document (to preview a spec before import) or from
the database (for live tickets); both go through ``Policy.from_spec``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

__all__ = ["Kpi", "Level", "Policy", "Stage", "Target", "format_amount", "kpi_met"]


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    scope: str
    window: str


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    start: str
    stop: str
    # A recurring obligation (处理期间每 30 分钟通报一次进展): while the stage runs an update is
    # due every ``within`` of its target, counted from the start and then from each update.
    every: bool = False


@dataclass(frozen=True)
class Kpi:
    """A period KPI (SLA-05, seed 002 §6.1 "3 个工作日内处理完毕 > 95 %"): the share of tickets
    on time must be above ``percent`` (or at least, when ``inclusive``). A late ticket counts
    toward the rate; it is not a breach by itself."""

    percent: Decimal
    inclusive: bool

    def describe(self) -> str:
        sign = "≥" if self.inclusive else ">"
        return _("on time in %(sign)s %(percent)s %% of the period's tickets") % {
            "sign": sign, "percent": self.percent.normalize()}

    def met(self, on_time: int, total: int) -> bool | None:
        if total <= 0:
            return None
        rate = Decimal(on_time) * 100 / Decimal(total)
        return rate >= self.percent if self.inclusive else rate > self.percent


def kpi_met(target: Target, on_time: int, total: int) -> bool | None:
    """Whether a period's ``on_time`` of ``total`` tickets meet ``target``; None when there
    were no tickets. A target without a KPI is a per-ticket limit: met only when every
    ticket was on time."""
    if total <= 0:
        return None
    if target.kpi is None:
        return on_time >= total
    return target.kpi.met(on_time, total)


@dataclass(frozen=True)
class Target:
    """A stage's limit. Usually ``amount`` of ``unit``; with ``at`` a deadline at a clock time
    (次日 10:00 前): ``amount`` whole days (``unit`` calendar_days or working_days) after the
    start's day, at ``at`` in the calendar's time zone."""

    index: int
    stage: str
    when: dict[str, tuple[str, ...]]
    priority: int
    amount: Fraction
    unit: str
    calendar: str
    penalty_percent: Decimal | None = None
    clause: str = ""
    kpi: Kpi | None = None
    at: datetime.time | None = None

    @property
    def is_breach(self) -> bool:
        """A late stage is a breach (with a penalty) unless the target is a period KPI."""
        return self.kpi is None

    @property
    def measure_unit(self) -> str:
        """The unit time used and left are given in: wall hours for a clock-time deadline."""
        return "hours" if self.at is not None else self.unit

    def describe_within(self) -> str:
        """``2 working_hours`` or ``1 calendar_days at 10:00`` (+ the KPI), for lists."""
        text = f"{format_amount(self.amount)} {self.unit}"
        if self.at is not None:
            text += f" @ {self.at.strftime('%H:%M')}"
        if self.kpi is not None:
            text += f" ({'≥' if self.kpi.inclusive else '>'}{self.kpi.percent.normalize()}%)"
        return text

    def matches(self, attributes: dict[str, Any]) -> bool:
        """Every condition holds. An attribute may carry several values (an asset's type code,
        its ancestors' codes and its category): one of them in the condition is enough."""
        for name, values in self.when.items():
            have = attributes.get(name)
            options = have if isinstance(have, tuple | list) else (have,)
            if not any(option in values for option in options):
                return False
        return True

    def describe_when(self) -> str:
        if not self.when:
            return "*"
        return ", ".join(f"{name}={'|'.join(values)}" for name, values in self.when.items())


def format_amount(value: Fraction) -> str:
    """``2`` or ``0.5``: an amount as written."""
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def parse_clock(text: str) -> datetime.time:
    """``"10:00"`` or ``"10:00:30"`` -> a time of day (24:00 is not a clock time)."""
    parts = str(text).split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 2 for p in parts):
        raise ValueError(f"not a clock time: {text!r}")
    hour, minute = int(parts[0]), int(parts[1])
    return datetime.time(hour, minute, int(parts[2]) if len(parts) == 3 else 0)


def _kpi(data: dict[str, Any] | None) -> Kpi | None:
    if not data:
        return None
    if "at_least_percent" in data:
        return Kpi(Decimal(str(data["at_least_percent"])), inclusive=True)
    return Kpi(Decimal(str(data["above_percent"])), inclusive=False)


def _values(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_text(v) for v in items)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Policy:
    calendar: str
    level_calendar: str
    warning_at: Fraction
    pause_states: tuple[str, ...]
    levels: tuple[Level, ...]
    stages: tuple[Stage, ...]
    targets: tuple[Target, ...]
    penalty_percent: Decimal | None = None
    calendars_used: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_spec(cls, data: dict[str, Any]) -> Policy:
        """Compile a validated ``service_levels`` section."""
        calendar = data["calendar"]
        levels_data = data.get("fault_levels", {})
        targets = tuple(
            Target(
                index=i,
                stage=t["stage"],
                when={name: _values(v) for name, v in t.get("when", {}).items()},
                priority=int(t.get("priority", 0)),
                amount=Fraction(str(t["within"].get("amount", t["within"].get("days", 0)))),
                unit=(t["within"].get("day_unit", "calendar_days") if "at" in t["within"]
                      else t["within"]["unit"]),
                calendar=t["within"].get("calendar", calendar),
                penalty_percent=(Decimal(str(t["penalty_percent"]))
                                 if t.get("penalty_percent") is not None else None),
                clause=t.get("clause", ""),
                kpi=_kpi(t.get("kpi")),
                at=(parse_clock(t["within"]["at"]) if "at" in t["within"] else None),
            )
            for i, t in enumerate(data.get("targets", []))
        )
        level_calendar = levels_data.get("calendar", calendar)
        return cls(
            calendar=calendar,
            level_calendar=level_calendar,
            warning_at=Fraction(str(data.get("warning_at", "0.75"))),
            pause_states=tuple(data.get("pause_states", [])),
            levels=tuple(Level(lv["code"], lv["name"], lv["scope"], lv.get("window", "any"))
                         for lv in levels_data.get("levels", [])),
            stages=tuple(Stage(s["code"], s["name"], s["start"], s["stop"],
                               bool(s.get("every", False)))
                         for s in data.get("stages", [])),
            targets=targets,
            penalty_percent=(Decimal(str(data["penalty_percent"]))
                             if data.get("penalty_percent") is not None else None),
            calendars_used=frozenset({calendar, level_calendar,
                                      *(t.calendar for t in targets)}),
        )

    def targets_for(self, stage: str) -> list[Target]:
        return [t for t in self.targets if t.stage == stage]
