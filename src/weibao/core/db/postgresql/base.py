"""Django's PostgreSQL backend with weibao's SQL compiler (``compiler.py``); everything else
is Django's own."""

from __future__ import annotations

from django.db.backends.postgresql import base
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

__all__ = ["DatabaseWrapper"]


class DatabaseOperations(PostgresOperations):
    compiler_module = "weibao.core.db.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
