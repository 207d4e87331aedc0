"""Benchmark of an assessment's metrics (ASM-01, ASM-02, ASM-05).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_assessment.py \
        [--tickets 1000000] [--visits 60000] [--repeat 3] [--keep] [--reuse]

PostgreSQL only. Creates the throw-away database ``weibao_bench_assessment``, migrates it,
imports the example contracts of seeds 001 (weighted score) and 002 (criteria), and writes
for each a contract-year (2025) of ``--tickets`` tickets — two SLA stages each, one in four
rated, one in a hundred with an SLA breach in the ledger —, ``--visits`` inspection visits
(002, the contract with a plan) and a year of report submissions, all by ``INSERT … SELECT
generate_series`` in the database. Then prints, best and worst of ``--repeat``, the time and
queries of ``measure_all`` over the year for each scheme (target <= 3 s each) and of every
metric on its own.

``--keep`` keeps the database, ``--reuse`` measures an existing one (skips the load).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchdb import contract_year_main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_assessment"
TARGET_S = 3.0
EXAMPLES = ROOT / "examples" / "contracts"
SEEDS = {"001": "001-changzhou-hrss-onsite.yaml", "002": "002-shanghai-hrss-ca-integration.yaml"}
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def _best(repeat: int, run):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), max(times), result


def _load(contract: Any, n_tickets: int, n_visits: int) -> None:
    """A year of records of ``contract``, written by the database itself."""
    from django.db import connection

    from weibao.maintenance.models import MaintenancePlan
    from weibao.reports.models import Deliverable
    from weibao.tickets.models import TicketType

    types = list(TicketType.objects.filter(contract=contract).order_by("pk")
                 .values_list("pk", flat=True))
    stage_codes = [str(item.params["stage"]) for item in contract.assessment_scheme.items.all()
                   if (item.params or {}).get("stage")]
    codes = [*stage_codes, "respond", "resolve"][:2]
    # reported every 365 d / n over 2025 (Beijing); responded within 0–29 min (one in fifty
    # never), resolved within 0–119 h (one in twenty never), two in three closed a day later
    reported = ("(timestamptz '2025-01-01 00:00+08' + (g - 1) * (interval '365 days' / %s))")
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO tickets_ticket (created_at, updated_at, number, title, description,
                channel, scope, reporter_name, reporter_phone, priority, priority_reason,
                fault_level, fault_level_override, fault_level_reason, state, version,
                reported_at, responded_at, resolved_at, restored_at, closed_at,
                arrival_location, paused_state, sla_status, sla_provisional, sla_error,
                contract_id, ticket_type_id)
            SELECT now(), now(), 'B' || lpad(g::text, 8, '0'), '故障 ' || g, '', 'phone',
                'small', '', '', 'normal', '', '', '', '',
                CASE WHEN g %% 3 = 0 THEN 'restored' ELSE 'closed' END, 1,
                r, CASE WHEN g %% 50 = 0 THEN NULL ELSE r + ((g * 37) %% 30) * interval '1 min'
                   END,
                CASE WHEN g %% 20 = 0 THEN NULL ELSE r + ((g * 7919) %% 120) * interval '1 hour'
                   END,
                CASE WHEN g %% 20 = 0 THEN NULL ELSE r + ((g * 7919) %% 120) * interval '1 hour'
                   END,
                CASE WHEN g %% 20 = 0 OR g %% 3 = 0 THEN NULL
                     ELSE r + ((g * 7919) %% 120 + 24) * interval '1 hour' END,
                '', '', 'met', false, '', %s, (%s::bigint[])[1 + g %% %s]
            FROM (SELECT g, {reported} AS r FROM generate_series(1::bigint, %s::bigint) AS g) AS s
        """, [contract.pk, types, len(types), n_tickets, n_tickets])
        for order, code in enumerate(codes):
            cur.execute("""
                INSERT INTO tickets_ticketstage ("order", code, name, status, target, unit,
                    share, provisional, explanation, ticket_id, counts_breach, missed,
                    missed_due, recurring)
                SELECT %s, %s, %s, CASE WHEN (t.id + %s) %% 10 = 0 THEN 'breached'
                                     WHEN t.id %% 97 = 0 THEN 'running' ELSE 'met' END,
                    '', '', 0.5, false, '[]', t.id, %s, 0, '[]', false
                FROM tickets_ticket t WHERE t.contract_id = %s
            """, [order, code, code, order, order == 0, contract.pk])
        cur.execute("""
            INSERT INTO tickets_satisfaction (rating, comment, rated_at, ticket_id)
            SELECT 1 + t.id %% 5, '', now(), t.id FROM tickets_ticket t
            WHERE t.contract_id = %s AND t.id %% 4 = 0
        """, [contract.pk])
        cur.execute("""
            INSERT INTO tickets_slaalert (stage, kind, at, recorded_at, contract_id,
                ticket_id, occurrence, penalty_percent)
            SELECT %s, 'breach', t.reported_at + interval '1 hour', now(), t.contract_id,
                t.id, 0, 0.5
            FROM tickets_ticket t WHERE t.contract_id = %s AND t.id %% 100 = 0
        """, [codes[0], contract.pk])
        cur.execute("""
            INSERT INTO assessment_breach (created_at, updated_at, source, occurred_at,
                description, penalty_percent, penalty_amount, status, reason, evidence,
                version, contract_id, sla_alert_id)
            SELECT now(), now(), 'sla', a.at, 'SLA', a.penalty_percent, 0,
                CASE WHEN a.id %% 7 = 0 THEN 'waived' ELSE 'recorded' END, '', '', 1,
                a.contract_id, a.id
            FROM tickets_slaalert a WHERE a.contract_id = %s
        """, [contract.pk])
        plan = MaintenancePlan.objects.filter(contract=contract).order_by("pk").first()
        if plan is not None:
            cur.execute("""
                INSERT INTO maintenance_visit (created_at, updated_at, key, slot,
                    window_start, window_end, status, late, cancel_reason, notes, version,
                    contract_id, plan_id)
                SELECT now(), now(), 'bench:' || g, '', e - interval '12 hours', e,
                    CASE WHEN g %% 17 = 0 THEN 'missed' WHEN g %% 41 = 0 THEN 'cancelled'
                         ELSE 'done' END, g %% 11 = 0, '', '', 1, %s, %s
                FROM (SELECT g, timestamptz '2025-01-01 12:00+08'
                             + (g - 1) * (interval '365 days' / %s) AS e
                      FROM generate_series(1::bigint, %s::bigint) AS g) AS s
            """, [contract.pk, plan.pk, n_visits, n_visits])
        for deliverable in Deliverable.objects.filter(contract=contract):
            cur.execute("""
                INSERT INTO reports_submission (created_at, updated_at, key, period_start,
                    period_end, trigger_source, due_at, status, review_comment, late,
                    submitted_at, version, contract_id, deliverable_id)
                SELECT now(), now(), 'bench:' || g, d::date, d::date, '',
                    d + interval '10 days', 'submitted', '', g %% 5 = 0,
                    d + interval '10 days' + CASE WHEN g %% 5 = 0 THEN interval '1 day'
                                                  ELSE interval '-1 day' END,
                    1, %s, %s
                FROM (SELECT g, timestamptz '2025-01-01 00:00+08' + (g - 1) * interval '1 week'
                             AS d FROM generate_series(1, 52) AS g) AS s
            """, [contract.pk, deliverable.pk])
        cur.execute("ANALYZE")


