"""``weibao contract validate|import|export|schema`` — the contract spec on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_text
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.reference import render_markdown
from weibao.contracts.spec.registry import build_schema
from weibao.contracts.spec.validate import database_is_set_up, validate_text


class Command(BaseCommand):
    help = "Validate, import or export a contract spec (YAML); print its JSON Schema."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", default=None,
                            help="Language of messages: zh-hans (default) or en.")
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="Check files; write nothing.")
        validate.add_argument("files", nargs="+", type=Path)
        imp = sub.add_parser("import", help="Create or update contracts from files.")
        imp.add_argument("files", nargs="+", type=Path)
        exp = sub.add_parser("export", help="Print a contract's spec.")
        exp.add_argument("number")
        exp.add_argument("-o", "--output", type=Path, help="Write to this file.")
        schema = sub.add_parser("schema", help="Print the JSON Schema.")
        schema.add_argument("--markdown", action="store_true",
                            help="Print the Markdown reference instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["lang"] or "zh-hans"
        with translation.override(language):
            try:
                getattr(self, f"_{options['action']}")(options)
            except DatabaseError as exc:
                if database_is_set_up():
                    raise
                # One line, never a traceback, on a data folder `migrate` has not set up yet.
                raise CommandError(_("The database is not set up (%(detail)s): run `weibao "
                                     "migrate` first.") % {"detail": exc}) from None

    def _read(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc

    def _report(self, path: Path, exc: SpecInvalid) -> None:
        for message in exc.messages():
            self.stderr.write(f"{path}: {message}")

    def _validate(self, options: dict[str, Any]) -> None:
        failed = 0
        for path in options["files"]:
            try:
                validate_text(self._read(path))
            except SpecInvalid as exc:
                failed += 1
                self._report(path, exc)
            else:
                self.stdout.write(f"{path}: OK")
        if failed:
            raise CommandError(f"{failed} file(s) invalid")

    def _import(self, options: dict[str, Any]) -> None:
        failed = 0
        for path in options["files"]:
            try:
                result = import_text(self._read(path))
            except SpecInvalid as exc:
                failed += 1
                self._report(path, exc)
            else:
                verb = "created" if result.created else "updated"
                self.stdout.write(f"{path}: {verb} {result.contract.number}")
        if failed:
            raise CommandError(f"{failed} file(s) not imported; nothing was written for them")

    def _export(self, options: dict[str, Any]) -> None:
        contract = Contract.objects.filter(number=options["number"]).first()
        if contract is None:
            raise CommandError(f"no contract numbered {options['number']}")
        text = export_text(contract)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    def _schema(self, options: dict[str, Any]) -> None:
        if options["markdown"]:
            self.stdout.write(render_markdown(build_schema()), ending="")
        else:
            self.stdout.write(json.dumps(build_schema(), ensure_ascii=False, indent=2))
