"""Benchmark of the bulk import (AST-10).  A script, not a test.

    python bench/bench_import.py [--rows 10000]

Imports an .xlsx of ``--rows`` asset rows (generated with openpyxl: type, site, name, tag,
brand, model, serial, quantity, a date cell, status) into a fresh contract, through the real
services: upload (type/header check and row count) + validation of every row, then the
commit in one transaction. Uses the assets importer (falls back to the sites importer when the
assets app has none). Runs on SQLite in a throw-away data folder and, when DATABASE_URL is
set, on PostgreSQL in its own throw-away database ``weibao_bench_import`` (created and dropped
here). Prints seconds per phase; target: upload + validate + commit <= 30 s for 10,000 rows.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_import"
TARGET_SECONDS = 30.0


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _asset_rows(n: int, sites: list[str]) -> list[list[object]]:
    header = ["type", "site", "name", "code", "brand", "model", "serial", "quantity",
              "purchased_on", "status"]
    rows: list[list[object]] = [header]
    for i in range(n):
        rows.append([("desktop", "printer", "camera")[i % 3], sites[i % len(sites)],
                     f"示例资产{i:05d}", f"ZC-{i:05d}", "示例品牌", f"M-{i % 17}",
                     f"SN{i:08d}", 1, datetime.datetime(2024, 1 + i % 12, 1 + i % 28),
                     "in_service"])
    return rows


def _site_rows(n: int) -> list[list[object]]:
    rows: list[list[object]] = [["code", "name", "site_type", "address"]]
    rows += [[f"BS{i:05d}", f"示例网点{i:05d}", "outlet", f"示例路{i}号"] for i in range(n)]
    return rows


def child(n: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from weibao.core.choices import OrganisationKind, Role
    from weibao.core.models import Organisation, User
    from weibao.imports import services
    from weibao.imports.registry import get_importer
    from weibao.sites.models import Site, SiteType
    from weibao.testing.factories import make_contract

    call_command("migrate", verbosity=0)
    purchaser = Organisation.objects.create(name="示例甲方", code="bench-p",
                                            kind=OrganisationKind.PURCHASER)
    vendor = Organisation.objects.create(name="示例乙方", code="bench-v",
                                         kind=OrganisationKind.VENDOR)
    actor = User.objects.create(username="bench", organisation=vendor,
                                role=Role.VENDOR_MANAGER)
    contract = make_contract(purchaser, vendor, number="BENCH-001", title="示例合同")
    outlet = SiteType.objects.create(contract=contract, code="outlet", name="示例网点类型")
    try:
        get_importer("assets")
        key = "assets"
    except KeyError:
        key = "sites"
    if key == "assets":
        from weibao.assets.models import AssetType

        for code in ("desktop", "printer", "camera"):
            AssetType.objects.create(contract=contract, code=code, name=code)
        sites = [Site.objects.create(contract=contract, code=f"S{i:03d}", name=f"示例网点{i}",
                                     site_type=outlet).code for i in range(100)]
        rows = _asset_rows(n, sites)
    else:
        rows = _site_rows(n)
    content = _workbook(rows)
    print(f"{connection.vendor}: {n} {key} rows, file {len(content) / 1024:.0f} KiB")
    start = time.perf_counter()
    job = services.upload(contract, key, SimpleUploadedFile("bench.xlsx", content), actor)
    validated = time.perf_counter()
    assert job.status == "validated", (job.status, job.failure)
    assert not job.errors, job.errors[:5]
    job = services.commit(job, "all_or_nothing", actor)
    done = time.perf_counter()
    assert job.status == "done", (job.status, job.failure)
    total = done - start
    print(f"  upload + validate: {validated - start:6.2f} s")
    print(f"  commit (re-check + write): {done - validated:6.2f} s  written={job.written}")
    print(f"  total: {total:6.2f} s  ({n / total:,.0f} rows/s)  target <= {TARGET_SECONDS:.0f} s"
          f"  {'OK' if total <= TARGET_SECONDS else 'SLOW'}")


def _run(n: int, env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, __file__, "--child", "--rows", str(n)], env=env)


def _postgres(url: str, n: int, base_env: dict[str, str]) -> int:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        return _run(n, {**base_env, "DATABASE_URL": bench})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=at_least(1), default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="weibao-bench-import-") as data:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"WEIBAO_DATA_DIR": data, "WEIBAO_HUEY_IMMEDIATE": "1",
                    "PYTHONPATH": str(ROOT / "src"), "WEIBAO_LOG_LEVEL": "WARNING"})
        status = _run(args.rows, env)
        if url.startswith(("postgres://", "postgresql://")):
            status = _postgres(url, args.rows, env) or status
    sys.exit(status)


if __name__ == "__main__":
    main()
