"""Benchmark of the staff app (STF-01, STF-04).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_staff.py \
        [--members 500] [--repeat 5]

Imports example 002 (its staffing rules: team ≥23, ≥15 resident, 1 resident project manager),
puts ``--members`` members on its team (half resident, two certificates each, one in ten
expired) and ``--members`` duty shifts, then prints, best of ``--repeat``:

* ``compliance`` — the live compliance of the contract's team with its rules (target ≤ 100 ms);
* ``on_duty`` — who is on duty at a moment (target ≤ 50 ms).

Monthly attendance (target ≤ 1 s for 500 resident staff over a year) is not built yet.
Runs on PostgreSQL in the throw-away database ``weibao_bench_staff`` (created and dropped
here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away data folder.
"""

from __future__ import annotations

import argparse
import datetime
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
BENCH_DB = "weibao_bench_staff"
TARGETS = {"compliance": 0.1, "on_duty": 0.05}


def child(n: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from weibao.contracts.spec.importer import import_text
    from weibao.core.models import User
    from weibao.staff.models import Certificate, DutyShift, Member
    from weibao.staff.selectors import contract_compliance, on_duty

    call_command("migrate", verbosity=0)
    text = (ROOT / "examples/contracts/002-shanghai-hrss-ca-integration.yaml").read_text("utf-8")
    contract = import_text(text).contract
    day = datetime.date(2026, 6, 1)
    members = Member.objects.bulk_create(
        Member(contract=contract, name=f"成员{i}", resident=i % 2 == 0,
               starts_on=datetime.date(2026, 1, 1)) for i in range(n))
    Certificate.objects.bulk_create(
        Certificate(member=m, name=name, expires_on=day + datetime.timedelta(
            days=-1 if i % 10 == 0 else 365))
        for i, m in enumerate(members) for name in ("麒麟操作系统认证", "信息系统项目管理师"))
    users = User.objects.bulk_create(User(username=f"bench-staff-{i}") for i in range(n))
    start = timezone.make_aware(datetime.datetime(2026, 1, 1))
    DutyShift.objects.bulk_create(
        DutyShift(contract=contract, user=u, starts_at=start + datetime.timedelta(hours=12 * i),
                  ends_at=start + datetime.timedelta(hours=12 * i + 12))
        for i, u in enumerate(users))
    moment = start + datetime.timedelta(hours=12 * (n // 2) + 3)
    calls = {"compliance": lambda: contract_compliance(contract, day),
             "on_duty": lambda: on_duty(contract, moment)}
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        for name, call in calls.items():
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                call()
                took = time.perf_counter() - t0
            if name not in best or took < best[name][0]:
                best[name] = (took, len(ctx.captured_queries))
    print(f"{connection.vendor}, {n:,} members")
    for name, (took, queries) in best.items():
        target = TARGETS[name]
        print(f"{name:<11}{took * 1000:8.1f} ms  target <= {target * 1000:.0f} ms  "
              f"{'OK' if took <= target else 'SLOW'}  {queries} queries")


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, __file__, "--child", "--members", str(args.members),
                            "--repeat", str(args.repeat)], env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=at_least(1), default=500)
    parser.add_argument("--repeat", type=at_least(1), default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.members, args.repeat)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="weibao-bench-staff-") as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING"})
        if not url.startswith(("postgres://", "postgresql://")):
            sys.exit(_run(args, env))
        import psycopg

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            status = _run(args, {**env, "DATABASE_URL":
                                 urlunsplit(parts._replace(path=f"/{BENCH_DB}"))})
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    sys.exit(status)


if __name__ == "__main__":
    main()
