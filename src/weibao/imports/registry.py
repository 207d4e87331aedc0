"""Importer registry of the bulk import framework (AST-10).

Each domain app (sites, assets, spares) declares one :class:`Importer` subclass in its
``importers.py`` and registers an instance from its ``AppConfig.ready()``. The imports app reads
spreadsheets, calls ``prepare``/``clean_row`` for every row (validation, nothing written) and
``write`` once inside a single transaction on commit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = [
    "Column",
    "Importer",
    "RowError",
    "get_importer",
    "importers",
    "register",
]


@dataclass(frozen=True)
class Column:
    """One column of an import file (导入列)."""

    key: str  # header code in the template, English, e.g. "serial"
    label: Any  # translated header, e.g. _("serial number"); templates show both
    required: bool = False
    help: Any = ""  # e.g. _("YYYY-MM-DD")


@dataclass(frozen=True)
class RowError:
    """One validation error of an import file (导入错误)."""

    row: int  # spreadsheet row number (the header row is row 1)
    column: str  # Column.key, or "" for the whole row
    message: str  # translated, user-facing


class Importer(ABC):
    """Base class of a bulk importer (批量导入器)."""

    key: str = ""  # "sites" | "assets" | "stock"
    title: Any = ""  # translated
    permission: str = ""  # the permission needed to import, e.g. "sites.add_site"
    columns: tuple[Column, ...] = ()

    def columns_for(self, contract: Any) -> tuple[Column, ...]:
        """Optional: the columns of ``contract``'s files, when they depend on its data (e.g. one
        column per attribute of its asset types). The framework reads headers and builds
        templates with this; the default is ``columns``."""
        return self.columns

    def prepare(self, contract: Any) -> dict[str, Any]:
        """Load lookups once (codes -> objects); the returned dict is the per-file context,
        also used for checks across rows (duplicate serial within the file)."""
        return {}

    @abstractmethod
    def clean_row(
        self, contract: Any, values: dict[str, str], row: int, context: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        """Validate one row (values keyed by Column.key, already stripped strings, "" = empty).
        Return (cleaned, []) or (None, errors). Never writes."""

    @abstractmethod
    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        """Write cleaned rows; called inside the framework's single transaction.
        Upsert by the natural key (site code, asset serial/code …). Returns rows written."""


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Register ``importer`` under its key (re-registering the same key replaces it)."""
    if not importer.key:
        raise ValueError("An importer needs a key.")
    _REGISTRY[importer.key] = importer


def importers() -> list[Importer]:
    """All registered importers, in registration order."""
    return list(_REGISTRY.values())


def get_importer(key: str) -> Importer:
    """The importer registered under ``key``; ``KeyError`` with a clear message otherwise."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(str(_("Unknown importer: %(key)s") % {"key": key})) from None
