"""Benchmark of the working-time engine (CAL-01..03).  A script, not a test.

    python bench/bench_worktime.py [--ops 200000] [--compare 2000] [--seed 2025]

Prints:
1. build time and memory (tracemalloc) of a China calendar for 2004..2035
   (chinesecalendar data for the years it knows, later years provisional);
2. ops/s of ``add`` and ``elapsed`` in WORKING_HOURS on random timestamps,
   after a warm-up, best of several rounds (targets: >= 200,000 ops/s each);
3. a side-by-side check against ``businesstimedelta`` on a plain Mon-Fri
   08:30-17:30 calendar with the same holidays but no 调休 days (it cannot
   express them): mismatches (must be 0), both speeds and the ratio
   (target: weibao >= 20x faster).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from weibao.calendars.worktime import (
    CalendarError,
    DayKind,
    Unit,
    WorkCalendar,
)

TZ = ZoneInfo("Asia/Shanghai")
FIRST, LAST = 2004, 2035
WH = Unit.WORKING_HOURS
WM = Unit.WORKING_MINUTES


def best_rate(run: Callable[[], None], n: int, rounds: int) -> float:
    """Operations per CPU second of the fastest of ``rounds`` runs of ``run``.

    CPU time of this process, not wall time, so other load on the machine
    does not count against either library ("ops/s on one core").
    """
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return n / best


def random_instants(rng: random.Random, n: int, first: date, last: date) -> list[datetime]:
    """Random instants to the second between ``first`` and ``last`` (Beijing time)."""
    base = datetime(first.year, first.month, first.day, tzinfo=TZ)
    span = int((datetime(last.year, last.month, last.day, tzinfo=TZ) - base).total_seconds())
    return [base + timedelta(seconds=rng.randrange(span)) for _ in range(n)]


def build_china() -> tuple[WorkCalendar, float, int, int]:
    """Build twice: once timed, once under tracemalloc (which slows building)."""
    from weibao.calendars.china import china_calendar, china_data_years

    _, data_last = china_data_years()  # imports chinesecalendar before measuring

    def build() -> WorkCalendar:
        return china_calendar(
            first_year=FIRST, last_year=LAST, provisional_years=range(data_last + 1, LAST + 1)
        )

    gc.collect()
    t0 = time.process_time()
    build()
    elapsed = time.process_time() - t0
    gc.collect()
    tracemalloc.start()
    cal = build()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cal, elapsed, current, peak


def bench_engine(cal: WorkCalendar, n: int, rounds: int, rng: random.Random) -> None:
    starts = random_instants(rng, n, date(FIRST, 1, 1), date(LAST, 11, 30))
    hours = [rng.randint(1, 40) for _ in range(n)]
    ends = [s + timedelta(seconds=rng.randrange(30 * 86_400)) for s in starts]
    add, elapsed = cal.add, cal.elapsed
    pairs_add = list(zip(starts, hours, strict=True))
    pairs_el = list(zip(starts, ends, strict=True))

    def run_add() -> None:
        for s, h in pairs_add:
            add(s, h, WH)

    def run_elapsed() -> None:
        for s, e in pairs_el:
            elapsed(s, e, WH)

    for s, h in pairs_add[:20_000]:  # warm-up
        add(s, h, WH)
    for s, e in pairs_el[:20_000]:
        elapsed(s, e, WH)
    add_rate = best_rate(run_add, n, rounds)
    elapsed_rate = best_rate(run_elapsed, n, rounds)
    print(f"  add     WORKING_HOURS : {add_rate:>12,.0f} ops/s  (target 200,000)")
    print(f"  elapsed WORKING_HOURS : {elapsed_rate:>12,.0f} ops/s  (target 200,000)")


def compare_businesstimedelta(n: int, rounds: int, rng: random.Random) -> None:
    try:
        import businesstimedelta  # type: ignore[import-untyped, unused-ignore]
        import pytz  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        print("  businesstimedelta is not installed; for the comparison run:")
        print("      pip install businesstimedelta pytz")
        return
    from weibao.calendars.china import china_data_years, china_overrides

    data_first, data_last = china_data_years()
    # same holidays, no 调休 days: businesstimedelta cannot express them
    holidays = {
        d: ov
        for d, ov in china_overrides(data_first, data_last).items()
        if ov.kind is DayKind.HOLIDAY
    }
    plain = WorkCalendar(
        tz=TZ,
        weekly=dict.fromkeys(range(5), ("08:30-17:30",)),
        first_year=data_first,
        last_year=data_last,
        overrides=holidays,
        name="plain Mon-Fri",
    )
    ptz = pytz.timezone("Asia/Shanghai")
    rule = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=dtime(8, 30),
                end_time=dtime(17, 30),
                working_days=[0, 1, 2, 3, 4],
                tz=ptz,
            ),
            businesstimedelta.HolidayRule(set(holidays), tz=ptz),
        ]
    )
    # stay clear of the data's last months: its holiday look-ahead needs a next holiday
    starts = random_instants(rng, n, date(data_first, 1, 1), date(data_last, 6, 30))
    # whole minutes, > 0 (for 0 businesstimedelta returns the next period start)
    minutes = [rng.choice([rng.randint(1, 40) * 60, rng.randint(1, 40 * 60)]) for _ in starts]
    ends = [s + timedelta(seconds=rng.randrange(20 * 86_400)) for s in starts]

    mismatches: list[str] = []
    for s, m, e in zip(starts, minutes, ends, strict=True):
        ours_add = plain.add(s, m, WM).value
        theirs_add = s + businesstimedelta.BusinessTimeDelta(rule, seconds=m * 60)
        if ours_add != theirs_add:
            mismatches.append(f"add {s.isoformat()} +{m} min: weibao {ours_add} bt {theirs_add}")
        ours_el = plain.elapsed(s, e, WH).value * 3600
        theirs_el = rule.difference(s, e).timedelta.total_seconds()
        if ours_el != theirs_el:
            mismatches.append(f"elapsed {s} -> {e}: weibao {ours_el}s bt {theirs_el}s")
    print(f"  cases compared        : {n:>12,} add + {n:,} elapsed")
    print(f"  mismatches            : {len(mismatches):>12,}  (must be 0)")
    for line in mismatches[:10]:
        print("    " + line)

    deltas = [businesstimedelta.BusinessTimeDelta(rule, seconds=m * 60) for m in minutes]

    def bt_add() -> None:
        for s, d in zip(starts, deltas, strict=True):
            s + d

    def bt_elapsed() -> None:
        for s, e in zip(starts, ends, strict=True):
            rule.difference(s, e)

    def wb_add() -> None:
        for s, m in zip(starts, minutes, strict=True):
            plain.add(s, m, WM)

    def wb_elapsed() -> None:
        for s, e in zip(starts, ends, strict=True):
            plain.elapsed(s, e, WH)

    wb_add()
    wb_elapsed()
    bt_rounds = max(1, rounds // 2)
    rates = {
        "add": (best_rate(wb_add, n, rounds), best_rate(bt_add, n, bt_rounds)),
        "elapsed": (best_rate(wb_elapsed, n, rounds), best_rate(bt_elapsed, n, bt_rounds)),
    }
    for op, (ours, theirs) in rates.items():
        print(
            f"  {op:<7} weibao {ours:>10,.0f} ops/s | businesstimedelta {theirs:>8,.0f} ops/s"
            f" | ratio {ours / theirs:>6,.0f}x  (target 20x)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=200_000, help="timed operations per round")
    parser.add_argument("--compare", type=int, default=2_000, help="businesstimedelta cases")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the best one counts")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    print(f"weibao working-time benchmark (Python {sys.version.split()[0]}, one core)")
    try:
        cal, build_s, current, peak = build_china()
    except CalendarError as exc:
        print(f"cannot build the China calendar: {exc}")
        return 1
    print(f"\n1. China calendar {FIRST}..{LAST}: {cal!r}")
    print(f"  build time (CPU)      : {build_s * 1000:>12,.1f} ms")
    print(f"  memory retained       : {current / 2**20:>12,.2f} MiB  (target < 20 MiB)")
    print(f"  memory peak in build  : {peak / 2**20:>12,.2f} MiB")
    print(f"\n2. Engine speed on random timestamps ({args.ops:,} ops, best of {args.rounds})")
    bench_engine(cal, args.ops, args.rounds, rng)
    print("\n3. Against businesstimedelta (plain Mon-Fri 08:30-17:30, same holidays)")
    compare_businesstimedelta(args.compare, args.rounds, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
