"""A contract's service levels compiled into plain objects for evaluation.

The same compiled form is built from a spec document (to preview a spec before import) or from
the database (for live tickets); both go through ``Policy.from_spec``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = ["Level", "Policy", "Stage", "Target"]


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


@dataclass(frozen=True)
class Target:
    index: int
    stage: str
    when: dict[str, tuple[str, ...]]
    priority: int
    amount: Fraction
    unit: str
    calendar: str
    penalty_percent: Decimal | None = None
    clause: str = ""

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
                amount=Fraction(str(t["within"]["amount"])),
                unit=t["within"]["unit"],
                calendar=t["within"].get("calendar", calendar),
                penalty_percent=(Decimal(str(t["penalty_percent"]))
                                 if t.get("penalty_percent") is not None else None),
                clause=t.get("clause", ""),
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
            stages=tuple(Stage(s["code"], s["name"], s["start"], s["stop"])
                         for s in data.get("stages", [])),
            targets=targets,
            penalty_percent=(Decimal(str(data["penalty_percent"]))
                             if data.get("penalty_percent") is not None else None),
            calendars_used=frozenset({calendar, level_calendar,
                                      *(t.calendar for t in targets)}),
        )

    def targets_for(self, stage: str) -> list[Target]:
        return [t for t in self.targets if t.stage == stage]
