"""Benchmark of the notification fan-out (SLA-10, TKT-01).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_notifications.py \
        [--warnings 10000] [--managers 2] [--engineers 20] [--tickets 200] \
        [--redis redis://127.0.0.1:6379/9] [--workers 4] [--drain-seconds 60]

Imports seed 002 with ``--managers`` vendor managers (e-mail on) and ``--engineers`` engineers
(notification centre only), one engineer on duty, and a WeCom group robot on loopback; writes
``--warnings`` open tickets each with one recorded SLA warning, then prints:

* the ticket creation rate through the service, with the events queued on Redis after commit
  and with publishing switched off (target: within 10 %);
* the sweep that fans the warnings out: notifications (assignee, managers, on duty — each
  once), deliveries (the managers' e-mails, one robot post per warning) and the delivery tasks
  enqueued on Redis (target <= 30 s);
* the drain: a huey consumer with ``--workers`` threads sends through a local SMTP server
  (aiosmtpd) and the loopback robot for ``--drain-seconds`` at most; messages per second.

Runs on PostgreSQL in its own throw-away database ``weibao_bench_notifications`` when
DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away folder; the queue and the
rate-limit counters are in the Redis database ``--redis`` (flushed first: use a spare one).
"""

from __future__ import annotations

import argparse
import datetime
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchargs import at_least
from benchdb import run_child_in_fresh_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_notifications"
TARGETS = {"fan-out": 30.0}


