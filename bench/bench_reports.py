"""Benchmark of a monthly report (RPT-07): data collection, PDF and Word.  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_reports.py \
        [--sites 300] [--tickets 5000] [--visits 3600] [--repeat 3]

Builds a contract with ``--sites`` outlets over 16 districts in two area classes, two
ticket types, ``--tickets`` tickets over a year (each with two SLA stages, one in ten with
a breach), ``--visits`` inspection visits over a year (each done one with three checklist
results, one in eight abnormal), spare-part movements, certificates and product software,
all by bulk inserts. Then for October prints, best of ``--repeat``:

* ``collect`` of every section and its queries (target <= 2 s on PostgreSQL);
* ``render_pdf`` of that data (target <= 5 s) and ``render_docx`` (target <= 3 s).

Runs on PostgreSQL in its own throw-away database ``weibao_bench_reports`` (created and
dropped here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away data
folder.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_reports"
TARGET_COLLECT_S = 2.0
TARGET_PDF_S = 5.0
TARGET_DOCX_S = 3.0
DISTRICTS = 16


def _best(repeat: int, run):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), max(times), result


def child(n_sites: int, n_tickets: int, n_visits: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from weibao.assets.choices import AssetCategory
    from weibao.assets.models import Asset, AssetType, Certificate
    from weibao.core.choices import OrganisationKind, Role
    from weibao.core.models import Organisation, User
    from weibao.maintenance.choices import Frequency, ItemKind, PlanScope, VisitStatus
    from weibao.maintenance.models import ChecklistTemplate, MaintenancePlan, Visit, VisitResult
    from weibao.reports.choices import ReportSection
    from weibao.reports.collect import collect
    from weibao.reports.models import Deliverable, Submission
    from weibao.sites.choices import SiteStatus
    from weibao.sites.models import AreaClass, District, Site, SiteType
    from weibao.spares.choices import Condition, MovementKind
    from weibao.spares.models import PartType, StockMovement, Warehouse
    from weibao.testing.factories import make_contract
    from weibao.tickets.choices import TicketCategory
    from weibao.tickets.models import SlaAlert, Ticket, TicketStage, TicketType

    call_command("migrate", verbosity=0)
    tz = timezone.get_default_timezone()
    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    contract = make_contract(purchaser, vendor, number="BENCH-RPT", title="示例运维合同",
                             start_date=datetime.date(2025, 1, 1),
                             end_date=datetime.date(2025, 12, 31))
    areas = [AreaClass.objects.create(contract=contract, code=c, name=n)
             for c, n in (("urban", "市区"), ("suburb", "郊区"))]
    districts = [District.objects.create(contract=contract, code=f"d{i:02d}", name=f"区{i:02d}",
                                         area_class=areas[i % 2]) for i in range(DISTRICTS)]
    outlet = SiteType.objects.create(contract=contract, code="outlet", name="网点")
    Site.objects.bulk_create([
        Site(contract=contract, code=f"S{i:05d}", name=f"示例网点{i:05d}", site_type=outlet,
             district=districts[i % DISTRICTS], status=SiteStatus.ACTIVE)
        for i in range(n_sites)], batch_size=1000)
    sites = list(Site.objects.filter(contract=contract).values_list("pk", flat=True))
    engineers = [User.objects.create(username=f"eng{i:02d}", organisation=vendor,
                                     role=Role.VENDOR_ENGINEER, last_name="工程师",
                                     first_name=f"{i:02d}") for i in range(12)]
    types = [TicketType.objects.create(contract=contract, code="hw", name="硬件故障",
                                       category=TicketCategory.FAULT),
             TicketType.objects.create(contract=contract, code="sr", name="服务请求",
                                       category=TicketCategory.SERVICE_REQUEST)]
    year = datetime.datetime(2025, 1, 1, tzinfo=tz)
    minutes = 365 * 24 * 60
    tickets = []
    for n in range(n_tickets):
        reported = year + datetime.timedelta(minutes=(n * 7919) % minutes)
        closed = reported + datetime.timedelta(hours=6 + n % 40)
        tickets.append(Ticket(
            contract=contract, number=f"B{n:08d}", title=f"故障{n}", ticket_type=types[n % 2],
            site_id=sites[n % len(sites)], fault_level=("一级", "二级", "三级")[n % 3],
            reported_at=reported, arrived_at=reported + datetime.timedelta(hours=1),
            restored_at=reported + datetime.timedelta(hours=4),
            closed_at=closed if n % 9 else None, state="closed" if n % 9 else "accepted",
            assignee=engineers[n % len(engineers)]))
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    stages, alerts = [], []
    for t in Ticket.objects.filter(contract=contract).values("pk", "reported_at"):
        breached = t["pk"] % 10 == 0
        stages += [TicketStage(ticket_id=t["pk"], order=1, code="respond", name="响应",
                               status="met", stopped_at=t["reported_at"]
                               + datetime.timedelta(minutes=20)),
                   TicketStage(ticket_id=t["pk"], order=2, code="restore", name="修复",
                               status="breached" if breached else "met",
                               stopped_at=t["reported_at"] + datetime.timedelta(hours=4))]
        if breached:
            alerts.append(SlaAlert(ticket_id=t["pk"], contract=contract, stage="restore",
                                   kind="breach", penalty_percent=Decimal("0.5"),
                                   at=t["reported_at"] + datetime.timedelta(hours=4)))
    TicketStage.objects.bulk_create(stages, batch_size=4000)
    SlaAlert.objects.bulk_create(alerts, batch_size=2000)
    checklist = ChecklistTemplate.objects.create(contract=contract, code="c", name="检查表")
    plan = MaintenancePlan.objects.create(contract=contract, code="monthly", name="月度巡检",
                                          checklist=checklist, frequency=Frequency.MONTHLY,
                                          scope=PlanScope.SITE)
    visits = []
    for n in range(n_visits):
        month = n % 12 + 1
        start = datetime.datetime(2025, month, 1, tzinfo=tz)
        end = datetime.datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=tz)
        status = VisitStatus.MISSED if n % 17 == 0 else VisitStatus.DONE
        done = start + datetime.timedelta(days=n % 27, hours=9)
        visits.append(Visit(
            contract=contract, plan=plan, key=f"v{n}", site_id=sites[n % len(sites)],
            window_start=start, window_end=end, status=status, late=n % 11 == 0,
            breach_recorded_at=end if status == VisitStatus.MISSED else None,
            penalty_percent=Decimal("0.5") if status == VisitStatus.MISSED else None,
            checked_in_at=done if status == VisitStatus.DONE else None,
            completed_at=done + datetime.timedelta(hours=1)
            if status == VisitStatus.DONE else None,
            completed_by=engineers[n % len(engineers)] if status == VisitStatus.DONE else None))
    Visit.objects.bulk_create(visits, batch_size=2000)
    results = []
    for n, pk in enumerate(Visit.objects.filter(contract=contract, status=VisitStatus.DONE)
                           .values_list("pk", flat=True)):
        for i in range(3):
            results.append(VisitResult(visit_id=pk, item_code=f"i{i}", order=i,
                                       text=f"检查项{(n + i) % 14}", kind=ItemKind.PASS_FAIL,
                                       abnormal=(n + i) % 8 == 0))
    VisitResult.objects.bulk_create(results, batch_size=4000)
    parts = [PartType.objects.create(contract=contract, code=f"p{i}", name=f"备件{i}",
                                     unit_cost=Decimal("100")) for i in range(8)]
    store = Warehouse.objects.create(contract=contract, code="w", name="仓库")
    StockMovement.objects.bulk_create([
        StockMovement(contract=contract, warehouse=store, part_type=parts[n % 8],
                      kind=MovementKind.ISSUE if n % 4 else MovementKind.RETURN_FAULTY,
                      condition=Condition.NEW, quantity=-1 if n % 4 else 1,
                      unit_cost=Decimal("100"), amount=Decimal("100"),
                      occurred_at=year + datetime.timedelta(hours=n * 7))
        for n in range(1200)], batch_size=2000)
    software = AssetType.objects.create(contract=contract, code="sw", name="业务系统",
                                        category=AssetCategory.PRODUCT_SOFTWARE)
    for i in range(20):
        asset = Asset.objects.create(contract=contract, asset_type=software, name=f"系统{i}",
                                     attributes={"version": f"3.{i}.1"})
        Certificate.objects.create(contract=contract, holder=f"证书{i}", asset=asset,
                                   expires_on=datetime.date(2025, 10, 1)
                                   + datetime.timedelta(days=9 * i))

    print(f"{connection.vendor}: {n_sites} sites, {n_tickets:,} tickets, {n_visits:,} visits "
          f"({len(results):,} checklist results, {len(stages):,} SLA stages)")
    first, last = datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)
    sections = list(ReportSection.values)
    collect(contract, first, last, sections)  # warm the caches (SLA policy)
    with CaptureQueriesContext(connection) as queries:
        best, worst, data = _best(repeat, lambda: collect(contract, first, last, sections))
    n_queries = len(queries) // repeat
    print(f"  collect, October, all sections: best {best:5.2f} s  worst {worst:5.2f} s  "
          f"queries {n_queries}  tickets opened {data['tickets']['opened']}  visits due "
          f"{data['inspections']['due']}  target <= {TARGET_COLLECT_S:.0f} s  "
          f"{'OK' if worst <= TARGET_COLLECT_S else 'SLOW'}")
    try:
        from weibao.reports import render
    except ImportError:
        print("  render: weibao.reports.render not available, skipped")
        return
    deliverable = Deliverable.objects.create(contract=contract, code="monthly", name="运维月报",
                                             cadence="monthly", due_day=21, sections=sections)
    submission = Submission.objects.create(
        contract=contract, deliverable=deliverable, key="2025-10", period_start=first,
        period_end=last, due_at=datetime.datetime(2025, 11, 21, 23, 59, tzinfo=tz))
    for name, fn, target in (("render_pdf", render.render_pdf, TARGET_PDF_S),
                             ("render_docx", render.render_docx, TARGET_DOCX_S),
                             ("render_xlsx", render.render_xlsx, None)):
        fn(submission, data)  # warm (fonts, template)
        best, worst, content = _best(repeat, lambda fn=fn: fn(submission, data))
        verdict = "" if target is None else (
            f"target <= {target:.0f} s  {'OK' if worst <= target else 'SLOW'}")
        print(f"  {name:<11} best {best:5.2f} s  worst {worst:5.2f} s  "
              f"{len(content) / 1024:7.1f} KiB  {verdict}")


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, __file__, "--child", "--sites", str(args.sites),
                            "--tickets", str(args.tickets), "--visits", str(args.visits),
                            "--repeat", str(args.repeat)], env=env)


def _postgres(url: str, args: argparse.Namespace, base_env: dict[str, str]) -> int:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        return _run(args, {**base_env, "DATABASE_URL": bench})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=at_least(1), default=300)
    parser.add_argument("--tickets", type=at_least(1), default=5_000)
    parser.add_argument("--visits", type=at_least(1), default=3_600)
    parser.add_argument("--repeat", type=at_least(1), default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.sites, args.tickets, args.visits, args.repeat)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="weibao-bench-reports-") as data:
        # No Redis: tasks the set-up enqueues stay in the throw-away folder.
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING"})
        if url.startswith(("postgres://", "postgresql://")):
            status = _postgres(url, args, env)
        else:
            status = _run(args, env)
    sys.exit(status)


if __name__ == "__main__":
    main()
