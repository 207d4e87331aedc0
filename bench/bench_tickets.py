"""Benchmark of tickets at scale (TKT, SLA-10).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_tickets.py \
        [--tickets 1000000] [--open TICKETS/10] [--requests 200] [--seconds 10] [--keep] [--reuse]

PostgreSQL only. Creates the throw-away database ``weibao_bench_tickets``, migrates it, imports
the four example contracts, and writes ``--tickets`` tickets with their SLA stages and
timeline by COPY (``--open`` of them open, the rest closed; spread over the contracts as a
year of work would be). Then prints:

* the ticket list API (25 rows, filtered by contract + state, ordered by next due time):
  p50/p95 over ``--requests`` requests and the queries per request (Django test Client,
  in process, token authentication);
* the ticket page (UI) and the ticket API detail: p50/p95 and queries;
* creation over HTTP: gunicorn with 2 workers on a free loopback port, 4 concurrent clients
  posting ``/api/tickets/`` (token auth, SLA evaluated on every create) for ``--seconds``:
  creates per second (target >= 200/s);
* the breach-detection job ``scan_alerts`` over the open tickets (target <= 5 s), run twice
  (the second run must find nothing new).

Figures are also written to ``bench/results/tickets.json`` (bench_helpdesk.py reads it for the
side-by-side ratio). ``--keep`` keeps the database, ``--reuse`` measures an existing one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least, positive_seconds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# Fewer tickets leave the measured contract without a page of each state to list.
MIN_TICKETS = 100
BENCH_DB = "weibao_bench_tickets"
RESULTS = ROOT / "bench" / "results"
# Share of the tickets per example contract (outlets dominate, the resident team is small).
SHARES = {"000": 0.40, "001": 0.10, "002": 0.30, "004": 0.20}
OPEN_STATES = ["reported", "acknowledged", "remote", "onsite_requested", "en_route", "arrived",
               "restored"]


# --- helpers shared with bench_helpdesk.py ------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def http_load(port: int, clients: list[Callable[[int], tuple[str, str, bytes, dict[str, str]]]],
              seconds: float, ok: int = 201) -> dict[str, Any]:
    """Each client (one thread, one keep-alive connection) sends the requests its function
    returns for the i-th call, as fast as answers come, for ``seconds``."""
    stop = time.monotonic() + seconds
    counts = [0] * len(clients)
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.monotonic() < stop:
            method, path, body, headers = clients[index](i)
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            i += 1
            with lock:
                latencies.append(elapsed * 1000)
                if response.status == ok:
                    counts[index] += 1
                elif len(errors) < 5:
                    errors.append(f"{response.status} {data[:300]!r}")
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"ok": sum(counts), "per_second": sum(counts) / elapsed, "seconds": elapsed,
            "p50_ms": percentile(latencies, 0.5) if latencies else None,
            "p95_ms": percentile(latencies, 0.95) if latencies else None, "errors": errors}


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], int]:
    """Milliseconds of each call and the queries of the last one (counted by an execute
    wrapper, so a request with more than 9,000 queries is counted right too)."""
    from django.db import connection

    times = []
    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    for _ in range(repeat):
        count[0] = 0
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return times, count[0]


def report(label: str, times: list[float], queries: int | None = None) -> dict[str, float]:
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    extra = f"  {queries} queries" if queries is not None else ""
    print(f"{label:<58} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (n={len(times)}){extra}")
    return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries or 0}


# --- data -------------------------------------------------------------------------------


def _rows(model: Any, values: Iterator[dict[str, Any]],
          with_pk: bool) -> tuple[list[str], Iterator[tuple]]:
    """Rows for COPY in column order: every concrete column, the model's defaults filled in,
    so a column added later (by another migration) still gets its default."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    defaults = {}
    for f in fields:
        default = f.get_default()
        defaults[f.attname] = json.dumps(default) if f.get_internal_type() == "JSONField" \
            else default
    columns = [f'"{f.column}"' for f in fields]
    attnames = [f.attname for f in fields]

    def gen() -> Iterator[tuple]:
        for row in values:
            merged = {**defaults, **row}
            yield tuple(merged[a] for a in attnames)

    return columns, gen()


