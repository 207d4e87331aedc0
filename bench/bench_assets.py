"""Benchmark of the asset list (AST-02): API and page with 200,000 assets.  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_assets.py \
        [--sites 5000] [--assets 200000] [--requests 200]

Creates its own throw-away PostgreSQL database ``weibao_bench_assets`` (dropped at the end),
builds one contract with ``--sites`` sites, a small type tree and ``--assets`` assets (plus a
second contract of the same size class so scoping has something to exclude), then measures
``GET /api/assets/`` and ``GET /assets/`` — 25 rows, filtered by contract + site + type (a
parent type, so descendants are included), sorted by name — through Django's test Client as
a vendor manager: p50/p95 over ``--requests`` requests each (a different site every time) and
the number of SQL queries per request. Target: p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_assets"
TARGET_MS = 50.0


def _build(n_sites: int, n_assets: int) -> tuple[object, list[int], int]:
    from django.db import connection, transaction

    from weibao.assets.models import Asset, AssetType
    from weibao.core.choices import OrganisationKind, Role
    from weibao.core.models import Organisation, User
    from weibao.sites.models import District, Site, SiteType
    from weibao.testing.factories import make_contract

    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    other_vendor = Organisation.objects.create(name="其他乙方", code="bench-o",
                                               kind=OrganisationKind.VENDOR)
    user = User.objects.create(username="bench", organisation=vendor,
                               role=Role.VENDOR_MANAGER)
    contract = make_contract(purchaser, vendor, number="BENCH-A", title="示例合同")
    other = make_contract(purchaser, other_vendor, number="BENCH-B", title="其他合同")
    start = time.perf_counter()
    parent_type = 0
    for target, share in ((contract, 1.0), (other, 0.25)):
        with transaction.atomic():
            kind = SiteType.objects.create(contract=target, code="outlet", name="示例网点")
            districts = [District.objects.create(contract=target, code=f"d{i}",
                                                 name=f"示例{i}区") for i in range(16)]
            root = AssetType.objects.create(contract=target, code="hw", name="硬件")
            types = [AssetType.objects.create(contract=target, code=f"t{i}", name=f"类型{i}",
                                              parent=root) for i in range(12)]
            if target is contract:
                parent_type = root.pk
            sites = Site.objects.bulk_create(
                [Site(contract=target, code=f"S{i:05d}", name=f"示例网点{i:05d}",
                      site_type=kind, district=districts[i % 16])
                 for i in range(int(n_sites * share))], batch_size=5000)
            count = int(n_assets * share)
            batch: list[Asset] = []
            for i in range(count):
                batch.append(Asset(contract=target, asset_type=types[i % 12],
                                   site=sites[i % len(sites)], name=f"资产{i:06d}",
                                   serial=f"{target.number}-{i:06d}", brand="示例",
                                   attributes={"capacity": str(i % 300)}))
                if len(batch) == 10000:
                    Asset.objects.bulk_create(batch)
                    batch = []
            Asset.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {n_sites} + {n_sites // 4} sites, {n_assets} + {n_assets // 4} assets in "
          f"{time.perf_counter() - start:.1f} s")
    site_ids = list(Site.objects.filter(contract=contract).values_list("pk", flat=True))
    return (user, contract), site_ids, parent_type


def _measure(client: object, url: str, params: list[dict[str, object]]) -> tuple[list[float],
                                                                                   list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries: list[int] = []
    sql: list[float] = []
    for query in params[:10]:  # warm-up
        client.get(url, query)  # type: ignore[attr-defined]
    for query in params:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, query)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        queries.append(len(ctx.captured_queries))
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    print(f"    (SQL time p50 {statistics.median(sql):.1f} ms)")
    return times, queries


def _report(label: str, times: list[float], queries: list[int]) -> bool:
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, -(-len(times) * 95 // 100) - 1)]  # nearest rank, right for few samples too
    ok = p95 <= TARGET_MS
    print(f"  {label:<5} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
          f"queries {min(queries)}–{max(queries)}  target p95 <= {TARGET_MS:.0f} ms  "
          f"{'OK' if ok else 'SLOW'}")
    return ok


def _explain(client: object, query: dict[str, object]) -> None:
    """Print the plans of the slowest statements of one API request (BENCH_EXPLAIN=1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/assets/", {**query, "ordering": "name"})  # type: ignore[attr-defined]
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        print(f"    {float(q['time']) * 1000:.1f} ms: {q['sql'][:300]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + q["sql"])
            for (line,) in cursor.fetchall()[:12]:
                print("      " + line)


def child(n_sites: int, n_assets: int, n_requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # Not setup_test_environment(): its instrumented template rendering would be measured too.
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    (user, contract), site_ids, parent_type = _build(n_sites, n_assets)
    rng = random.Random(4)
    params = [{"contract": contract.pk, "site": rng.choice(site_ids),  # type: ignore[attr-defined]
               "type": parent_type} for _ in range(n_requests)]
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    print(f"{connection.vendor}: {n_requests} requests each, 25 rows, contract + site + type, "
          "sorted by name")
    api_times, api_queries = _measure(
        client, "/api/assets/", [{**p, "ordering": "name", "page_size": 25} for p in params])
    ok = _report("API", api_times, api_queries)
    if os.environ.get("BENCH_EXPLAIN"):
        _explain(client, params[0])
    page_times, page_queries = _measure(client, "/assets/", [{**p, "sort": "name"}
                                                               for p in params])
    ok = _report("page", page_times, page_queries) and ok
    big = {"contract": contract.pk, "type": parent_type}  # type: ignore[attr-defined]
    pages = max(1, min(50, -(-n_assets // 25)))  # pages that exist for a small --assets too
    api_big, api_big_q = _measure(client, "/api/assets/",
                                  [{**big, "ordering": "name", "page": 1 + i % pages}
                                   for i in range(n_requests // 4)])
    _report("API*", api_big, api_big_q)
    print(f"  (API* = contract + type only: pages 1–{pages} of {n_assets:,} rows, "
          "for reference)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # The second contract gets a quarter of the sites: at least one.
    parser.add_argument("--sites", type=at_least(4), default=5000)
    parser.add_argument("--assets", type=at_least(1), default=200_000)
    parser.add_argument("--requests", type=at_least(4), default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.sites, args.assets, args.requests)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the benchmark creates its own "
                 f"database {BENCH_DB} there).")
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        with tempfile.TemporaryDirectory(prefix="weibao-bench-assets-") as data:
            env = {**os.environ, "DATABASE_URL": bench, "WEIBAO_DATA_DIR": data,
                   "PYTHONPATH": str(ROOT / "src"), "WEIBAO_LOG_LEVEL": "WARNING"}
            status = subprocess.call([sys.executable, __file__, "--child", "--sites",
                                      str(args.sites), "--assets", str(args.assets),
                                      "--requests", str(args.requests)], env=env)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    sys.exit(status)


if __name__ == "__main__":
    main()
