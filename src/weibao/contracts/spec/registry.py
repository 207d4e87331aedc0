"""Sections of the contract spec and the JSON Schema assembled from them.

A section owns one top-level key: its JSON Schema fragment, the checks a schema cannot express,
and how it is written to and read from the database. Apps register sections in ``ready()``;
a file without a later app's section stays valid because only ``contract`` and ``parties``
are required.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from weibao.contracts.spec.errors import SpecError

__all__ = ["SCHEMA_ID", "SPEC_VERSION", "Section", "build_schema", "register", "sections"]

SPEC_VERSION = 1
SCHEMA_ID = "https://weibao.example/contract-spec/v1/schema.json"

Check = Callable[[Any, dict[str, Any]], list[SpecError]]


@dataclass(frozen=True)
class Section:
    key: str
    schema: dict[str, Any]
    title: str
    required: bool = False
    check: Check | None = None
    # apply(contract, data, context) writes the section; dump(contract) reads it back.
    apply: Callable[..., None] | None = None
    dump: Callable[..., Any] | None = None
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def build_schema() -> dict[str, Any]:
    present = sections()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "weibao contract spec",
        "description": (
            "One file describes one contract. Sections may be added in later versions; "
            "files written for earlier versions stay valid."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["spec_version", *[s.key for s in present if s.required]],
        "properties": {
            "spec_version": {
                "const": SPEC_VERSION,
                "description": "Version of the spec format.",
            },
            **{s.key: {"title": s.title, **s.schema} for s in present},
        },
    }