class _Robot(BaseHTTPRequestHandler):
    count = 0

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _Robot.count += 1
        body = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child(args: argparse.Namespace) -> None:
    os.environ["REDIS_URL"] = args.redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.core.models import User
    from weibao.notifications import events
    from weibao.notifications.choices import ChannelKind
    from weibao.notifications.models import Channel, Delivery, Notification, Preference
    from weibao.notifications.sources import sla_alerts_sweep
    from weibao.staff.models import DutyShift
    from weibao.tickets import services as tickets
    from weibao.tickets.models import SlaAlert, Ticket, TicketType

    redis.Redis.from_url(args.redis).flushdb()
    call_command("migrate", verbosity=0)
    # Sinks on loopback: an SMTP server and a robot.
    from aiosmtpd.controller import Controller

    class Sink:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.received += 1
            return "250 OK"

    smtp_port = _free_port()
    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.WEIBAO_NOTIFY_EMAIL_PER_MINUTE = 0  # measure the throughput, not the limit
    robot = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
    threading.Thread(target=robot.serve_forever, daemon=True).start()

    spec = (ROOT / "examples" / "contracts" / "002-shanghai-hrss-ca-integration.yaml")
    contract = import_text(spec.read_text("utf-8")).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    purchaser_org = contract.purchaser.organisation  # type: ignore[union-attr]
    purchaser = User.objects.create(username="bench-purchaser", organisation=purchaser_org,
                                    role=Role.PURCHASER_STAFF)
    for i in range(args.managers):
        User.objects.create(username=f"bench-manager{i}", organisation=vendor,
                            role=Role.VENDOR_MANAGER, email=f"m{i}@vendor.example")
    engineers = [User.objects.create(username=f"bench-engineer{i}", organisation=vendor,
                                     role=Role.VENDOR_ENGINEER, email=f"e{i}@vendor.example")
                 for i in range(args.engineers)]
    Preference.objects.bulk_create([Preference(user=e, channels={"*": []}) for e in engineers])
    now = timezone.now()
    DutyShift.objects.create(contract=contract, user=engineers[0],
                             starts_at=now - datetime.timedelta(days=1),
                             ends_at=now + datetime.timedelta(days=1))
    channel = Channel(name="企业微信值班群", kind=ChannelKind.WECOM, contract=contract,
                      rate_per_minute=0)
    channel.set_address(f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send"
                        "?key=bench")
    channel.save()
    fault = TicketType.objects.get(contract=contract, code="fault")

    # 1. Creating tickets: events queued after commit versus publishing switched off.
    def create(n: int, tag: str) -> float:
        began = time.perf_counter()
        for i in range(n):
            tickets.create_ticket(tickets.TicketInput(
                contract=contract, ticket_type=fault, title=f"{tag} {i}", scope="small"),
                actor=purchaser)
        return n / (time.perf_counter() - began)

    create(20, "warm-up")
    HUEY.flush()
    real_publish = events.publish_events
    # Rounds alternate, so a neighbour's load on the machine falls on both alike.
    rounds, off_rates, on_rates = 5, [], []
    for _round in range(rounds):
        events.publish_events = lambda batch: None  # type: ignore[assignment]
        off_rates.append(create(args.tickets // rounds, "off"))
        events.publish_events = real_publish  # type: ignore[assignment]
        on_rates.append(create(args.tickets // rounds, "on"))
    off, on = max(off_rates), max(on_rates)
    queued = len(HUEY)
    print(f"{connection.vendor}, huey on Redis ({args.redis})")
    print(f"create     {on:8.1f} tickets/s (best round) with events queued ({queued} tasks), "
          f"{off:.1f}/s without: {100 * (on - off) / off:+.1f} %  target within 10 %  "
          f"{'OK' if on >= 0.9 * off else 'SLOW'}")
    HUEY.flush()
    Notification.objects.all().delete()
    Delivery.objects.all().delete()

    # 2. The sweep of --warnings SLA warnings.
    reported = now - datetime.timedelta(minutes=30)
    Ticket.objects.bulk_create([
        Ticket(contract=contract, number=f"B-{i:08d}", title=f"证书签发失败 {i}",
               ticket_type=fault, reported_at=reported, reporter=purchaser,
               assignee=engineers[i % len(engineers)], fault_level="III")
        for i in range(args.warnings)], batch_size=2000)
    from weibao.notifications.models import SourceCursor
    from weibao.notifications.sources import SLA_CURSOR

    last = SlaAlert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    SourceCursor.objects.update_or_create(name=SLA_CURSOR, defaults={"position": last})
    ids = Ticket.objects.filter(number__startswith="B-").values_list("pk", flat=True)
    SlaAlert.objects.bulk_create([
        SlaAlert(ticket_id=pk, contract=contract, stage="respond", kind="warning",
                 at=now + datetime.timedelta(minutes=5)) for pk in ids], batch_size=2000)
    began = time.perf_counter()
    result = sla_alerts_sweep()
    took = time.perf_counter() - began
    enqueued = len(HUEY)
    per = Notification.objects.count() / max(args.warnings, 1)
    print(f"fan-out    {took:8.2f} s   target <= 30 s  {'OK' if took <= 30 else 'SLOW'}  "
          f"{args.warnings:,} warnings -> {result.notifications:,} notifications "
          f"({per:.1f} each), {result.deliveries:,} deliveries, {enqueued:,} tasks queued")
    again = sla_alerts_sweep()
    assert again.notifications == 0, again.notifications

    # 3. The drain: a consumer sends until the queue is empty or time runs out.
    consumer = HUEY.create_consumer(workers=args.workers, worker_type="thread",
                                    periodic=False, check_worker_health=False)
    began = time.perf_counter()
    consumer.start()
    while len(HUEY) and time.perf_counter() - began < args.drain_seconds:
        time.sleep(0.5)
    consumer.stop(graceful=True)
    took = time.perf_counter() - began
    sent = Delivery.objects.filter(status="sent").count()
    print(f"drain      {took:8.2f} s   {sent:,} sent ({sent / took:.0f}/s: "
          f"{Sink.received:,} e-mails, {_Robot.count:,} robot posts) with {args.workers} "
          f"worker threads; {len(HUEY):,} tasks left")
    smtp.stop()
    robot.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warnings", type=at_least(1), default=10_000)
    parser.add_argument("--managers", type=at_least(1), default=2)
    parser.add_argument("--engineers", type=at_least(1), default=20)
    parser.add_argument("--tickets", type=at_least(10), default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--workers", type=at_least(1), default=4)
    parser.add_argument("--drain-seconds", type=at_least(1), default=60)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    child_args = ["--warnings", str(args.warnings), "--managers", str(args.managers),
                  "--engineers", str(args.engineers), "--tickets", str(args.tickets),
                  "--redis", args.redis, "--workers", str(args.workers),
                  "--drain-seconds", str(args.drain_seconds)]
    run_child_in_fresh_database(__file__, child_args, BENCH_DB, "weibao-bench-notifications-")


if __name__ == "__main__":
    main()
