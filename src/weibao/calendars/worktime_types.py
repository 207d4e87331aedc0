"""Value types and input helpers of the working-time engine.

Split out of :mod:`weibao.calendars.worktime` (which re-exports everything
public here): errors, units, day kinds, segments, day overrides, results,
and the exact conversion of datetimes and amounts.  Pure standard library.
"""

from __future__ import annotations

import calendar as _stdcal
import enum
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Generic, NamedTuple, TypeAlias, TypeVar

__all__ = [
    "DAY_SECONDS",
    "US",
    "Amount",
    "CalendarError",
    "DayKind",
    "DayNote",
    "DayOverride",
    "Result",
    "Segment",
    "SegmentLike",
    "TimeKind",
    "TimeLike",
    "Unit",
    "abs_us",
    "add_months",
    "exact_amount",
    "parse_segments",
    "whole_amount",
]

US = 1_000_000  # microseconds per second
DAY_SECONDS = 86_400
DAY_US = DAY_SECONDS * US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

T = TypeVar("T")
Amount: TypeAlias = int | Fraction | Decimal | float
TimeLike: TypeAlias = time | str | int


class CalendarError(ValueError):
    """Invalid calendar data, invalid input, or a question the data cannot answer."""


class Unit(enum.Enum):
    """Units understood by :meth:`WorkCalendar.add` / :meth:`WorkCalendar.elapsed`."""

    MINUTES = "minutes"  # plain elapsed time, the calendar is not consulted
    HOURS = "hours"  # plain elapsed time, the calendar is not consulted
    WORKING_MINUTES = "working_minutes"  # time inside working segments only
    WORKING_HOURS = "working_hours"  # 工作时
    WORKING_DAYS = "working_days"  # 工作日, Civil Code counting
    CALENDAR_DAYS = "calendar_days"  # 日, Civil Code counting, ends 24:00
    MONTHS = "months"  # 月, Civil Code art. 202 corresponding day


class DayKind(enum.Enum):
    """What a day is.  ``REGULAR`` means "follows the weekly schedule"."""

    REGULAR = "regular"
    HOLIDAY = "holiday"  # no work (法定节假日 or any other closed day)
    WORKDAY = "workday"  # works although the weekly schedule says rest
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休 workday, usually a weekend day
    HALF_DAY = "half_day"  # works with its own, shorter segments
    CUSTOM = "custom"  # explicit segments (may be empty = closed)


class TimeKind(enum.Enum):
    """What kind of time an instant is (contracts choose a fault level by it).

    ``WORKING`` is inside a working segment. On a working day (a day with working time,
    调休 days included), ``LUNCH_BREAK`` lies between two of its segments and ``WEEKNIGHT``
    before its first or after its last segment. On a day without working time,
    ``HOLIDAY`` is a day closed by a holiday override (statutory holiday or a calendar's own
    holiday) and ``REST_DAY`` any other (the weekly schedule's rest days, a closed custom day).
    """

    WORKING = "working"
    LUNCH_BREAK = "lunch_break"
    WEEKNIGHT = "weeknight"
    REST_DAY = "rest_day"
    HOLIDAY = "holiday"


# --------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------


def _seconds_of(value: TimeLike, what: str) -> int:
    if isinstance(value, bool):
        raise CalendarError(f"{what}: expected a time, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, time):
        if value.microsecond or value.tzinfo is not None:
            raise CalendarError(f"{what}: use whole seconds and no tzinfo, got {value!r}")
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, str):
        parts = value.strip().split(":")
        if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
            raise CalendarError(f"{what}: expected 'HH:MM' or 'HH:MM:SS', got {value!r}")
        h, m = int(parts[0]), int(parts[1])
        s = int(parts[2]) if len(parts) == 3 else 0
        if m > 59 or s > 59 or (h == 24 and (m or s)) or h > 24:
            raise CalendarError(f"{what}: invalid time of day {value!r}")
        return h * 3600 + m * 60 + s
    raise CalendarError(f"{what}: expected time, 'HH:MM' or seconds, got {value!r}")


