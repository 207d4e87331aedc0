"""Benchmark of the contract cockpit (issue 11 item 6).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_cockpit.py \
        [--tickets 1000000] [--visits 60000] [--repeat 5] [--keep] [--reuse]

PostgreSQL only. Creates the throw-away database ``weibao_bench_cockpit``, migrates it,
imports seed 002 (criteria, the contract with an inspection plan) and loads a contract-year
with ``bench_assessment.py``'s loader (``--tickets`` tickets with two SLA stages, ``--visits``
visits, a year of reports, breaches in the ledger). Then prints, best and worst of
``--repeat``:

- the cockpit's figures computed without the cache (``cockpit.compute``) and their queries;
- the cockpit page (``GET /assessment/contracts/<id>/cockpit/`` through Django's test client,
  logged in as the purchaser) with the figures cached — target <= 300 ms.

The cache is Redis when ``REDIS_URL`` is set, else Django's in-process memory cache.
``--keep`` keeps the database, ``--reuse`` measures an existing one (skips the load).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from benchdb import contract_year_main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
BENCH_DB = "weibao_bench_cockpit"
PAGE_TARGET_MS = 300.0
SEED = "002-shanghai-hrss-ca-integration.yaml"


def _timed(repeat: int, run: Any) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), max(times), result


def child(n_tickets: int, n_visits: int, repeat: int, reuse: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from bench_assessment import EXAMPLES, _load
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from weibao.assessment import cockpit
    from weibao.assessment.models import AssessmentScheme
    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.core.models import User
    from weibao.maintenance.models import Visit
    from weibao.tickets.models import Ticket

    setup_test_environment()
    if not reuse:
        call_command("migrate", verbosity=0)
        contract = import_text((EXAMPLES / SEED).read_text("utf-8")).contract
        started = time.perf_counter()
        _load(contract, n_tickets, n_visits)
        print(f"  loaded seed 002: {n_tickets:,} tickets, {n_visits:,} visits in "
              f"{time.perf_counter() - started:.0f} s")
    scheme = AssessmentScheme.objects.select_related("contract").get(method="criteria")
    contract = scheme.contract
    purchaser = contract.purchaser.organisation  # type: ignore[union-attr]
    user, _created = User.objects.get_or_create(
        username="bench-cockpit-purchaser",
        defaults={"organisation": purchaser, "role": Role.PURCHASER_STAFF})
    day = timezone.localdate()
    print(f"{connection.vendor}: {contract.number}, "
          f"{Ticket.objects.filter(contract=contract).count():,} tickets, "
          f"{Visit.objects.filter(contract=contract).count():,} visits, period "
          f"{' – '.join(str(d) for d in cockpit.period_of(contract, day))}; cache "
          f"{str(settings.CACHES['default']['BACKEND']).rsplit('.', 1)[-1]}")

    cockpit.compute(contract, day)  # warm: the calendar engine, the plans' caches
    with CaptureQueriesContext(connection) as queries:
        best, worst, figures = _timed(repeat, lambda: cockpit.compute(contract, day))
    print(f"  figures, no cache: best {best:5.2f} s  worst {worst:5.2f} s  "
          f"queries {len(queries) // repeat}")
    print(f"    SLA {figures.sla['attainment']} %, open {sum(figures.open_tickets.values()):,}"
          f", coverage {figures.coverage['rate']} %, breaches {figures.breaches['count']:,}, "
          f"projection {figures.projection.met_low}–{figures.projection.met_high} met")

    start_day, end_day = cockpit.period_of(contract, day)
    since, until = cockpit._bounds(start_day, end_day)
    parts = {
        "sla": lambda: cockpit._sla(contract, start_day, end_day),
        "open tickets": lambda: cockpit._open_tickets(contract),
        "coverage": lambda: cockpit._coverage(contract, since, until),
        "deliverables": lambda: cockpit._deliverables(contract, timezone.now()),
        "breaches": lambda: cockpit._breaches(contract, start_day, end_day),
        "projection": lambda: cockpit._projection(contract, scheme, start_day, end_day),
        "trends": lambda: cockpit._trends(contract, start_day, end_day, []),
    }
    for name, run in parts.items():
        one, _worst, _result = _timed(1, run)
        print(f"    {name:<13} {one:5.2f} s")

    client = Client()
    client.force_login(user)
    url = reverse("assessment:cockpit", args=[contract.pk])
    cockpit.invalidate(contract.pk)
    start = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - start
    assert first.status_code == 200, first.status_code
    with CaptureQueriesContext(connection) as queries:
        best, worst, response = _timed(repeat, lambda: client.get(url))
    assert response.status_code == 200
    print(f"  page, first (computes and caches): {cold * 1000:7.0f} ms")
    print(f"  page, cached: best {best * 1000:5.0f} ms  worst {worst * 1000:5.0f} ms  "
          f"queries {len(queries) // repeat}  target <= {PAGE_TARGET_MS:.0f} ms  "
          f"{'OK' if worst * 1000 <= PAGE_TARGET_MS else 'SLOW'}")


def main() -> None:
    contract_year_main(__file__, (__doc__ or "").split("\n")[0], BENCH_DB, child,
                       repeat=5, drop_env=("DATABASE_URL",))


if __name__ == "__main__":
    main()
