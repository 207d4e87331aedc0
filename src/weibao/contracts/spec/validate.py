"""Validate a spec document: the JSON Schema first, then each section's own checks."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from jsonschema import Draft202012Validator, FormatChecker

from weibao.contracts.spec.errors import SpecError, SpecInvalid, brief_repr, from_schema_error
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.registry import build_schema, sections

__all__ = ["database_is_set_up", "spec_errors", "validate_spec", "validate_text"]


def spec_errors(data: Any) -> list[SpecError]:
    validator = Draft202012Validator(build_schema(), format_checker=FormatChecker())
    found = sorted(
        validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    errors = [from_schema_error(e) for e in found]
    if errors:
        return _unique(errors)
    for section in sections():
        if section.check is not None and section.key in data:
            errors.extend(_check_section(section.key, section.check, data))
    return _unique(errors)


def _check_section(key: str, check: Any, data: dict[str, Any]) -> list[SpecError]:
    """A section's checks; before ``weibao migrate`` (no tables) they still run on the file.

    A check consults the database only for what is recorded under the file's contract number
    (codes a partial file may refer to) and for built-in data. Before ``migrate`` nothing is
    recorded, so the check runs again without the number, which every section reads as "no
    stored records". A check that still needs the database says so in one line.
    """
    try:
        return list(check(data[key], data))
    except DatabaseError:
        tables = _table_names()
        if tables is not None and "contracts_contract" in tables:
            if database_is_set_up():
                raise
            return [SpecError(key, "needs_database")]
    alone = {**data, "contract": {k: v for k, v in data.get("contract", {}).items()
                                  if k != "number"}}
    try:
        return list(check(data[key], alone))
    except DatabaseError:
        return [SpecError(key, "needs_database")]


def _table_names() -> list[str] | None:
    try:
        return list(connection.introspection.table_names())
    except DatabaseError:
        return None


def database_is_set_up() -> bool:
    """True when every migration is applied (``weibao migrate`` has run since the last update)."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


def _unique(errors: list[SpecError]) -> list[SpecError]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for error in errors:
        key = (error.path, error.code,
               repr(sorted((k, brief_repr(v)) for k, v in error.params.items())))
        if key not in seen:
            seen.add(key)
            result.append(error)
    return result


def validate_spec(data: Any) -> dict[str, Any]:
    errors = spec_errors(data)
    if errors:
        raise SpecInvalid(errors)
    return dict(data)


def validate_text(text: str) -> dict[str, Any]:
    return validate_spec(load_yaml(text))
