"""Property tests (CAL-01, CAL-02): the engine against a brute-force oracle.

Random small calendars (one year, 2030): random weekly segments (lunch
breaks included), random holidays, 调休 workdays on weekends, half days,
custom days, 7×24, three time zones including Europe/Berlin with its DST
changes.  The oracle (``_oracle.py``) walks minute by minute; the engine
must agree exactly, and must satisfy the inverse/monotonicity properties
documented in ``docs/dev/working-time.md`` for arbitrary (sub-second)
instants and fractional amounts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.calendars.worktime import CalendarError, DayKind, Unit, WorkCalendar

from ._oracle import Minutes, Oracle, Spec

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
WINDOW_DAYS = 21
QUERY_DAYS = 7
US = timedelta(microseconds=1)
YEAR = 2030
GRID_ALL = list(range(0, 1441, 15))
# Europe/Berlin changes clocks between 01:00 and 04:00 local; keep segment
# boundaries out of that hour so "wall time inside a segment" is unambiguous.
GRID_DST = [0, *range(240, 1441, 15)]


@st.composite
def day_segments(draw: st.DrawFn, grid: list[int], min_segments: int = 0) -> Minutes:
    k = draw(st.integers(min_segments, 3))
    points = sorted(draw(st.sets(st.sampled_from(grid), min_size=2 * k, max_size=2 * k)))
    return [(points[2 * i], points[2 * i + 1]) for i in range(k)]


@st.composite
def specs(draw: st.DrawFn) -> tuple[Spec, date]:
    tz = draw(st.sampled_from(["Asia/Shanghai", "UTC", "Europe/Berlin"]))
    grid = GRID_DST if tz == "Europe/Berlin" else GRID_ALL
    window = draw(
        st.one_of(
            st.dates(date(YEAR, 1, 1), date(YEAR, 12, 5)),
            st.sampled_from([date(YEAR, 3, 26), date(YEAR, 10, 22)]),  # Berlin DST weeks
        )
    )
    provisional = draw(st.booleans())
    if draw(st.integers(0, 7)) == 0:  # a 7×24 calendar
        full = [(0, 1440)]
        return Spec(tz, dict.fromkeys(range(7), full), full, provisional=provisional), window
    usual = draw(day_segments(grid, min_segments=1))
    weekly: dict[int, Minutes] = {}
    for wd in range(7):
        if draw(st.integers(0, 3)) == 0:  # an irregular weekday
            weekly[wd] = draw(day_segments(grid))
        elif wd < 5:
            weekly[wd] = usual
    template = usual
    override_values = st.one_of(
        st.tuples(st.just(DayKind.HOLIDAY), st.none()),
        st.tuples(st.just(DayKind.ADJUSTED_WORKDAY), st.none() | day_segments(grid, 1)),
        st.tuples(st.just(DayKind.WORKDAY), st.none()),
        st.tuples(st.just(DayKind.HALF_DAY), day_segments(grid, 1)),
        st.tuples(st.just(DayKind.CUSTOM), day_segments(grid)),
    )
    picked = draw(st.dictionaries(st.integers(0, WINDOW_DAYS - 1), override_values, max_size=10))
    overrides = {
        window + timedelta(days=k): (kind, ms, f"day{k}") for k, (kind, ms) in picked.items()
    }
    return Spec(tz, weekly, template, overrides, provisional=provisional), window


def _check_add_against_oracle(
    cal: WorkCalendar, oracle: Oracle, i: int, unit: Unit, amount: int | Fraction, j: int | None
) -> None:
    start = oracle.at(i)
    try:
        got = cal.add(start, amount, unit).value
    except CalendarError as exc:  # ran past 2030: the oracle must also run off its table
        assert j is None, f"engine failed but oracle answered {oracle.at(j)}: {exc}"
        assert f"{YEAR + 1}" in str(exc)
        return
    if j is None:  # the answer lies beyond the oracle's window
        assert got >= oracle.at(oracle.n)
    else:
        assert got == oracle.at(j), (start, amount, unit)
    assert got.tzinfo is cal.tz


@SETTINGS
@given(specs(), st.data())
def test_engine_matches_minute_oracle(spec_window: tuple[Spec, date], data: st.DataObject) -> None:
    """CAL-01/CAL-02: add/elapsed/is_working_time equal the brute-force answers."""
    spec, window = spec_window
    cal = spec.build()
    oracle = Oracle(spec, window, WINDOW_DAYS)
    query_limit = min(oracle.midnight(window + timedelta(days=QUERY_DAYS)), oracle.n - 1)
    for _ in range(6):
        i = data.draw(st.integers(0, query_limit), label="start minute")
        start = oracle.at(i)
        # SLA-02: membership at the minute and half a minute later
        assert cal.is_working_time(start) == oracle.is_working(i)
        assert cal.is_working_time(start + timedelta(seconds=30)) == oracle.is_working(i)

        x = data.draw(st.integers(0, 3000), label="working minutes")
        j = oracle.add_minutes(i, x)
        _check_add_against_oracle(cal, oracle, i, Unit.WORKING_MINUTES, x, j)
        _check_add_against_oracle(cal, oracle, i, Unit.WORKING_HOURS, Fraction(x, 60), j)

        k = data.draw(st.integers(i, oracle.n), label="end minute")
        end = oracle.at(k)
        minutes = oracle.elapsed_minutes(i, k)
        r = cal.elapsed(start, end, Unit.WORKING_MINUTES)
        assert r.value == minutes
        assert r.provisional == spec.provisional
        assert cal.elapsed(start, end, Unit.WORKING_HOURS).value == Fraction(minutes, 60)
        assert cal.elapsed(start, end, Unit.WORKING_DAYS).value == oracle.elapsed_working_days(i, k)

        n = data.draw(st.integers(1, 3), label="working days")
        _check_add_against_oracle(
            cal, oracle, i, Unit.WORKING_DAYS, n, oracle.add_working_days(i, n)
        )
        c = data.draw(st.integers(1, 6), label="calendar days")
        _check_add_against_oracle(
            cal, oracle, i, Unit.CALENDAR_DAYS, c, oracle.add_calendar_days(i, c)
        )


@st.composite
def instants(draw: st.DrawFn, tz: str) -> datetime:
    """Any instant of 2030 to the microsecond, aware, in ``tz`` or UTC."""
    base = datetime(YEAR, 1, 1, tzinfo=ZoneInfo(tz))
    offset = draw(st.integers(0, 364 * 86_400 * 1_000_000))
    return base + timedelta(microseconds=offset)


WORKING_UNITS = [Unit.WORKING_MINUTES, Unit.WORKING_HOURS, Unit.WORKING_DAYS]


@SETTINGS
@given(specs(), st.data())
def test_inverse_minimality_and_monotonicity(
    spec_window: tuple[Spec, date], data: st.DataObject
) -> None:
    """CAL-02: add() is the earliest instant reaching the amount; elapsed() inverts it."""
    spec, _ = spec_window
    cal = spec.build()
    for _ in range(8):
        unit = data.draw(st.sampled_from(WORKING_UNITS), label="unit")
        s = data.draw(instants(spec.tz), label="start")
        unit_us = 60_000_000 if unit is Unit.WORKING_MINUTES else 3_600_000_000
        us = 0
        if unit is Unit.WORKING_DAYS:
            amount = data.draw(st.fractions(0, 4, max_denominator=12), label="amount")
        else:
            # exact microsecond amounts, so the result needs no rounding
            us = data.draw(st.integers(0, 40 * 3600 * 1_000_000), label="amount us")
            amount = Fraction(us, unit_us)
        try:
            e = cal.add(s, amount, unit).value
            bigger = cal.add(s, amount + Fraction(1, 7), unit).value
            later = cal.add(s + timedelta(seconds=1), amount, unit).value
        except CalendarError as exc:
            assert f"{YEAR + 1}" in str(exc)
            continue
        assert e >= s
        reached = cal.elapsed(s, e, unit).value
        if unit is Unit.WORKING_DAYS and amount.denominator != 1:
            assert reached >= amount  # a fractional day is rounded up to the microsecond
        else:
            assert reached == amount
        if amount:  # earliest: one microsecond earlier is not enough
            assert cal.elapsed(s, e - US, unit).value < amount
        else:
            assert e == s
        assert e <= bigger  # monotone in the amount
        assert e <= later  # monotone in the start

        # round trip from an end instant strictly inside working time
        t = data.draw(instants(spec.tz), label="end")
        lo, hi = (s, t) if s <= t else (t, s)
        v = cal.elapsed(lo, hi, unit).value
        if v and cal.is_working_time(hi) and cal.is_working_time(hi - US):
            assert cal.add(lo, v, unit).value == hi
        if unit is not Unit.WORKING_DAYS and amount:
            # splitting an amount does not change the result
            part = Fraction(us // 3, unit_us)
            step = cal.add(cal.add(s, part, unit).value, amount - part, unit).value
            assert step == e


@SETTINGS
@given(specs(), st.data())
def test_civil_day_and_month_counting(spec_window: tuple[Spec, date], data: st.DataObject) -> None:
    """CAL-02: calendar days/months end at 24:00, never on a closed day, elapsed >= n."""
    spec, _ = spec_window
    cal = spec.build()
    for _ in range(6):
        s = data.draw(instants(spec.tz), label="start")
        unit = data.draw(st.sampled_from([Unit.CALENDAR_DAYS, Unit.MONTHS]), label="unit")
        n = data.draw(st.integers(1, 3), label="n")
        try:
            e = cal.add(s, n, unit).value
        except CalendarError as exc:
            assert f"{YEAR + 1}" in str(exc)
            continue
        assert (e.hour, e.minute, e.second, e.microsecond) == (0, 0, 0, 0)  # 24:00
        last_day = (e - timedelta(days=1)).date()
        assert cal.is_working_day(last_day)
        assert cal.elapsed(s, e, unit).value >= n
        assert cal.elapsed(s, e - US, unit).value < cal.elapsed(s, e, unit).value
        local_start = s.astimezone(cal.tz).date()
        nominal = (
            local_start + timedelta(days=n)
            if unit is Unit.CALENDAR_DAYS
            else _months_later(local_start, n)
        )
        # the end moves only across closed days
        assert nominal <= last_day
        d = nominal
        while d < last_day:
            assert not cal.is_working_day(d)
            d += timedelta(days=1)
        if last_day == nominal:
            assert cal.elapsed(s, e, unit).value == n


def _months_later(d: date, n: int) -> date:
    """Civil Code art. 202: same day number, or the month's last day."""
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    day = d.day
    while True:
        try:
            return date(y, m + 1, day)
        except ValueError:
            day -= 1
