"""Validate a spec document: the JSON Schema first, then each section's own checks."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from weibao.contracts.spec.errors import SpecError, SpecInvalid, from_schema_error
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.registry import build_schema, sections

__all__ = ["spec_errors", "validate_spec", "validate_text"]


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
            errors.extend(section.check(data[section.key], data))
    return _unique(errors)


def _unique(errors: list[SpecError]) -> list[SpecError]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for error in errors:
        key = (error.path, error.code, repr(sorted(error.params.items())))
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