def _fmt_seconds(sec: int) -> str:
    h, rest = divmod(sec, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


@dataclass(frozen=True, order=True, slots=True)
class Segment:
    """A working segment of a day, in local wall-clock seconds after midnight.

    ``end`` may be ``86400`` (24:00).  Working time is ``[start, end)``.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise CalendarError(f"segment bounds must be int seconds: {self.start!r}, {self.end!r}")
        if not 0 <= self.start < DAY_SECONDS:
            raise CalendarError(f"segment start out of range 00:00..23:59:59: {self.start}")
        if not 0 < self.end <= DAY_SECONDS:
            raise CalendarError(f"segment end out of range 00:00:01..24:00: {self.end}")
        if self.start >= self.end:
            raise CalendarError(
                f"segment start must be before its end (empty or reversed): "
                f"{_fmt_seconds(self.start)}-{_fmt_seconds(self.end)}"
            )

    @classmethod
    def of(cls, value: SegmentLike) -> Segment:
        """Accept a Segment, ``"08:30-12:00"`` or ``(start, end)`` with times/strings/seconds."""
        if isinstance(value, Segment):
            return value
        if isinstance(value, str):
            if "-" not in value:
                raise CalendarError(f"segment must look like '08:30-17:30', got {value!r}")
            a, b = value.split("-", 1)
            return cls(_seconds_of(a, "segment start"), _seconds_of(b, "segment end"))
        if isinstance(value, tuple) and len(value) == 2:
            return cls(_seconds_of(value[0], "segment start"), _seconds_of(value[1], "segment end"))
        raise CalendarError(f"cannot read a segment from {value!r}")

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_fmt_seconds(self.start)}-{_fmt_seconds(self.end)}"


SegmentLike: TypeAlias = Segment | tuple[TimeLike, TimeLike] | str


def parse_segments(specs: Iterable[SegmentLike] | str) -> tuple[Segment, ...]:
    """Validate a day's segments: sorted by start; overlap raises CalendarError.

    Touching segments (``08:30-12:00`` and ``12:00-17:30``) are allowed.
    """
    if isinstance(specs, str):
        specs = [specs]
    segs = sorted(Segment.of(s) for s in specs)
    for prev, cur in itertools.pairwise(segs):
        if cur.start < prev.end:
            raise CalendarError(f"overlapping segments {prev} and {cur}")
    return tuple(segs)


# --------------------------------------------------------------------------
# Day overrides, notes and results
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayOverride:
    """A dated exception to the weekly schedule.

    * ``HOLIDAY``: no work; ``segments`` must be empty.
    * ``WORKDAY`` / ``ADJUSTED_WORKDAY`` (调休): works; ``segments=None`` means
      "the calendar's workday template" (by default Monday's segments).
    * ``HALF_DAY``: works with its own, non-empty ``segments``.
    * ``CUSTOM``: explicit ``segments`` (empty = closed).
    """

    kind: DayKind
    name: str | None = None
    segments: tuple[Segment, ...] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, DayKind) or self.kind is DayKind.REGULAR:
            raise CalendarError(f"an override needs a non-REGULAR DayKind, got {self.kind!r}")
        segs = None if self.segments is None else parse_segments(self.segments)
        object.__setattr__(self, "segments", segs)
        k = self.kind
        if k is DayKind.HOLIDAY and segs:
            raise CalendarError("a HOLIDAY override cannot have working segments")
        if k is DayKind.HALF_DAY and not segs:
            raise CalendarError("a HALF_DAY override needs its (non-empty) segments")
        if k is DayKind.CUSTOM and segs is None:
            raise CalendarError("a CUSTOM override needs explicit segments")

    @classmethod
    def holiday(cls, name: str | None = None) -> DayOverride:
        return cls(DayKind.HOLIDAY, name)

    @classmethod
    def adjusted_workday(
        cls, name: str | None = None, segments: Iterable[SegmentLike] | None = None
    ) -> DayOverride:
        segs = None if segments is None else parse_segments(segments)
        return cls(DayKind.ADJUSTED_WORKDAY, name, segs)

    @classmethod
    def workday(
        cls, name: str | None = None, segments: Iterable[SegmentLike] | None = None
    ) -> DayOverride:
        segs = None if segments is None else parse_segments(segments)
        return cls(DayKind.WORKDAY, name, segs)

    @classmethod
    def half_day(
        cls, segments: Iterable[SegmentLike] | str, name: str | None = None
    ) -> DayOverride:
        return cls(DayKind.HALF_DAY, name, parse_segments(segments))

    @classmethod
    def custom(cls, segments: Iterable[SegmentLike] | str, name: str | None = None) -> DayOverride:
        return cls(DayKind.CUSTOM, name, parse_segments(segments))


class DayNote(NamedTuple):
    """One line of an explanation: a day that was skipped or is special."""

    day: date
    kind: DayKind
    working: bool
    name: str | None
    reason: str


class Result(NamedTuple, Generic[T]):
    """Outcome of a calculation.

    ``value`` is an aware datetime (``add`` and deadlines) or an exact
    ``Fraction`` in the requested unit (``elapsed``).  ``provisional`` is
    True when any day consulted lies in a provisional year.  ``explanation``
    is filled only when asked for (``explain=True``).
    """

    value: T
    provisional: bool
    explanation: tuple[DayNote, ...] = ()


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def abs_us(dt: datetime) -> int:
    """Aware datetime -> integer microseconds since the epoch.

    Subtracting an aware epoch raises TypeError for naive datetimes (and for
    non-datetimes), which keeps the validation off the fast path.
    """
    try:
        td = dt - EPOCH
    except TypeError:
        raise _not_aware(dt) from None
    if type(td) is not timedelta:
        raise _not_aware(dt)
    return (td.days * DAY_SECONDS + td.seconds) * US + td.microseconds


def _not_aware(dt: object) -> CalendarError:
    if isinstance(dt, datetime):
        return CalendarError(f"naive datetime {dt.isoformat()}: a timezone is required")
    return CalendarError(f"expected a timezone-aware datetime, got {type(dt).__name__}")


def exact_amount(amount: object) -> int | Fraction:
    """Validate an amount and return it as an exact int or Fraction."""
    v: int | Fraction
    if isinstance(amount, bool):
        raise CalendarError("amount must be a number, not a bool")
    if isinstance(amount, (int, Fraction)):
        v = amount
    elif isinstance(amount, Decimal):
        if not amount.is_finite():
            raise CalendarError(f"amount must be finite, got {amount}")
        v = Fraction(amount)
    elif isinstance(amount, float):
        if not math.isfinite(amount):
            raise CalendarError(f"amount must be finite, got {amount}")
        v = Fraction(repr(amount))  # 0.1 means one tenth, not its binary neighbour
    else:
        raise CalendarError(f"unsupported amount type {type(amount).__name__}")
    if v < 0:
        raise CalendarError(f"negative amount {amount}: periods are counted forwards only")
    return v


def whole_amount(amount: object, unit: Unit) -> int:
    v = exact_amount(amount)
    if isinstance(v, Fraction):
        if v.denominator != 1:
            raise CalendarError(f"{unit.value} must be a whole number, got {amount}")
        return v.numerator
    return v


def add_months(d: date, months: int) -> date:
    """Civil Code art. 202: the corresponding day, or the month's last day."""
    idx = d.year * 12 + d.month - 1 + months
    y, m0 = divmod(idx, 12)
    if not 1 <= y <= 9999:
        raise CalendarError(f"no calendar data for {y}")
    last = _stdcal.monthrange(y, m0 + 1)[1]
    return date(y, m0 + 1, min(d.day, last))
