"""Working-time arithmetic for Chinese government maintenance contracts.

Requirements CAL-01..CAL-03.  Pure standard library (``zoneinfo``), no Django.

A :class:`WorkCalendar` is built once from plain data (time zone, weekly
schedule, dated day overrides, covered years) and is immutable afterwards.
Construction precomputes, over the whole covered range, the absolute start
and end of every working segment and the cumulative working time before it,
so :meth:`WorkCalendar.add` and :meth:`WorkCalendar.elapsed` are a handful of
``bisect`` look-ups (O(log n)); nothing steps minute by minute.

All internal instants are integer microseconds since the Unix epoch (UTC),
so the arithmetic is exact and daylight-saving transitions are handled by
``zoneinfo`` when the calendar is built.  The conventions are documented in
``docs/dev/working-time.md``; the short version:

* working time is the union of half-open segments ``[start, end)``;
* ``add(s, x)`` is the *earliest* instant ``t >= s`` whose counted amount
  ``elapsed(s, t)`` reaches ``x``; so a result that uses up a segment
  exactly lands on the segment end (17:30, not 08:30 next morning), and
  ``add(s, 0)`` is ``s``;
* day counting follows PRC Civil Code art. 201-203: the event day is not
  counted, the period ends at close of business (working days) or 24:00
  (calendar days, months) of the last day, and a last day that is not a
  working day moves to the next working day (calendar days, months).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .worktime_types import (
    DAY_SECONDS,
    DAY_US,
    EPOCH,
    US,
    Amount,
    CalendarError,
    DayKind,
    DayNote,
    DayOverride,
    Result,
    Segment,
    SegmentLike,
    TimeKind,
    TimeLike,
    Unit,
    abs_us,
    add_months,
    exact_amount,
    parse_segments,
    whole_amount,
)

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
    "WorkCalendar",
    "add_months",
    "parse_segments",
    "seven_by_twenty_four",
]

_MAX_YEARS = 400
_WORKING_HOURS = Unit.WORKING_HOURS
_WORKING_MINUTES = Unit.WORKING_MINUTES
_UNIT_US = {
    Unit.MINUTES: 60 * US,
    Unit.HOURS: 3600 * US,
    Unit.WORKING_MINUTES: 60 * US,
    Unit.WORKING_HOURS: 3600 * US,
}


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


class WorkCalendar:
    """An immutable working-time calendar covering ``first_year..last_year``.

    :param tz: IANA zone name or ``ZoneInfo`` (e.g. ``"Asia/Shanghai"``).
    :param weekly: weekday (0=Monday .. 6=Sunday) -> segments; missing = rest day.
    :param first_year, last_year: the covered range; anything outside raises.
    :param overrides: date -> :class:`DayOverride` (holidays, 调休 days, ...).
    :param provisional_years: years whose holiday data is not yet official.
    :param workday_template: segments used by WORKDAY/ADJUSTED_WORKDAY overrides
        without their own segments: a weekday number (default 0, Monday) or
        explicit segments.
    """

    __slots__ = (
        "_base",
        "_cw",
        "_day_cum",
        "_day_seg",
        "_day_us",
        "_first_year",
        "_hi",
        "_last_year",
        "_lo",
        "_n",
        "_name",
        "_overrides",
        "_prov",
        "_prov_any",
        "_prov_spans",
        "_provisional",
        "_seg_cum",
        "_seg_end",
        "_seg_off",
        "_seg_start",
        "_template",
        "_tz",
        "_weekly",
    )

    _tz: ZoneInfo
    _name: str
    _first_year: int
    _last_year: int
    _provisional: frozenset[int]
    _weekly: tuple[tuple[Segment, ...], ...]
    _template: tuple[Segment, ...]
    _overrides: Mapping[date, DayOverride]
    _base: int
    _n: int
    _day_us: list[int]
    _day_cum: list[int]
    _day_seg: list[int]
    _cw: list[int]
    _prov: list[int]
    _prov_any: bool
    _prov_spans: tuple[tuple[int, int], ...]
    _seg_start: list[int]
    _seg_end: list[int]
    _seg_off: list[int]
    _seg_cum: list[int]
    _lo: int
    _hi: int

    def __init__(
        self,
        *,
        tz: str | ZoneInfo,
        weekly: Mapping[int, Iterable[SegmentLike] | str],
        first_year: int,
        last_year: int,
        overrides: Mapping[date, DayOverride] | None = None,
        provisional_years: Iterable[int] = (),
        workday_template: int | Iterable[SegmentLike] = 0,
        name: str = "",
    ) -> None:
        put = object.__setattr__
        if isinstance(tz, str):
            try:
                tz = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise CalendarError(f"unknown time zone {tz!r}") from exc
        if not isinstance(tz, ZoneInfo):
            raise CalendarError(f"tz must be a zoneinfo.ZoneInfo or a zone name, got {tz!r}")
        if not (isinstance(first_year, int) and isinstance(last_year, int)):
            raise CalendarError("first_year and last_year must be integers")
        if not 1 < first_year <= last_year < 9999:
            raise CalendarError(f"invalid covered range {first_year}..{last_year}")
        if last_year - first_year >= _MAX_YEARS:
            raise CalendarError(f"covered range longer than {_MAX_YEARS} years")
        for wd in weekly:
            if wd not in range(7):
                raise CalendarError(f"weekly schedule key must be a weekday 0..6, got {wd!r}")
        week = tuple(parse_segments(weekly.get(wd, ())) for wd in range(7))
        if isinstance(workday_template, int) and not isinstance(workday_template, bool):
            if workday_template not in range(7):
                raise CalendarError(
                    f"workday_template weekday must be 0..6, got {workday_template}"
                )
            template = week[workday_template]
        else:
            template = parse_segments(workday_template)  # type: ignore[arg-type]
        prov = frozenset(provisional_years)
        for y in prov:
            if not first_year <= y <= last_year:
                raise CalendarError(
                    f"provisional year {y} outside covered range {first_year}..{last_year}"
                )
        ovs: dict[date, DayOverride] = {}
        for d, ov in (overrides or {}).items():
            if isinstance(d, datetime) or not isinstance(d, date):
                raise CalendarError(f"override keys must be dates, got {d!r}")
            if not isinstance(ov, DayOverride):
                raise CalendarError(f"override for {d} must be a DayOverride, got {ov!r}")
            if not first_year <= d.year <= last_year:
                raise CalendarError(f"override {d} outside covered range {first_year}..{last_year}")
            uses_template = ov.kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)
            if uses_template and ov.segments is None and not template:
                raise CalendarError(f"override {d} uses the workday template, which is empty")
            ovs[d] = ov
        put(self, "_tz", tz)
        put(self, "_name", name)
        put(self, "_first_year", first_year)
        put(self, "_last_year", last_year)
        put(self, "_provisional", prov)
        put(self, "_weekly", week)
        put(self, "_template", template)
        put(self, "_overrides", MappingProxyType(ovs))
        self._build()

    # -- construction ------------------------------------------------------

    def _local_us(self, ordinal: int, seconds: int) -> int:
        """Local wall time (day ordinal, seconds) -> absolute microseconds.

        A wall time inside a DST gap resolves to the transition instant; a
        repeated wall time resolves to its first occurrence (``fold=0``).
        """
        naive = datetime.fromordinal(ordinal) + timedelta(seconds=seconds)
        aware = naive.replace(tzinfo=self._tz)
        us = abs_us(aware)
        if self._wall(us) == naive:
            return us
        lo, hi = sorted((abs_us(aware.replace(fold=1)) // US, us // US))
        while lo < hi:  # first instant whose wall time is >= naive
            mid = (lo + hi) // 2
            if self._wall(mid * US) >= naive:
                hi = mid
            else:
                lo = mid + 1
        return lo * US

    def _wall(self, us: int) -> datetime:
        return (EPOCH + timedelta(microseconds=us)).astimezone(self._tz).replace(tzinfo=None)

    def _segments_for(self, d: date) -> tuple[Segment, ...]:
        ov = self._overrides.get(d)
        if ov is None:
            return self._weekly[d.weekday()]
        if ov.kind is DayKind.HOLIDAY:
            return ()
        if ov.segments is None:  # WORKDAY / ADJUSTED_WORKDAY on the template
            return self._template
        return ov.segments

    def _build(self) -> None:
        put = object.__setattr__
        base = date(self._first_year, 1, 1).toordinal()
        n = date(self._last_year + 1, 1, 1).toordinal() - base
        day_us = [self._local_us(base + i, 0) for i in range(n + 1)]
        seg_start: list[int] = []
        seg_end: list[int] = []
        seg_off: list[int] = []
        seg_cum: list[int] = []
        day_cum = [0] * (n + 1)
        day_seg = [0] * (n + 1)
        cw = [0] * (n + 1)
        prov = [0] * (n + 1)
        total = 0
        for i in range(n):
            d = date.fromordinal(base + i)
            day_cum[i] = total
            day_seg[i] = len(seg_start)
            midnight = day_us[i]
            plain_day = day_us[i + 1] - midnight == DAY_US  # no DST change today
            for seg in self._segments_for(d):
                if plain_day:
                    a, b = midnight + seg.start * US, midnight + seg.end * US
                else:
                    a, b = self._local_us(base + i, seg.start), self._local_us(base + i, seg.end)
                if b <= a:  # swallowed by a DST gap
                    continue
                seg_start.append(a)
                seg_end.append(b)
                seg_off.append(total - a)
                total += b - a
                seg_cum.append(total)
            cw[i + 1] = cw[i] + (1 if total > day_cum[i] else 0)
            prov[i + 1] = prov[i] + (1 if d.year in self._provisional else 0)
        day_cum[n] = total
        day_seg[n] = len(seg_start)
        spans: list[tuple[int, int]] = []  # provisional years as [lo, hi) instants
        for y in sorted(self._provisional):
            lo = day_us[date(y, 1, 1).toordinal() - base]
            hi = day_us[date(y + 1, 1, 1).toordinal() - base]
            if spans and spans[-1][1] == lo:
                lo = spans.pop()[0]
            spans.append((lo, hi))
        for attr, value in (
            ("_base", base),
            ("_n", n),
            ("_day_us", day_us),
            ("_day_cum", day_cum),
            ("_day_seg", day_seg),
            ("_cw", cw),
            ("_prov", prov),
            ("_prov_any", bool(self._provisional)),
            ("_prov_spans", tuple(spans)),
            ("_seg_start", seg_start),
            ("_seg_end", seg_end),
            ("_seg_off", seg_off),
            ("_seg_cum", seg_cum),
            ("_lo", day_us[0]),
            ("_hi", day_us[n]),
        ):
            put(self, attr, value)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("WorkCalendar is immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("WorkCalendar is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "tz": self._tz.key,
            "weekly": {wd: segs for wd, segs in enumerate(self._weekly) if segs},
            "first_year": self._first_year,
            "last_year": self._last_year,
            "overrides": dict(self._overrides),
            "provisional_years": sorted(self._provisional),
            "workday_template": self._template,
            "name": self._name,
        }
        return (_rebuild, (kwargs,))

    def __repr__(self) -> str:
        return (
            f"<WorkCalendar {self._name!r} {self._tz.key} {self._first_year}..{self._last_year}"
            f" overrides={len(self._overrides)} provisional={sorted(self._provisional)}>"
        )

    # -- read-only properties ------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def name(self) -> str:
        return self._name

    @property
    def first_year(self) -> int:
        return self._first_year

    @property
    def last_year(self) -> int:
        return self._last_year

    @property
    def provisional_years(self) -> frozenset[int]:
        return self._provisional

    @property
    def weekly(self) -> tuple[tuple[Segment, ...], ...]:
        """Segments per weekday, index 0 = Monday."""
        return self._weekly

    @property
    def overrides(self) -> Mapping[date, DayOverride]:
        return self._overrides

    # -- errors and conversions -----------------------------------------------

    def _range_error(self, us: int) -> CalendarError:
        year = self._wall(us).year if -62_000_000_000 * US < us < 253_000_000_000 * US else "?"
        return CalendarError(
            f"no calendar data for {year}: calendar {self._name!r} covers "
            f"{self._first_year}..{self._last_year}"
        )

    def _beyond_error(self) -> CalendarError:
        return CalendarError(
            f"no calendar data for {self._last_year + 1}: the result lies beyond the covered "
            f"range {self._first_year}..{self._last_year} of calendar {self._name!r}"
        )

    def _in_range(self, us: int) -> int:
        if not self._lo <= us <= self._hi:
            raise self._range_error(us)
        return us

    def _to_dt(self, us: int) -> datetime:
        sec, micro = divmod(us, US)
        dt = datetime.fromtimestamp(sec, self._tz)
        return dt.replace(microsecond=micro) if micro else dt

    def _day_index(self, d: date) -> int:
        if isinstance(d, datetime) or not isinstance(d, date):
            raise CalendarError(f"expected a date, got {d!r}")
        i = d.toordinal() - self._base
        if not 0 <= i < self._n:
            raise CalendarError(
                f"no calendar data for {d.year}: calendar {self._name!r} covers "
                f"{self._first_year}..{self._last_year}"
            )
        return i

    def _w(self, us: int) -> int:
        """Working microseconds in [range start, us)."""
        k = bisect_right(self._seg_start, us) - 1
        if k < 0:
            return 0
        v = us + self._seg_off[k]
        c = self._seg_cum[k]
        return v if v < c else c

    def _at_working(self, target: int) -> int:
        """Earliest instant at which cumulative working time equals ``target``."""
        j = bisect_left(self._seg_cum, target)
        if j == len(self._seg_cum):
            raise self._beyond_error()
        return target - self._seg_off[j]

    # -- day-level queries --------------------------------------------------------

    def day_note(self, d: date) -> DayNote:
        """Describe one day (kind, whether it has working time, why)."""
        i = self._day_index(d)
        working = self._day_cum[i + 1] > self._day_cum[i]
        ov = self._overrides.get(d)
        if ov is None:
            reason = "regular working day" if working else "rest day (weekly schedule)"
            return DayNote(d, DayKind.REGULAR, working, None, reason)
        label = ov.name or "unnamed"
        reasons = {
            DayKind.HOLIDAY: f"holiday: {label}",
            DayKind.WORKDAY: f"extra workday: {label}",
            DayKind.ADJUSTED_WORKDAY: f"adjusted workday (调休): {label}",
            DayKind.HALF_DAY: f"half day: {label}",
            DayKind.CUSTOM: f"special hours: {label}",
        }
        return DayNote(d, ov.kind, working, ov.name, reasons[ov.kind])

    def is_working_day(self, d: date) -> bool:
        """True if the day has any working time."""
        i = self._day_index(d)
        return self._day_cum[i + 1] > self._day_cum[i]

    def working_segments(self, d: date) -> tuple[tuple[datetime, datetime], ...]:
        """The day's working segments as aware datetimes ``(start, end)``."""
        i = self._day_index(d)
        return tuple(
            (self._to_dt(self._seg_start[k]), self._to_dt(self._seg_end[k]))
            for k in range(self._day_seg[i], self._day_seg[i + 1])
        )

    def close_of_business(self, d: date) -> datetime:
        """End of the last working segment of ``d`` (停止业务活动的时间)."""
        i = self._day_index(d)
        if self._day_seg[i + 1] == self._day_seg[i]:
            raise CalendarError(f"{d} is not a working day")
        return self._to_dt(self._seg_end[self._day_seg[i + 1] - 1])

    def next_working_day(self, d: date, *, include_self: bool = True) -> date:
        """``d`` itself (if working and include_self) or the next working day."""
        i = self._day_index(d) + (0 if include_self else 1)
        cum = self._day_cum
        while i < self._n and cum[i + 1] == cum[i]:
            i += 1
        if i >= self._n:
            raise self._beyond_error()
        return date.fromordinal(self._base + i)

    def is_provisional_between(self, first: date, last: date) -> bool:
        """True if any day in ``[first, last]`` lies in a provisional year."""
        a, b = self._day_index(first), self._day_index(last)
        return self._prov[max(a, b) + 1] - self._prov[min(a, b)] > 0

    def day_notes(self, first: date, last: date) -> tuple[DayNote, ...]:
        """Non-working and special days in ``[first, last]``."""
        a, b = self._day_index(first), self._day_index(last)
        out = []
        for i in range(a, b + 1):
            d = date.fromordinal(self._base + i)
            if d in self._overrides or self._day_cum[i + 1] == self._day_cum[i]:
                out.append(self.day_note(d))
        return tuple(out)

    # -- instant-level queries ------------------------------------------------------

    def is_working_time(self, t: datetime) -> bool:
        """True if ``t`` lies inside a working segment ``[start, end)``."""
        us = self._in_range(abs_us(t))
        k = bisect_right(self._seg_start, us) - 1
        return k >= 0 and us < self._seg_end[k]

    def time_kind(self, t: datetime) -> TimeKind:
        """The kind of time ``t`` is (see :class:`TimeKind`), by its local day in this calendar.

        A 调休 day (a weekend day worked) is a working day: outside its hours it is a
        weeknight or a lunch break, never a rest day.
        """
        us = self._in_range(abs_us(t))
        k = bisect_right(self._seg_start, us) - 1
        if k >= 0 and us < self._seg_end[k]:
            return TimeKind.WORKING
        i = min(self._day_of(us), self._n - 1)
        first, last = self._day_seg[i], self._day_seg[i + 1]
        if first == last:
            ov = self._overrides.get(date.fromordinal(self._base + i))
            if ov is not None and ov.kind is DayKind.HOLIDAY:
                return TimeKind.HOLIDAY
            return TimeKind.REST_DAY
        if self._seg_start[first] < us < self._seg_end[last - 1]:
            return TimeKind.LUNCH_BREAK
        return TimeKind.WEEKNIGHT

    def next_working_time(self, t: datetime) -> datetime:
        """``t`` if it is working time, else the start of the next segment."""
        us = self._in_range(abs_us(t))
        k = bisect_right(self._seg_start, us) - 1
        if k >= 0 and us < self._seg_end[k]:
            return self._to_dt(us)
        if k + 1 >= len(self._seg_start):
            raise self._beyond_error()
        return self._to_dt(self._seg_start[k + 1])

    # -- arithmetic -----------------------------------------------------------------

    def _day_of(self, us: int) -> int:
        """Index of the local day containing instant ``us`` (n for the range end)."""
        return bisect_right(self._day_us, us) - 1

    def _consults_provisional(self, s: int, e: int) -> bool:
        """Does a day from day(s) to day(e) lie in a provisional year?

        ``e`` exactly at midnight belongs to the day before (nothing of the
        new day is consulted); ``s == e`` still consults day(s).
        """
        if e <= s:
            e = s + 1
        for lo, hi in self._prov_spans:  # noqa: SIM110 - a generator is slower here
            if s < hi and e > lo:
                return True
        return False

    def _notes(self, s: int, e: int) -> tuple[DayNote, ...]:
        a = min(self._day_of(s), self._n - 1)
        b = max(bisect_left(self._day_us, e) - 1, a)
        return self.day_notes(date.fromordinal(self._base + a), date.fromordinal(self._base + b))

    def add(
        self, start: datetime, amount: Amount, unit: Unit, *, explain: bool = False
    ) -> Result[datetime]:
        """The earliest instant ``t >= start`` with ``elapsed(start, t, unit) >= amount``.

        CALENDAR_DAYS and MONTHS also apply the Civil Code art. 203 rule
        (last day not a working day -> next working day, 24:00).
        """
        try:  # abs_us() inlined; it raises the proper error for bad input
            td = start - EPOCH
            s = (td.days * DAY_SECONDS + td.seconds) * US + td.microseconds
        except (TypeError, AttributeError):
            s = abs_us(start)
        if unit is _WORKING_HOURS or unit is _WORKING_MINUTES:
            # hot path: _w() and _at_working() inlined
            if type(amount) is int and amount > 0:
                delta = amount * _UNIT_US[unit]
            else:
                delta = math.ceil(exact_amount(amount) * _UNIT_US[unit])
            if not self._lo <= s <= self._hi:
                raise self._range_error(s)
            if delta:
                cum = self._seg_cum
                off = self._seg_off
                k = bisect_right(self._seg_start, s) - 1
                if k < 0:
                    target = delta
                else:
                    w = s + off[k]
                    target = (w if w < cum[k] else cum[k]) + delta
                j = bisect_left(cum, target)
                if j == len(cum):
                    raise self._beyond_error()
                e = target - off[j]
            else:
                e = s
        elif unit is Unit.WORKING_DAYS:
            e = self._add_working_days(self._in_range(s), exact_amount(amount))
        elif unit is Unit.CALENDAR_DAYS or unit is Unit.MONTHS:
            e = self._add_civil(self._in_range(s), whole_amount(amount, unit), unit)
        elif unit is Unit.HOURS or unit is Unit.MINUTES:
            e = s + math.ceil(exact_amount(amount) * _UNIT_US[unit])
            return Result(self._to_dt(e), False)
        else:
            raise CalendarError(f"unknown unit {unit!r}")
        sec, micro = divmod(e, US)
        value = datetime.fromtimestamp(sec, self._tz)
        if micro:
            value = value.replace(microsecond=micro)
        return Result(
            value,
            self._prov_any and self._consults_provisional(s, e),
            self._notes(s, e) if explain else (),
        )

    def _add_working_days(self, s: int, n: int | Fraction) -> int:
        if not n:
            return s
        d = self._day_of(s)
        if d >= self._n:
            raise self._beyond_error()
        cw = self._cw
        target = cw[d + 1] + n
        m = bisect_left(cw, target)  # first day boundary with cw[m] >= target
        if m > self._n:
            raise self._beyond_error()
        j = m - 1  # the working day on which the period ends
        day_len = self._day_cum[j + 1] - self._day_cum[j]
        part = target - cw[j]  # in (0, 1]
        within = day_len if part == 1 else math.ceil(part * day_len)
        return self._at_working(self._day_cum[j] + within)

    def _add_civil(self, s: int, n: int, unit: Unit) -> int:
        if not n:
            return s
        d = self._day_of(s)
        if d >= self._n:
            raise self._beyond_error()
        if unit is Unit.CALENDAR_DAYS:
            last = d + n
        else:
            last = add_months(date.fromordinal(self._base + d), n).toordinal() - self._base
        cum = self._day_cum
        while last < self._n and cum[last + 1] == cum[last]:
            last += 1  # art. 203: a closed last day moves to the next working day
        if last >= self._n:
            raise self._beyond_error()
        return self._day_us[last + 1]  # 24:00 of the last day

    def elapsed(
        self, start: datetime, end: datetime, unit: Unit, *, explain: bool = False
    ) -> Result[Fraction]:
        """Amount of ``unit`` counted from ``start`` to ``end`` (exact Fraction).

        Consistent with :meth:`add`: ``elapsed(s, add(s, x)) == x`` (for
        CALENDAR_DAYS/MONTHS only when no art. 203 extension applied).
        """
        try:  # abs_us() inlined; it raises the proper error for bad input
            td = start - EPOCH
            s = (td.days * DAY_SECONDS + td.seconds) * US + td.microseconds
            td = end - EPOCH
            e = (td.days * DAY_SECONDS + td.seconds) * US + td.microseconds
        except (TypeError, AttributeError):
            s, e = abs_us(start), abs_us(end)
        if e < s:
            raise CalendarError(f"end {end.isoformat()} precedes start {start.isoformat()}")
        if unit is _WORKING_HOURS or unit is _WORKING_MINUTES:
            if not (self._lo <= s and e <= self._hi):
                raise self._range_error(s if s < self._lo else e)
            starts = self._seg_start
            cum = self._seg_cum
            off = self._seg_off
            # _w(s) and _w(e) inlined
            k = bisect_right(starts, s) - 1
            ws = s + off[k] if k >= 0 else 0
            if k >= 0 and ws > cum[k]:
                ws = cum[k]
            k = bisect_right(starts, e) - 1
            we = e + off[k] if k >= 0 else 0
            if k >= 0 and we > cum[k]:
                we = cum[k]
            value = Fraction(we - ws, _UNIT_US[unit])
        elif unit is Unit.HOURS or unit is Unit.MINUTES:
            return Result(Fraction(e - s, _UNIT_US[unit]), False)
        else:
            self._in_range(s)
            self._in_range(e)
            if unit is Unit.WORKING_DAYS:
                value = self._elapsed_working_days(s, e)
            elif unit is Unit.CALENDAR_DAYS:
                value = self._elapsed_calendar_days(s, e)
            elif unit is Unit.MONTHS:
                value = self._elapsed_months(s, e)
            else:
                raise CalendarError(f"unknown unit {unit!r}")
        return Result(
            value,
            self._prov_any and self._consults_provisional(s, e),
            self._notes(s, e) if explain else (),
        )

    def _elapsed_working_days(self, s: int, e: int) -> Fraction:
        d = self._day_of(s)
        i = bisect_left(self._day_us, e) - 1  # an instant at 00:00 ends the previous day
        if i <= d:
            return Fraction(0)
        day_len = self._day_cum[i + 1] - self._day_cum[i]
        whole = self._cw[i] - self._cw[d + 1]
        if not day_len:
            return Fraction(whole)
        return whole + Fraction(self._w(e) - self._day_cum[i], day_len)

    def _elapsed_calendar_days(self, s: int, e: int) -> Fraction:
        d = self._day_of(s)
        i = bisect_left(self._day_us, e) - 1
        if i <= d:
            return Fraction(0)
        day_us = self._day_us
        return (i - d - 1) + Fraction(e - day_us[i], day_us[i + 1] - day_us[i])

    def _elapsed_months(self, s: int, e: int) -> Fraction:
        start_day = date.fromordinal(self._base + self._day_of(s))

        def boundary(k: int) -> int:  # 24:00 of the k-th corresponding day
            nxt = add_months(start_day, k) + timedelta(days=1)
            i = nxt.toordinal() - self._base
            return self._day_us[i] if i <= self._n else self._local_us(nxt.toordinal(), 0)

        if e < boundary(0):
            return Fraction(0)
        end_day = self._wall(e).date()
        k = max(0, (end_day.year - start_day.year) * 12 + end_day.month - start_day.month)
        while k > 0 and boundary(k) > e:
            k -= 1
        while boundary(k + 1) <= e:
            k += 1
        lo, hi = boundary(k), boundary(k + 1)
        return k + Fraction(e - lo, hi - lo)


def _rebuild(kwargs: dict[str, Any]) -> WorkCalendar:
    return WorkCalendar(**kwargs)


def seven_by_twenty_four(
    *,
    first_year: int = 2000,
    last_year: int = 2050,
    tz: str | ZoneInfo = "Asia/Shanghai",
    name: str = "7x24",
) -> WorkCalendar:
    """A 7×24 calendar: 00:00-24:00 every day, holidays ignored."""
    return WorkCalendar(
        tz=tz,
        weekly=dict.fromkeys(range(7), ("00:00-24:00",)),
        first_year=first_year,
        last_year=last_year,
        name=name,
    )
