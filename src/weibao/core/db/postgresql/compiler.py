"""Django's PostgreSQL SQL compilers; bulk inserts of a few rows use plain ``VALUES``.

Django writes every multi-row insert as ``INSERT … SELECT * FROM UNNEST(array, …)`` to save
PostgreSQL planning a long ``VALUES`` list. weibao prepares the statements a connection runs
often (``WEIBAO_DB_PREPARED``), so the plan is made once anyway, while turning each column
into an array costs Python time on every call: a ticket's five SLA stages took 5 % of a
ticket creation that way. Large loads (imports) keep UNNEST."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as UnnestInsertCompiler
from django.db.models.sql.compiler import SQLInsertCompiler as ValuesInsertCompiler

__all__ = ["SQLAggregateCompiler", "SQLCompiler", "SQLDeleteCompiler", "SQLInsertCompiler",
           "SQLUpdateCompiler"]

# Fewer rows than this are inserted with VALUES.
UNNEST_FROM_ROWS = 50


class SQLInsertCompiler(UnnestInsertCompiler):
    def assemble_as_sql(self, fields: Any, value_rows: Any) -> Any:
        if len(value_rows) < UNNEST_FROM_ROWS:
            return ValuesInsertCompiler.assemble_as_sql(self, fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
