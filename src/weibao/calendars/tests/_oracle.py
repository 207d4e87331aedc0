"""A deliberately naive reference implementation used by the property tests.

It knows nothing about the engine's arrays: it resolves each day's segments
from the raw specification again, and then walks UTC minute by minute,
converting every minute to local wall time with ``zoneinfo`` and asking
"is this wall time inside one of today's segments?".  Everything is counted
by stepping or summing minutes, so it is slow but obviously right, provided
all segment boundaries and queried instants are whole minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from weibao.calendars.worktime import DayKind, DayOverride, Segment, WorkCalendar

MINUTE = timedelta(minutes=1)
Minutes = list[tuple[int, int]]  # [(start_minute, end_minute)], end may be 1440


@dataclass
class Spec:
    """Raw calendar description shared by the engine and the oracle."""

    tz: str
    weekly: dict[int, Minutes]
    template: Minutes
    # date -> (kind, segments or None, name)
    overrides: dict[date, tuple[DayKind, Minutes | None, str]] = field(default_factory=dict)
    year: int = 2030
    provisional: bool = False

    def build(self) -> WorkCalendar:
        def segs(ms: Minutes) -> tuple[Segment, ...]:
            return tuple(Segment(a * 60, b * 60) for a, b in ms)

        return WorkCalendar(
            tz=self.tz,
            weekly={wd: segs(ms) for wd, ms in self.weekly.items()},
            first_year=self.year,
            last_year=self.year,
            overrides={
                d: DayOverride(kind, name, None if ms is None else segs(ms))
                for d, (kind, ms, name) in self.overrides.items()
            },
            provisional_years=[self.year] if self.provisional else [],
            workday_template=segs(self.template),
            name="oracle-spec",
        )

    def segments_on(self, d: date) -> Minutes:
        if d in self.overrides:
            kind, ms, _ = self.overrides[d]
            if kind is DayKind.HOLIDAY:
                return []
            if ms is None:
                return self.template
            return ms
        return self.weekly.get(d.weekday(), [])


class Oracle:
    """Minute table over ``[first_day, first_day + days)`` in local time."""

    def __init__(self, spec: Spec, first_day: date, days: int) -> None:
        self.spec = spec
        self.tz = ZoneInfo(spec.tz)
        self.first_day = first_day
        self.last_day = first_day + timedelta(days=days - 1)
        self.t0 = datetime.combine(first_day, time(0), self.tz).astimezone(UTC)
        t_end = datetime.combine(self.last_day + timedelta(days=1), time(0), self.tz)
        self.n = int((t_end.astimezone(UTC) - self.t0) / MINUTE)
        self.work = bytearray(self.n)
        self.local_day: list[date] = []
        self.day_total: dict[date, int] = {}
        for i in range(self.n):
            local = (self.t0 + i * MINUTE).astimezone(self.tz)
            d = local.date()
            minute = local.hour * 60 + local.minute
            working = any(a <= minute < b for a, b in spec.segments_on(d))
            self.work[i] = working
            self.local_day.append(d)
            self.day_total[d] = self.day_total.get(d, 0) + working

    # -- conversions ---------------------------------------------------------

    def at(self, i: int) -> datetime:
        return (self.t0 + i * MINUTE).astimezone(self.tz)

    def index(self, t: datetime) -> int:
        delta = t.astimezone(UTC) - self.t0
        assert delta % MINUTE == timedelta(0), "oracle instants must be whole minutes"
        return int(delta / MINUTE)

    def day_of(self, i: int) -> date:
        """Local date of instant i (the end instant n belongs to the next day)."""
        return self.local_day[i] if i < self.n else self.last_day + timedelta(days=1)

    def midnight(self, d: date) -> int:
        return self.local_day.index(d)

    # -- working time ----------------------------------------------------------

    def is_working(self, i: int) -> bool:
        return bool(self.work[i])

    def elapsed_minutes(self, i: int, j: int) -> int:
        return sum(self.work[i:j])

    def add_minutes(self, i: int, x: int) -> int | None:
        """First index j >= i with x working minutes in [i, j); None past the table."""
        count = 0
        while count < x:
            if i >= self.n:
                return None
            count += self.work[i]
            i += 1
        return i

    # -- working days (Civil Code counting) ------------------------------------

    def working_day(self, d: date) -> bool:
        return self.day_total[d] > 0

    def elapsed_working_days(self, i: int, j: int) -> Fraction:
        start_day, end_day = self.day_of(i), self.day_of(j)
        if end_day <= start_day:
            return Fraction(0)
        whole = 0
        d = start_day + timedelta(days=1)
        while d < end_day:
            whole += self.working_day(d)
            d += timedelta(days=1)
        if end_day > self.last_day or not self.working_day(end_day):
            return Fraction(whole)
        done = sum(self.work[self.midnight(end_day) : j])
        return whole + Fraction(done, self.day_total[end_day])

    def add_working_days(self, i: int, n: int) -> int | None:
        """End of the last working minute of the n-th working day after day(i)."""
        d = self.day_of(i)
        seen = 0
        while seen < n:
            d += timedelta(days=1)
            if d > self.last_day:
                return None
            seen += self.working_day(d)
        minutes = range(self.midnight(d), self.n)
        last = max(k for k in minutes if self.local_day[k] == d and self.work[k])
        return last + 1

    def add_calendar_days(self, i: int, n: int) -> int | None:
        last = self.day_of(i) + timedelta(days=n)
        while last <= self.last_day and not self.working_day(last):
            last += timedelta(days=1)
        if last >= self.last_day:
            return None  # the following midnight is outside the table
        return self.midnight(last + timedelta(days=1))
