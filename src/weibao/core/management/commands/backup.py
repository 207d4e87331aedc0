"""``weibao backup``: one archive of the database and the uploaded files (PLT-07)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core.backup import BackupError, create_backup, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one verifiable archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR) / "backups"),
                            help="folder the archive is written to (default: DATA_DIR/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = create_backup(options["output"])
            manifest = read_manifest(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(int(t["rows"]) for t in manifest["tables"].values())
        self.stdout.write(
            f"{archive}\n  {manifest['engine']}: {len(manifest['tables'])} tables, {rows} rows; "
            f"{len(manifest['files']) - 1} files; digests {manifest['digest_algorithm']}")