def child(n_tickets: int, n_visits: int, repeat: int, reuse: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weibao.assessment.metrics import measure, measure_all
    from weibao.assessment.models import AssessmentScheme
    from weibao.contracts.spec.importer import import_text
    from weibao.maintenance.models import Visit
    from weibao.tickets.models import Ticket

    if not reuse:
        call_command("migrate", verbosity=0)
        for seed, name in SEEDS.items():
            contract = import_text((EXAMPLES / name).read_text("utf-8")).contract
            started = time.perf_counter()
            _load(contract, n_tickets, n_visits if seed == "002" else 0)
            print(f"  loaded seed {seed}: {n_tickets:,} tickets in "
                  f"{time.perf_counter() - started:.0f} s")
    for scheme in AssessmentScheme.objects.select_related("contract").order_by("pk"):
        contract = scheme.contract
        items = list(scheme.items.all())
        n_tickets = Ticket.objects.filter(contract=contract).count()
        n_visits = Visit.objects.filter(contract=contract).count()
        print(f"{connection.vendor}: {contract.number} ({scheme.get_method_display()}, "
              f"{len(items)} items), {n_tickets:,} tickets, {n_visits:,} visits, "
              f"year {YEAR[0]}–{YEAR[1]}")
        measure_all(scheme, *YEAR)  # warm: the calendar engine, the plans' caches
        with CaptureQueriesContext(connection) as queries:
            best, worst, result = _best(repeat, lambda s=scheme: measure_all(s, *YEAR))
        print(f"  measure_all: best {best:5.2f} s  worst {worst:5.2f} s  "
              f"queries {len(queries) // repeat}  target <= {TARGET_S:.0f} s  "
              f"{'OK' if worst <= TARGET_S else 'SLOW'}")
        for item in items:
            if item.metric == "manual":
                continue
            one, _worst, m = _best(repeat, lambda i=item, c=contract: measure(i, c, *YEAR))
            print(f"    {item.code:<22} {item.metric:<22} {one:5.2f} s  value "
                  f"{m.value}  ({m.numerator}/{m.denominator})")
        del result


def main() -> None:
    contract_year_main(__file__, (__doc__ or "").split("\n")[0], BENCH_DB, child,
                       repeat=3, drop_env=("DATABASE_URL", "REDIS_URL"))


if __name__ == "__main__":
    main()
