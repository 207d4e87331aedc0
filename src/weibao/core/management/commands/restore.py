"""``weibao restore ARCHIVE``: bring a backup back into an empty installation and prove it
(every table compared with the backup's fingerprints) (PLT-07)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a file written by `weibao backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace an installation that already holds data")
        parser.add_argument("--check", action="store_true",
                            help="only read the manifest and say what the archive holds")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = read_manifest(options["archive"])
            if options["check"]:
                rows = sum(int(t["rows"]) for t in manifest["tables"].values())
                self.stdout.write(f"{manifest['created_at']} {manifest['engine']}: "
                                  f"{len(manifest['tables'])} tables, {rows} rows, "
                                  f"{len(manifest['files'])} files")
                return
            result = restore_backup(options["archive"], force=options["force"],
                                    progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not result.verified:
            raise CommandError("restored, but these tables differ from the backup: "
                               + ", ".join(result.mismatched))
        self.stdout.write(self.style.SUCCESS(
            f"restored and verified: {result.tables} tables, {result.rows} rows, "
            f"{result.files} files equal to the backup. Run `weibao migrate` if this weibao "
            f"is newer than the backup."))
