"""Benchmark of the staff app (STF-01, STF-04).  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_staff.py \
        [--members 500] [--repeat 5]

Imports example 002 (its staffing rules: team ≥23, ≥15 resident, 1 resident project manager),
puts ``--members`` members on its team (half resident, two certificates each, one in ten
expired) and ``--members`` duty shifts, then prints, best of ``--repeat``:

* ``compliance`` — the live compliance of the contract's team with its rules (target ≤ 100 ms);
* ``on_duty`` — who is on duty at a moment (target ≤ 50 ms).

Then imports example 001 and puts ``--residents`` resident members on it with a year (2026) of
check-ins — present on 19 working days of 20 —, and prints:

* ``close_year`` — closing every working day of the year without a check-in (absent) once;
* ``close_again`` — the nightly re-run over the year (nothing left to close);
* ``monthly`` — the monthly attendance of every resident for one month (target ≤ 1 s);
* ``metric_year`` — the assessment's ``attendance_rate`` over the whole year (target ≤ 1 s).

Runs on PostgreSQL in the throw-away database ``weibao_bench_staff`` (created and dropped
here) when DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away data folder.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

from benchargs import at_least
from benchdb import run_child_in_fresh_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_staff"
TARGETS = {"compliance": 0.1, "on_duty": 0.05, "close_year": None, "close_again": None,
           "monthly": 1.0, "metric_year": 1.0}


def child(n: int, residents: int, repeat: int) -> None:
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
    _report(best)
    _report(_attendance(residents, repeat))


def _report(best: dict[str, tuple[float, int]]) -> None:
    for name, (took, queries) in best.items():
        target = TARGETS[name]
        verdict = ("" if target is None else
                   f"  target <= {target * 1000:.0f} ms  {'OK' if took <= target else 'SLOW'}")
        print(f"{name:<12}{took * 1000:9.1f} ms{verdict}  {queries} queries")


def _attendance(residents: int, repeat: int) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from weibao.assessment.metrics import measure
    from weibao.assessment.models import AssessmentItem
    from weibao.contracts.spec.importer import import_text
    from weibao.staff.choices import AttendanceStatus
    from weibao.staff.models import AttendanceDay, Member
    from weibao.staff.services.attendance import close_days, monthly_attendance, working_days

    text = (ROOT / "examples/contracts/001-changzhou-hrss-onsite.yaml").read_text("utf-8")
    contract = import_text(text).contract
    first, last = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    members = Member.objects.bulk_create(
        Member(contract=contract, name=f"驻场{i}", resident=True, starts_on=first)
        for i in range(residents))
    days = working_days(contract).between(first, last)  # type: ignore[attr-defined]
    tz = timezone.get_default_timezone()
    rows = [AttendanceDay(member=m, day=d, status=AttendanceStatus.PRESENT,
                          check_in_at=datetime.datetime.combine(d, datetime.time(8, 50),
                                                                tzinfo=tz))
            for i, m in enumerate(members) for k, d in enumerate(days) if (i + k) % 20]
    AttendanceDay.objects.bulk_create(rows, batch_size=5000)
    print(f"{connection.vendor}, {residents:,} residents, {len(days)} working days, "
          f"{len(rows):,} check-ins")
    item = AssessmentItem.objects.get(scheme__contract=contract, code="attendance")
    best: dict[str, tuple[float, int]] = {}

    def timed(name: str, call: object) -> None:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            call()  # type: ignore[operator]
            took = time.perf_counter() - t0
        if name not in best or took < best[name][0]:
            best[name] = (took, len(ctx.captured_queries))

    timed("close_year", lambda: close_days(contract, last))
    for _ in range(repeat):
        timed("close_again", lambda: close_days(contract, last))
        timed("monthly", lambda: monthly_attendance(contract, 2026, 6,
                                                    today=datetime.date(2027, 1, 5)))
        timed("metric_year", lambda: measure(item, contract, first, last))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=at_least(1), default=500)
    parser.add_argument("--residents", type=at_least(1), default=500)
    parser.add_argument("--repeat", type=at_least(1), default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.members, args.residents, args.repeat)
        return
    run_child_in_fresh_database(__file__, ["--members", str(args.members), "--residents",
                                           str(args.residents), "--repeat", str(args.repeat)],
                                BENCH_DB, "weibao-bench-staff-")


if __name__ == "__main__":
    main()
