"""Weekly hours and dated days as stored (lists of "08:30-17:30"), checked by the engine.

Plain functions without database access: the models, services, forms, the spec section and the
engine bridge share them, so every way in accepts and normalises hours the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from weibao.calendars.choices import WEEKDAYS, DayType
from weibao.calendars.worktime import CalendarError, DayKind, DayOverride, parse_segments

__all__ = [
    "check_day",
    "day_override",
    "engine_weekly",
    "normalize_segments",
    "normalize_weekly",
    "split_segments",
    "workday_template",
]

ALWAYS: list[str] = ["00:00-24:00"]
_SPLIT = re.compile(r"[\s,，;；、]+")


def split_segments(text: str) -> list[str]:
    """``"08:30-12:00, 13:00-17:30"`` (commas, spaces or Chinese separators) -> a list."""
    return [part for part in _SPLIT.split(text.strip()) if part]


def normalize_segments(value: Iterable[str] | str | None) -> list[str]:
    """Validate one day's segments and write them canonically, sorted: ``["08:30-12:00", ...]``.

    Raises :class:`CalendarError` for a malformed, empty, reversed or overlapping segment.
    """
    if value is None:
        return []
    items = split_segments(value) if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise CalendarError(f"segment must look like '08:30-17:30', got {item!r}")
    return [str(s) for s in parse_segments(items)]


def normalize_weekly(value: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Weekly hours keyed ``mon`` .. ``sun``; a missing or empty day is a rest day."""
    value = value or {}
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise CalendarError(f"unknown weekday {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
    out: dict[str, list[str]] = {}
    for key in WEEKDAYS:
        try:
            out[key] = normalize_segments(value.get(key))
        except CalendarError as exc:
            raise CalendarError(f"{key}: {exc}") from None
    return out


def check_day(kind: str, segments: Iterable[str] | str | None) -> list[str] | None:
    """Normalised segments for a dated day of ``kind`` (``None``: none given).

    A holiday has no segments (``None``); a half day needs some; a custom day has explicit segments
    (none = closed); an adjusted workday may give its own or use the calendar's workday hours.
    """
    if kind not in DayType.values:
        raise CalendarError(f"unknown day kind {kind!r}; use {', '.join(DayType.values)}")
    given = segments is not None and (segments != "" and segments != [])
    segs = normalize_segments(segments) if given else []
    if kind == DayType.HOLIDAY:
        if segs:
            raise CalendarError("a holiday cannot have working hours")
        return None
    if kind == DayType.HALF_DAY and not segs:
        raise CalendarError("a half day needs its working hours, e.g. 08:30-12:00")
    if kind == DayType.ADJUSTED_WORKDAY and not segs:
        return None
    return segs


def day_override(kind: str, name: str, segments: list[str] | None) -> DayOverride:
    """The engine's override for a stored day."""
    engine_kind = DayKind(kind)
    if engine_kind is DayKind.HOLIDAY:
        return DayOverride.holiday(name or None)
    if engine_kind is DayKind.ADJUSTED_WORKDAY:
        return DayOverride.adjusted_workday(name or None, segments or None)
    if engine_kind is DayKind.HALF_DAY:
        return DayOverride.half_day(segments or [], name or None)
    return DayOverride.custom(segments or [], name or None)


def engine_weekly(weekly: Mapping[str, list[str]]) -> dict[int, list[str]]:
    return {i: list(weekly.get(key) or []) for i, key in enumerate(WEEKDAYS)}


def workday_template(weekly: Mapping[str, list[str]]) -> list[str]:
    """Hours of an adjusted workday (调休) without its own: the first weekday that works."""
    for key in WEEKDAYS:
        if weekly.get(key):
            return list(weekly[key])
    return []
