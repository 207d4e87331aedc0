"""Benchmark of the spare-parts compliance view (SPR-01).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_spares.py \
        [--sites 5000] [--repeat 50]

Builds a contract with ``--sites`` sites over two site types, the 11 part types and ratios of
seed 000 表二 (plus one ratio per site type), two warehouses and ~2,000 stock movements, then
computes the compliance table ``--repeat`` times and prints p50/p95 and the number of queries
per computation. Runs on PostgreSQL in its own throw-away database ``weibao_bench_spares``
(created and dropped here) when DATABASE_URL points at PostgreSQL, else on SQLite in a
throw-away data folder. Target: <= 200 ms for 5,000 sites, a constant number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
BENCH_DB = "weibao_bench_spares"
TARGET_MS = 200.0
TABLE_TWO = [("desktop", "0.10"), ("flatbed-printer", "0.05"), ("camera", "0.10"),
             ("lighting-kit", "0.10"), ("camera-adapter", "0.05"), ("usb-connect-card", "0.03"),
             ("card-reader", "0.15"), ("card-printer", "0.01"), ("image-scanner", "0.01"),
             ("rewritable-device", "0.01"), ("transit-card-reader", "0.01")]


def child(n_sites: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weibao.core.choices import OrganisationKind
    from weibao.core.models import Organisation
    from weibao.sites.choices import SiteStatus
    from weibao.sites.models import Site, SiteType
    from weibao.spares import services
    from weibao.spares.choices import ReferenceKind
    from weibao.spares.models import PartType, RatioRule, Warehouse
    from weibao.spares.selectors import compliance
    from weibao.testing.factories import make_contract

    call_command("migrate", verbosity=0)
    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    contract = make_contract(purchaser, vendor, number="BENCH-SPR", title="示例合同")
    types = [SiteType.objects.create(contract=contract, code=c, name=c)
             for c in ("sbk-outlet", "rp-outlet")]
    Site.objects.bulk_create([
        Site(contract=contract, code=f"S{i:05d}", name=f"示例网点{i:05d}",
             site_type=types[i % 5 == 0],
             status=SiteStatus.SUSPENDED if i % 50 == 0 else SiteStatus.ACTIVE)
        for i in range(n_sites)], batch_size=1000)
    houses = [Warehouse.objects.create(contract=contract, code=f"w{i}", name=f"示例库{i}")
              for i in range(2)]
    parts = []
    for code, ratio in TABLE_TWO:
        part = PartType.objects.create(contract=contract, code=code, name=code,
                                       unit_cost=Decimal("100.00"))
        RatioRule.objects.create(contract=contract, part_type=part, ratio=Decimal(ratio))
        parts.append(part)
    for site_type in types:
        RatioRule.objects.create(contract=contract, part_type=parts[0], site_type=site_type,
                                 ratio=Decimal("0.02"))
    for i in range(1000):
        part, house = parts[i % len(parts)], houses[i % 2]
        services.receive(warehouse=house, part_type=part, quantity=3)
        services.issue(warehouse=house, part_type=part, quantity=1,
                       reference_kind=ReferenceKind.TICKET, reference_id=f"T{i}")
    compliance(contract)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = compliance(contract)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        compliance(contract)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    short = sum(1 for r in rows if r.shortfall)
    print(f"{connection.vendor}: {n_sites} sites, {len(rows)} part types ({short} short), "
          f"{repeat} runs")
    print(f"  compliance: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  queries {len(queries)}  "
          f"target <= {TARGET_MS:.0f} ms  {'OK' if p95 <= TARGET_MS else 'SLOW'}")


def _run(n: int, repeat: int, env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, __file__, "--child", "--sites", str(n),
                            "--repeat", str(repeat)], env=env)


def _postgres(url: str, n: int, repeat: int, base_env: dict[str, str]) -> int:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        return _run(n, repeat, {**base_env, "DATABASE_URL": bench})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=at_least(1), default=5_000)
    parser.add_argument("--repeat", type=at_least(1), default=50)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.sites, args.repeat)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="weibao-bench-spares-") as data:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING"})
        if url.startswith(("postgres://", "postgresql://")):
            status = _postgres(url, args.sites, args.repeat, env)
        else:
            status = _run(args.sites, args.repeat, env)
    sys.exit(status)


if __name__ == "__main__":
    main()
