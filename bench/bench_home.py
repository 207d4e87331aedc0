"""Benchmark of the role homes on the demo data (issue 16).  A script, not a test.

    python bench/bench_home.py [--repeat 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_home.py

Loads ``weibao demo`` (the four example contracts with their tickets, visits, reports,
assessments and one login per role) into a throw-away data folder, then requests "/" as
each role's demo account ``--repeat`` times through the whole Django stack (middleware,
templates) and prints the median and 95th percentile and the queries of one request —
target p95 <= 300 ms — and the same for the global search of a two-character term.

Runs on PostgreSQL in its own throw-away database ``weibao_bench_home`` (created and dropped
here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from benchargs import at_least
from benchdb import run_child_in_fresh_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH_DB = "weibao_bench_home"
TARGET_P95 = 0.300
ACCOUNTS = {
    "purchaser": "sh-sbk-center-purchaser",
    "manager": "shengwei-manager",
    "engineer": "shengwei-engineer",
    "site": "wangdian-site",
    "supervisor": "jianli-supervisor",
    "admin": "admin",
}
PAGES = {"home": "/", "search": "/search/?q=卡机"}


def child(repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from weibao.core.models import User

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
    print(f"{connection.vendor}: demo data loaded in {time.perf_counter() - began:.0f} s")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"{'role':<11}{'page':<8}{'p50':>9}{'p95':>9}  queries  target p95 <= "
          f"{TARGET_P95 * 1000:.0f} ms")
    slow = 0
    for role, username in ACCOUNTS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page, url in PAGES.items():
            response = client.get(url)  # warm: the first request fills the caches
            assert response.status_code == 200, (role, page, response.status_code)
            queries: list[str] = []

            def count(execute, sql, params, many, context, sink=queries):  # type: ignore[no-untyped-def]
                sink.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 2 else times[0]
            verdict = "OK" if p95 <= TARGET_P95 else "SLOW"
            slow += verdict == "SLOW"
            print(f"{role:<11}{page:<8}{p50 * 1000:7.1f}ms{p95 * 1000:7.1f}ms  "
                  f"{len(queries):>7}  {verdict}")
    sys.exit(1 if slow else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=at_least(1), default=50)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return
    run_child_in_fresh_database(__file__, ["--repeat", str(args.repeat)], BENCH_DB,
                                "weibao-bench-home-")


if __name__ == "__main__":
    main()
