"""``weibao rekey``: encrypt personal data and secrets with the current key (PLT-02).

Run it after changing ``WEIBAO_ENCRYPTION_KEY`` (with the previous key still listed in
``WEIBAO_ENCRYPTION_OLD_KEYS``) and after upgrading to a version that encrypts a column that was
plain text. Each table is rewritten in one transaction; values already under the current key
are left alone, so the command can be interrupted and run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from weibao.core.crypto import decrypt, encrypt, is_encrypted
from weibao.core.fields import encrypted_columns, needs_rekey


class Command(BaseCommand):
    help = "Re-encrypt personal data and secrets with the current key (PLT-02)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="only count the values that need it; exit 1 if any")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = 0
        for model, name, context in encrypted_columns():
            changed = self._column(model, name, context, dry=options["check"])
            pending += changed
            if changed or options["verbosity"] > 1:
                verb = "to re-encrypt" if options["check"] else "re-encrypted"
                self.stdout.write(f"{model._meta.label}.{name}: {changed} {verb}")
        if options["check"] and pending:
            raise SystemExit(1)
        self.stdout.write(f"rekey: {pending} value(s) "
                          f"{'need it' if options['check'] else 're-encrypted'}")

    @staticmethod
    def _column(model: Any, name: str, context: str, *, dry: bool) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(name).column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        changed = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {column} FROM {table} "  # noqa: S608
                               f"WHERE {column} IS NOT NULL AND {column} <> ''")
                rows = [(key, value) for key, value in cursor.fetchall() if needs_rekey(value)]
            if dry:
                return len(rows)
            for key, value in rows:
                plain = decrypt(value, context=context) if is_encrypted(value) else value
                with connection.cursor() as cursor:
                    cursor.execute(f"UPDATE {table} SET {column} = %s "  # noqa: S608
                                   f"WHERE {pk} = %s", [encrypt(plain, context=context), key])
                changed += 1
        return changed
