"""Benchmark of the tamper-evident audit chain (PLT-03).  A script, not a test.

    python bench/bench_security.py [--entries 5000] [--repeat 3]

In a throw-away data folder (SQLite, or the database DATABASE_URL names — use a throw-away
one), writes ``--entries`` audited changes (an organisation saved) with the chain's seal and
the same number with the seal switched off, then prints, best of ``--repeat``:

* ``write_sealed`` / ``write_unsealed`` — ms per audited change, and the sealing overhead;
* ``verify`` — ``weibao audit verify`` over the whole chain, seconds and entries per second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchargs import at_least

ROOT = Path(__file__).resolve().parents[1]


def child(entries: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    from auditlog.models import LogEntry
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models.signals import post_save

    from weibao.core.choices import OrganisationKind
    from weibao.core.models import Organisation
    from weibao.security import audit_chain

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="基准单位", code="bench", kind=OrganisationKind.VENDOR)

    def write(n: int) -> float:
        start = time.perf_counter()
        for i in range(n):
            with transaction.atomic():
                org.name = f"基准单位{i}-{time.perf_counter_ns()}"
                org.save()
        return (time.perf_counter() - start) / n * 1000

    sealed = min(write(entries) for _ in range(repeat))
    post_save.disconnect(sender=LogEntry, dispatch_uid="security.audit_seal")
    unsealed = min(write(entries) for _ in range(repeat))
    post_save.connect(audit_chain._on_entry_saved, sender=LogEntry,
                      dispatch_uid="security.audit_seal")
    # The unsealed entries would (rightly) be reported: seal-check only the chain itself.
    LogEntry.objects.exclude(pk__in=audit_chain.AuditSeal.objects.values("entry_id")).delete()
    total = audit_chain.AuditSeal.objects.count()
    best = min(_timed(audit_chain.verify_chain) for _ in range(repeat))
    report = audit_chain.verify_chain()
    assert report.intact, report
    print(f"write_sealed   {sealed:8.3f} ms/change")
    print(f"write_unsealed {unsealed:8.3f} ms/change  (seal overhead {sealed - unsealed:+.3f} ms)")
    print(f"verify         {best:8.3f} s for {total} entries ({total / best:,.0f} entries/s)")


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=at_least(1), default=5000)
    parser.add_argument("--repeat", type=at_least(1), default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.entries, args.repeat)
        return
    with tempfile.TemporaryDirectory(prefix="weibao-bench-security-") as data:
        env = {**os.environ, "WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src")}
        sys.exit(subprocess.call([sys.executable, __file__, "--child", "--entries",
                                  str(args.entries), "--repeat", str(args.repeat)], env=env))


if __name__ == "__main__":
    main()
