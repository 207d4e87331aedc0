"""Benchmark of drill scheduling, closing and the drill calendar (EMG-02).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_emergency.py \
        [--systems 2000] [--years 3] [--repeat 5]

Builds a contract of ``--years`` years with ``--systems`` information systems (one in ten
important) and two rules — important systems twice a year, the others once a year — then
prints:

* scheduling every drill (systems × drills per year × years; 6,600 for the defaults; target
  <= 10 s) and the queries it ran;
* scheduling again with nothing changed (must create nothing; target <= 3 s);
* closing every window at the end of the term (each drill missed, a breach recorded on each;
  target <= 5 s) and taking them into the assessment ledger (target <= 10 s), with queries;
* the drill calendar's query — the first 500 drills of a filter by status — and the API's
  first page (25): best of ``--repeat`` (target <= 200 ms each) and the queries.

Runs on PostgreSQL in its own throw-away database ``weibao_bench_emergency`` (created and
dropped here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away folder.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

from benchargs import at_least
from benchdb import run_child_in_fresh_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_emergency"
TARGETS = {"schedule": 10.0, "reschedule": 3.0, "close": 5.0, "ledger": 10.0,
           "calendar": 0.2, "api": 0.2}


def _line(name: str, seconds: float, queries: int | None = None, extra: str = "") -> None:
    target = TARGETS[name]
    shown = f"{seconds * 1000:8.1f} ms" if target < 1 else f"{seconds:8.2f} s "
    goal = f"{target * 1000:.0f} ms" if target < 1 else f"{target:.0f} s"
    count = f"  {queries} queries" if queries is not None else ""
    print(f"{name:<11}{shown}  target <= {goal}  {'OK' if seconds <= target else 'SLOW'}"
          f"{count}{extra}")


def child(n_systems: int, years: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from weibao.assessment.services.ledger import sync_ledger
    from weibao.assets.choices import AssetCategory, Importance
    from weibao.assets.models import Asset, AssetType
    from weibao.core.choices import OrganisationKind, Role
    from weibao.core.models import Organisation, User
    from weibao.emergency.choices import DrillStatus, DrillSystems, Term
    from weibao.emergency.filtersets import DrillFilterSet
    from weibao.emergency.models import Drill, DrillRule
    from weibao.emergency.selectors import visible_drills
    from weibao.emergency.services.drills import close_windows, schedule
    from weibao.maintenance.schedule import day_bounds
    from weibao.testing.factories import make_contract

    call_command("migrate", verbosity=0)
    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    start = datetime.date(2023, 1, 1)
    end = datetime.date(2023 + years - 1, 12, 31)
    contract = make_contract(purchaser, vendor, number="BENCH-EMG", title="示例合同",
                             start_date=start, end_date=end)
    kind = AssetType.objects.create(contract=contract, code="sys", name="信息系统",
                                    category=AssetCategory.INFORMATION_SYSTEM)
    Asset.objects.bulk_create([
        Asset(contract=contract, asset_type=kind, code=f"SYS{i:05d}", name=f"示例系统{i:05d}",
              importance=Importance.IMPORTANT if i % 10 == 0 else Importance.GENERAL)
        for i in range(n_systems)], batch_size=1000)
    for code, systems, count in (("important", DrillSystems.IMPORTANT, 2),
                                 ("others", DrillSystems.OTHERS, 1)):
        DrillRule.objects.create(contract=contract, code=code, name=code, systems=systems,
                                 count=count, per=Term.YEAR, missed_is_breach=True)
    manager = User.objects.create(username="bench-manager", organisation=vendor,
                                  role=Role.VENDOR_MANAGER)

    def timed(call: object) -> tuple[float, int, object]:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = call()  # type: ignore[operator]
            took = time.perf_counter() - began
        return took, len(queries), result

    print(f"{connection.vendor}: {n_systems:,} systems, {years} years")
    took, queries, created = timed(lambda: schedule(contract))
    _line("schedule", took, queries, f"  {created:,} drills")
    took, queries, again = timed(lambda: schedule(contract))
    assert again == 0, again
    _line("reschedule", took, queries)

    class Request:
        user = manager

    def calendar() -> int:
        qs = DrillFilterSet({"status": [DrillStatus.SCHEDULED]}, request=Request(),
                            queryset=visible_drills(manager).order_by("window_end", "pk")).qs
        return len(list(qs[:500]))

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = APIClient()
    client.force_authenticate(manager)

    def api_page() -> int:
        answer = client.get("/api/emergency/drills/?status=scheduled")
        assert answer.status_code == 200, answer.status_code
        return len(answer.json()["results"])

    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        for name, call in (("calendar", calendar),
                           ("api", api_page)):
            took, queries, _result = timed(call)
            if name not in best or took < best[name][0]:
                best[name] = (took, queries)
    took, queries, missed = timed(lambda: close_windows(day_bounds(end)[1]))
    _line("close", took, queries, f"  {missed:,} missed")
    took, queries, entered = timed(lambda: sync_ledger(contract))
    _line("ledger", took, queries, f"  {entered:,} breaches")
    assert entered == Drill.objects.filter(contract=contract).count()
    for name in ("calendar", "api"):
        _line(name, *best[name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--systems", type=at_least(1), default=2_000)
    parser.add_argument("--years", type=at_least(1), default=3)
    parser.add_argument("--repeat", type=at_least(1), default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.systems, args.years, args.repeat)
        return
    child_args = ["--systems", str(args.systems), "--years", str(args.years),
            "--repeat", str(args.repeat)]
    run_child_in_fresh_database(__file__, child_args, BENCH_DB, "weibao-bench-emergency-")


if __name__ == "__main__":
    main()
