"""``weibao audit verify``: recompute the audit chain and name its first broken link (PLT-03)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Verify the tamper-evident audit chain and the signed documents (PLT-03)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute every link; exit 1 at the first broken one")
        sub.add_parser("documents", help="recompute the digest of every signed document "
                                         "(maintenance sheets, fault reports, final "
                                         "assessments) and check its SM2 signature")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "documents":
            self._documents()
            return
        from weibao.security.audit_chain import verify_chain

        report = verify_chain()
        if report.broken_at is not None:
            where = ("the end of the chain" if report.broken_at < 0
                     else f"audit entry {report.broken_at}")
            raise CommandError(f"audit chain BROKEN at {where}: {report.reason} "
                               f"({report.checked} entries verified before it)")
        if report.unsealed:
            raise CommandError(f"audit chain: {report.reason}: entries "
                               f"{', '.join(map(str, report.unsealed))}")
        self.stdout.write(f"audit chain intact: {report.checked} entries verified")

    def _documents(self) -> None:
        from weibao.security.signing import verify_documents

        report = verify_documents()
        for problem in report.problems:
            self.stderr.write(str(problem))
        summary = (f"{report.checked} signed documents checked, {len(report.problems)} "
                   f"failed, {report.unsigned} never signed")
        if report.problems:
            raise CommandError(f"signed documents BROKEN: {summary}")
        self.stdout.write(f"signed documents intact: {summary}")
