"""Benchmark of visit generation and coverage (PM-01, PM-09).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_maintenance.py \
        [--sites 5000] [--engineers 20] [--repeat 5]

Builds a contract with ``--sites`` outlets over 16 districts and two site types, one
engineer per district pair (``--engineers``, with their districts), and a monthly plan for
both site types, then prints:

* generating one month of visits (one visit per outlet, assigned and planned on working
  days; target <= 10 s) and the queries it ran;
* generating again with nothing changed (must create nothing; target <= 2 s);
* coverage for a contract-year of 12 × ``--sites`` visits (60,000 for 5,000 outlets) by
  district, plan and site type: best of ``--repeat`` and the queries (target <= 1 s).

Runs on PostgreSQL in its own throw-away database ``weibao_bench_maintenance`` (created and
dropped here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away data
folder.
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
BENCH_DB = "weibao_bench_maintenance"
TARGET_GENERATE_S = 10.0
TARGET_RERUN_S = 2.0
TARGET_COVERAGE_S = 1.0
DISTRICTS = 16


def child(n_sites: int, n_engineers: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weibao.core.choices import OrganisationKind, Role
    from weibao.core.models import Organisation, User
    from weibao.maintenance.choices import Frequency, ItemKind, PlanScope, VisitStatus
    from weibao.maintenance.models import (
        ChecklistItem,
        ChecklistTemplate,
        EngineerArea,
        MaintenancePlan,
        Visit,
    )
    from weibao.maintenance.schedule import day_bounds
    from weibao.maintenance.selectors import coverage
    from weibao.maintenance.services.generation import generate_visits
    from weibao.sites.choices import SiteStatus
    from weibao.sites.models import AreaClass, District, Site, SiteType
    from weibao.testing.factories import make_contract

    call_command("migrate", verbosity=0)
    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    contract = make_contract(purchaser, vendor, number="BENCH-PM", title="示例合同",
                             start_date=datetime.date(2025, 1, 1),
                             end_date=datetime.date(2025, 12, 31))
    area = AreaClass.objects.create(contract=contract, code="urban", name="市内")
    districts = [District.objects.create(contract=contract, code=f"d{i:02d}", name=f"区{i:02d}",
                                         area_class=area) for i in range(DISTRICTS)]
    types = [SiteType.objects.create(contract=contract, code=c, name=c)
             for c in ("sbk-outlet", "rp-outlet")]
    Site.objects.bulk_create([
        Site(contract=contract, code=f"S{i:05d}", name=f"示例网点{i:05d}",
             site_type=types[i % 5 == 0], district=districts[i % DISTRICTS],
             status=SiteStatus.ACTIVE)
        for i in range(n_sites)], batch_size=1000)
    engineers = [User.objects.create(username=f"eng{i:02d}", organisation=vendor,
                                     role=Role.VENDOR_ENGINEER) for i in range(n_engineers)]
    for i, district in enumerate(districts):
        for engineer in {engineers[i % n_engineers], engineers[(i + 1) % n_engineers]}:
            EngineerArea.objects.create(contract=contract, engineer=engineer, district=district)
    checklist = ChecklistTemplate.objects.create(contract=contract, code="outlet", name="检查表")
    for order in range(14):
        ChecklistItem.objects.create(template=checklist, code=f"i{order}", order=order,
                                     text=f"检查项{order}", kind=ItemKind.PASS_FAIL)
    plan = MaintenancePlan.objects.create(contract=contract, code="monthly", name="月度维护",
                                          checklist=checklist, frequency=Frequency.MONTHLY,
                                          scope=PlanScope.SITE)
    plan.site_types.set(types)

    print(f"{connection.vendor}: {n_sites} sites, {n_engineers} engineers, "
          f"{DISTRICTS} districts")
    today = datetime.date(2025, 10, 1)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        first = generate_visits(contract, today=today, horizon_days=0)
        generate_s = time.perf_counter() - start
    print(f"  generate one month: {generate_s:6.2f} s  created {first.created}  "
          f"queries {len(queries)}  target <= {TARGET_GENERATE_S:.0f} s  "
          f"{'OK' if generate_s <= TARGET_GENERATE_S else 'SLOW'}")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        again = generate_visits(contract, today=today, horizon_days=0)
        rerun_s = time.perf_counter() - start
    ok = rerun_s <= TARGET_RERUN_S and again.created == 0
    print(f"  re-run, no change:  {rerun_s:6.2f} s  created {again.created}  unchanged "
          f"{again.unchanged}  queries {len(queries)}  target <= {TARGET_RERUN_S:.0f} s  "
          f"{'OK' if ok else 'SLOW'}")

    # A contract-year of visits: every outlet monthly, outcomes spread as a year would be.
    Visit.objects.all().delete()
    site_ids = list(Site.objects.filter(contract=contract).values_list("pk", "district_id"))
    batch: list[Visit] = []
    statuses = [VisitStatus.DONE] * 16 + [VisitStatus.MISSED, VisitStatus.CANCELLED,
                                          VisitStatus.PLANNED]
    for month in range(1, 13):
        window_start = day_bounds(datetime.date(2025, month, 1))[0]
        window_end = day_bounds(datetime.date(2025 + month // 12, month % 12 + 1, 1))[0]
        for n, (site_id, _district) in enumerate(site_ids):
            status = statuses[(n + month) % len(statuses)]
            batch.append(Visit(contract=contract, plan=plan, key=f"site:{site_id}:{month}",
                               site_id=site_id, window_start=window_start,
                               window_end=window_end, status=status,
                               late=status == VisitStatus.DONE and n % 7 == 0,
                               assignee=engineers[n % n_engineers]))
    Visit.objects.bulk_create(batch, batch_size=2000)
    year = day_bounds(datetime.date(2025, 1, 1))[0], day_bounds(datetime.date(2026, 1, 1))[0]
    for by in ("district", "plan", "site_type"):
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = coverage(contract, *year, by=by)
                times.append(time.perf_counter() - start)
        best = min(times)
        print(f"  coverage by {by:<9} {len(batch):,} visits: best {best * 1000:6.1f} ms  "
              f"worst {max(times) * 1000:6.1f} ms  due {result.total.due:,}  rows "
              f"{len(result.rows)}  queries {len(queries)}  target <= "
              f"{TARGET_COVERAGE_S * 1000:.0f} ms  "
              f"{'OK' if max(times) <= TARGET_COVERAGE_S else 'SLOW'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=at_least(1), default=5_000)
    parser.add_argument("--engineers", type=at_least(1), default=20)
    parser.add_argument("--repeat", type=at_least(1), default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.sites, args.engineers, args.repeat)
        return
    child_args = ["--sites", str(args.sites), "--engineers", str(args.engineers),
            "--repeat", str(args.repeat)]
    run_child_in_fresh_database(__file__, child_args, BENCH_DB, "weibao-bench-maintenance-")


if __name__ == "__main__":
    main()