def copy_rows(model: Any, values: Iterator[dict[str, Any]]) -> None:
    from django.db import connection

    columns, rows = _rows(model, values, with_pk=model.__name__ == "Ticket")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def generate(n_tickets: int, n_open: int) -> dict[str, Any]:
    import datetime

    from django.db import connection
    from django.utils import timezone

    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.core.models import User
    from weibao.sites.models import District, Site, SiteType
    from weibao.sla.selectors import cached_contract_policy
    from weibao.tickets.models import SlaAlert, Ticket, TicketEvent, TicketStage, TicketType

    contracts = {}
    for path in sorted((ROOT / "examples" / "contracts").glob("*.yaml")):
        contracts[path.name[:3]] = import_text(path.read_text("utf-8")).contract
    sbk = contracts["000"]
    site_type = SiteType.objects.filter(contract=sbk).order_by("order").first()
    districts = list(District.objects.filter(contract=sbk))
    Site.objects.bulk_create([
        Site(contract=sbk, code=f"bench-{i:04d}", name=f"示例网点{i:04d}", site_type=site_type,
             district=districts[i % len(districts)] if districts else None)
        for i in range(1, 301)], batch_size=1000)
    people: dict[str, dict[str, Any]] = {}
    for key, contract in contracts.items():
        vendor, purchaser = contract.vendor.organisation, contract.purchaser.organisation
        people[key] = {
            "purchaser": User.objects.create_user(f"bench-{key}-purchaser",
                                                  organisation=purchaser,
                                                  role=Role.PURCHASER_STAFF),
            "engineer": User.objects.create_user(f"bench-{key}-engineer",
                                                 organisation=vendor,
                                                 role=Role.VENDOR_ENGINEER),
        }
    now = timezone.now()
    rng = random.Random(7)
    plan = []
    for key, contract in contracts.items():
        policy = cached_contract_policy(contract)
        stage_codes = [s.code for s in policy.stages] if policy else []
        types = list(TicketType.objects.filter(contract=contract))
        sites = list(Site.objects.filter(contract=contract).values_list("pk", flat=True))
        plan.append((key, contract, stage_codes, types, sites))
    weights = [SHARES[p[0]] for p in plan]
    print(f"generating {n_tickets:,} tickets ({n_open:,} open) …", flush=True)
    started = time.perf_counter()
    assignment = rng.choices(range(len(plan)), weights, k=n_tickets)
    open_ids = set(rng.sample(range(n_tickets), n_open))
    sequence = dict.fromkeys(range(len(plan)), 0)
    tickets: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    hour = datetime.timedelta(hours=1)
    for i in range(n_tickets):
        index = assignment[i]
        key, contract, stage_codes, types, sites = plan[index]
        sequence[index] += 1
        pk = i + 1
        is_open = i in open_ids
        if is_open:
            reported = now - datetime.timedelta(minutes=rng.uniform(5, 3 * 24 * 60))
            state = rng.choice(OPEN_STATES)
        else:
            reported = now - datetime.timedelta(days=rng.uniform(3, 365))
            state = "closed"
        engineer = people[key]["engineer"].pk
        ticket = {
            "id": pk, "contract_id": contract.pk,
            "number": f"{contract.pk:03d}-{sequence[index]:08d}",
            "title": "示例：读卡机无法读卡", "ticket_type_id": rng.choice(types).pk,
            "channel": "phone", "scope": "large" if rng.random() < 0.2 else "small",
            "site_id": rng.choice(sites) if sites and key == "000" else None,
            "reporter_id": people[key]["purchaser"].pk, "reporter_name": "测试联系人",
            "priority": "high" if rng.random() < 0.03 else "normal",
            "fault_level": rng.choice(["I", "II", "III", "IV"]) if key == "002" else "",
            "state": state, "assignee_id": engineer if state != "reported" else None,
            "version": 1, "reported_at": reported, "created_by_id": people[key]["purchaser"].pk,
            "created_at": reported, "updated_at": reported, "sla_status": "met",
            "next_due_at": None,
        }
        times = {"reported": reported}
        if state != "reported":
            times["responded"] = reported + datetime.timedelta(minutes=rng.uniform(2, 30))
            ticket["responded_at"] = times["responded"]
        if state in ("restored", "closed"):
            times["restored"] = times["responded"] + hour * rng.uniform(0.2, 20)
            ticket["restored_at"] = ticket["resolved_at"] = times["restored"]
        if state == "closed":
            times["closed"] = times["restored"] + hour * rng.uniform(0.1, 30)
            ticket["closed_at"] = times["closed"]
        due_list = []
        worst = "met"
        for order, code in enumerate(stage_codes, start=1):
            due = reported + hour * rng.uniform(0.25, 72)
            if is_open and state != "restored":
                # Most open clocks still run; some are past warning or due (the scan finds them).
                due = now + datetime.timedelta(minutes=rng.uniform(-120, 3 * 24 * 60))
                status, stopped = "running", None
                due_list.append(due)
                worst = "running"
            else:
                stopped = times.get("restored") or times.get("responded") or reported
                status = "breached" if rng.random() < 0.06 else "met"
                if status == "breached":
                    worst = "breached"
                    # The periodic scan recorded it when it happened (SLA-10).
                    alerts.append({"ticket_id": pk, "contract_id": contract.pk, "stage": code,
                                   "kind": "breach", "at": due, "recorded_at": due})
            warn = reported + (due - reported) * 0.75
            stages.append({"ticket_id": pk, "order": order, "code": code, "name": code,
                           "status": status, "target": "2 hours (7x24)",
                           "started_at": reported, "stopped_at": stopped, "due_at": due,
                           "warn_at": warn, "unit": "hours", "share": 0.5,
                           "explanation": "[]"})
        ticket["sla_status"] = worst
        ticket["next_due_at"] = min(due_list) if due_list else None
        tickets.append(ticket)
        for action, at in (("report", times.get("reported")),
                           ("acknowledge", times.get("responded")),
                           ("restore", times.get("restored")), ("close", times.get("closed"))):
            if at is not None:
                events.append({"ticket_id": pk, "action": action, "to_state": state,
                               "actor_id": engineer, "occurred_at": at, "recorded_at": at,
                               "data": "{}"})
        if len(tickets) >= 50_000:
            _flush(tickets, stages, events, alerts)
    _flush(tickets, stages, events, alerts)
    with connection.cursor() as cursor:
        for table in (Ticket, TicketStage, TicketEvent, SlaAlert):
            name = table._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                           f"(SELECT max(id) FROM \"{name}\"))")
            # A database in service is vacuumed: without it the autovacuum that millions of
            # fresh rows trigger would run during the measurements.
            cursor.execute(f'VACUUM (ANALYZE) "{name}"')
        # And its dirty pages written: a checkpoint spreading millions of fresh pages over
        # the next minutes would slow every commit of the creation measurement.
        cursor.execute("CHECKPOINT")
    counts = {m.__name__: m.objects.count()
              for m in (Ticket, TicketStage, TicketEvent, SlaAlert)}
    print(f"  written in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    return counts


def _flush(tickets: list[dict], stages: list[dict], events: list[dict],
           alerts: list[dict]) -> None:
    from django.db import transaction

    from weibao.tickets.models import SlaAlert, Ticket, TicketEvent, TicketStage

    with transaction.atomic():
        for model, rows in ((Ticket, tickets), (TicketStage, stages), (TicketEvent, events),
                            (SlaAlert, alerts)):
            copy_rows(model, iter(rows))
            rows.clear()


# --- measurements -----------------------------------------------------------------------


def measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from weibao.contracts.models import Contract
    from weibao.core.models import User
    from weibao.tickets import services
    from weibao.tickets.models import SlaAlert, Ticket, TicketStage

    results: dict[str, Any] = {"tickets": Ticket.objects.count(),
                               "open": Ticket.objects.exclude(state="closed").count()}
    engineer = User.objects.get(username="bench-000-engineer")
    contract = Contract.objects.get(pk=Ticket.objects.filter(
        created_by__username="bench-000-purchaser").values("contract_id")[:1])
    token = Token.objects.get_or_create(user=engineer)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rng = random.Random(3)
    print(f"\n{results['tickets']:,} tickets, {results['open']:,} open; contract "
          f"{contract.number} has {Ticket.objects.filter(contract=contract).count():,}")

    # A full page of 25 where the state has that many (a small --tickets or --open has not).
    per_state = dict(Ticket.objects.filter(contract=contract).values_list("state")
                     .annotate(n=Count("pk")))

    def listing(states: list[str]) -> Callable[[], None]:
        def call() -> None:
            state = rng.choice(states)
            response = client.get("/api/tickets/", {"contract": contract.pk, "state": state,
                                                    "ordering": "next_due_at",
                                                    "page_size": 25})
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == min(25, per_state.get(state, 0))
        return call

    listing(OPEN_STATES)()  # warm up
    times, queries = timed(listing(OPEN_STATES[:-1]), args.requests)
    results["list_open"] = report("list API, open state, 25 rows by next due", times, queries)
    # The worst case (a third of a million matching rows to count) gets fewer requests.
    times, queries = timed(listing(["closed"]), min(args.requests, 20))
    results["list_closed"] = report("list API, state closed (the largest state)", times,
                                    queries)
    ids = list(Ticket.objects.filter(contract=contract).values_list("pk", flat=True)
               .order_by("?")[:args.requests])
    ui = Client()
    ui.force_login(engineer)
    try:
        detail_url = reverse("tickets:detail", args=[ids[0]]).replace(str(ids[0]), "{pk}")
    except Exception:
        detail_url = ""
    pages = iter(ids * 2)

    def page() -> None:
        response = ui.get(detail_url.format(pk=next(pages)))
        assert response.status_code == 200, response.status_code

    def api_detail() -> None:
        response = client.get(f"/api/tickets/{next(pages)}/")
        assert response.status_code == 200, response.status_code

    if detail_url:
        page()
        times, queries = timed(page, args.requests - 1)
        results["page"] = report("ticket page (UI)", times, queries)
    times, queries = timed(api_detail, args.requests)
    results["api_detail"] = report("ticket API detail", times, queries)

    results["create_http"] = create_over_http(args, env)

    if args.reuse:  # a measured database again: undo the last scan so this one has work
        SlaAlert.objects.all().delete()
        TicketStage.objects.filter(stopped_at__isnull=True,
                                   status__in=["warning", "breached"]).update(status="running")
    started = time.perf_counter()
    warnings, breaches = services.scan_alerts(timezone.now())
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = services.scan_alerts(timezone.now())
    second = time.perf_counter() - started
    print(f"{'breach-detection job scan_alerts, first run':<58} {first:7.2f} s  "
          f"({warnings:,} warnings, {breaches:,} breaches new)  target <= 5 s  "
          f"{'OK' if first <= 5 else 'SLOW'}")
    print(f"{'scan_alerts, second run':<58} {second:7.2f} s  ({again[0]} + {again[1]} new)")
    results["scan"] = {"first_s": round(first, 2), "second_s": round(second, 2),
                       "warnings": warnings, "breaches": breaches, "again": list(again),
                       "alerts": SlaAlert.objects.count()}
    return results


def create_over_http(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    from rest_framework.authtoken.models import Token

    from weibao.contracts.models import Contract
    from weibao.core.models import User

    keys = ["000", "002", "004", "001"]
    clients = []
    for n in range(args.clients):
        key = keys[n % len(keys)]
        user = User.objects.get(username=f"bench-{key}-purchaser")
        contract = Contract.objects.filter(parties__organisation=user.organisation).first()
        assert contract is not None
        token = Token.objects.get_or_create(user=user)[0].key

        def request(i: int, token: str = token, number: str = contract.number, n: int = n,
                    key: str = key) -> tuple[str, str, bytes, dict[str, str]]:
            body = {"contract": number, "ticket_type": "fault",
                    "title": f"示例：压测工单 {n}-{i}", "scope": "small", "channel": "phone"}
            # Reports each contract's targets apply to: seed 000 answers by the site's area
            # class (SLA-01), seed 004 answers written requests in 3 working days (SLA-07).
            if key == "000":
                body["site"] = f"bench-{i % 300 + 1:04d}"
            elif key == "004":
                body.update(ticket_type="service_request", channel="wechat")
            return ("POST", "/api/tickets/", json.dumps(body).encode(),
                    {"Authorization": f"Token {token}", "Content-Type": "application/json",
                     "Host": "127.0.0.1"})
        clients.append(request)
    command = [str(Path(sys.executable).with_name("gunicorn")), "--config",
               "python:weibao.conf.gunicorn", "weibao.wsgi:application"]
    return create_over_http_generic(command, env, args.clients, args.seconds,
                                    lambda i, n: clients[n](i), "create over HTTP")


def create_over_http_generic(command: list[str], env: dict[str, str], n_clients: int,
                             seconds: float, request: Callable[[int, int], Any],
                             label: str) -> dict[str, Any]:
    """Start ``command`` (a gunicorn WSGI app) with 2 workers on a free loopback port, warm it
    up, then let ``n_clients`` clients create for ``seconds``; print and return the figures."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env)
    clients = [lambda i, n=n: request(i, n) for n in range(n_clients)]
    try:
        wait_for_port(port)
        http_load(port, clients, 2)  # warm up both workers
        result = http_load(port, clients, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{label + ' (gunicorn 2 workers, ' + str(n_clients) + ' clients)':<58} "
          f"{result['per_second']:7.1f} /s  p50 {result['p50_ms']:.1f} ms  "
          f"p95 {result['p95_ms']:.1f} ms  ({result['ok']} in {result['seconds']:.1f} s)  "
          f"target >= 200/s  {'OK' if result['per_second'] >= 200 else 'SLOW'}")
    if result["errors"]:
        print("  errors:", result["errors"])
    return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in result.items()}


# --- driver -----------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from django.core.management import call_command

    from weibao.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    if not (args.reuse and Ticket.objects.exists()):
        generate(args.tickets, args.open)
    env = {**os.environ}
    results = measure(args, env)
    results.update({"machine": f"{os.cpu_count()} cores", "date": time.strftime("%Y-%m-%d")})
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tickets.json").write_text(json.dumps(results, indent=2, default=str))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options; ``--open`` defaults to a tenth of ``--tickets`` (1,000,000 and 100,000 by
    default, the population of the published figures) and can never exceed it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=at_least(MIN_TICKETS), default=1_000_000,
                        help="tickets to generate (default 1,000,000; at least "
                             f"{MIN_TICKETS:,})")
    parser.add_argument("--open", type=at_least(0), default=None,
                        help="how many of them are open (default: a tenth of --tickets)")
    parser.add_argument("--requests", type=at_least(2), default=200,
                        help="requests per read measurement (default 200)")
    parser.add_argument("--seconds", type=positive_seconds, default=10,
                        help="duration of the creation measurement (default 10)")
    parser.add_argument("--clients", type=at_least(1), default=4,
                        help="concurrent clients creating tickets (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.open is None:
        args.open = args.tickets // 10
    if args.open > args.tickets:
        parser.error(f"argument --open: {args.open:,} open tickets is more than --tickets "
                     f"({args.tickets:,})")
    return args


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. "
                 "postgres://postgres@127.0.0.1:5432/postgres")
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [BENCH_DB]).fetchone()
        if not (args.reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    status = 1
    try:
        with tempfile.TemporaryDirectory(prefix="weibao-bench-tickets-") as data:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                        "WEIBAO_LOG_LEVEL": "WARNING", "DATABASE_URL": bench,
                        "WEIBAO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                        "DJANGO_SETTINGS_MODULE": "weibao.settings"})
            argv = [sys.executable, __file__, "--child", *sys.argv[1:]]
            status = subprocess.call(argv, env=env)
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    sys.exit(status)


if __name__ == "__main__":
    main()
