"""Reading import files (AST-10): .xlsx (first sheet) and .csv (UTF-8 with or without BOM,
GB18030 — what Chinese Excel writes — or UTF-16).

Row 1 holds the headers: a column's key (``serial``) or its label in any of the site's
languages (``序列号`` / ``serial number``). Every later non-empty row is one record; rows keep
their spreadsheet number so errors point at the right line.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from weibao.core.errors import ServiceError
from weibao.imports.registry import Column

__all__ = ["ACCEPTED_SUFFIXES", "ImportTable", "cell_text", "check_file_type", "open_table"]

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
_IGNORED = re.compile(r"[\s*＊:：_\-]+")


def _fold(text: str) -> str:
    """Header comparison ignores case, spaces, ``*`` marks, colons, hyphens and underscores."""
    return _IGNORED.sub("", text).casefold()


def cell_text(value: Any) -> str:
    """One cell as the stripped string an importer receives ("" = empty)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def check_file_type(name: str, head: bytes) -> str:
    """The lower-case suffix of an accepted file whose content matches it; ServiceError else."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".xls", ".et", ".wps"}:
        raise ServiceError({"file": [_("%(suffix)s files are not supported: open the file in "
                                       "Excel or WPS and save it as .xlsx (or .csv).")
                                     % {"suffix": suffix}]})
    if suffix not in ACCEPTED_SUFFIXES:
        raise ServiceError({"file": [_("Files of type %(suffix)s are not accepted; accepted: "
                                       "%(allowed)s.")
                                     % {"suffix": suffix or "?",
                                        "allowed": ", ".join(ACCEPTED_SUFFIXES)}]})
    if suffix == ".xlsx" and not head.startswith(b"PK\x03\x04"):
        raise ServiceError({"file": [_("The content of %(name)s is not an .xlsx workbook.")
                                     % {"name": name}]})
    if suffix == ".csv" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ServiceError({"file": [_("The content of %(name)s is not a text (.csv) file.")
                                     % {"name": name}]})
    return suffix


def _header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Folded header text → column key: the key and the label in every language."""
    lookup: dict[str, str] = {}
    for column in columns:
        lookup[_fold(column.key)] = column.key
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in columns:
                lookup.setdefault(_fold(str(column.label)), column.key)
    return lookup


def _describe(columns: tuple[Column, ...]) -> str:
    return ", ".join(f"{c.key} ({c.label})" for c in columns)


@dataclass
class ImportTable:
    """The rows of an import file: ``for number, values in table`` (values keyed by Column.key,
    every column present, "" when empty)."""

    columns: tuple[Column, ...]
    positions: dict[int, str]  # cell index → column key
    _rows: Iterator[tuple[Any, ...]]
    max_rows: int

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        keys = [c.key for c in self.columns]
        count = 0
        for number, cells in enumerate(self._rows, start=2):
            values = dict.fromkeys(keys, "")
            for index, key in self.positions.items():
                if index < len(cells):
                    values[key] = cell_text(cells[index])
            if not any(values.values()):
                continue
            count += 1
            if count > self.max_rows:
                raise ServiceError({"file": [_("The file has more than %(max)d rows; split it "
                                               "into smaller files.") % {"max": self.max_rows}]})
            yield number, values


def _map_header(header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[int, str]:
    lookup = _header_lookup(columns)
    positions: dict[int, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        key = lookup.get(_fold(text))
        if key is None:
            unknown.append(text)
            continue
        if key in seen:
            raise ServiceError({"file": [_("Columns %(first)s and %(second)s are the same column "
                                           "(%(key)s).")
                                         % {"first": seen[key], "second": text, "key": key}]})
        seen[key] = text
        positions[index] = key
    problems: list[str] = []
    if unknown:
        problems.append(_("Unknown columns: %(columns)s. The columns are: %(expected)s.")
                        % {"columns": ", ".join(unknown), "expected": _describe(columns)})
    missing = [c for c in columns if c.required and c.key not in seen]
    if missing:
        problems.append(_("Missing required columns: %(columns)s.")
                        % {"columns": _describe(tuple(missing))})
    if problems:
        raise ServiceError({"file": problems})
    return positions


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ServiceError({"file": [_("The text encoding of the file is not recognised; save "
                                       "it as UTF-8 or GBK (GB18030) CSV.")]}) from None


def _csv_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else (
        ";" if ";" in first and "," not in first else ",")
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield tuple(row)
    except csv.Error as exc:
        raise ServiceError({"file": [_("The CSV file cannot be read: %(error)s")
                                     % {"error": exc}]}) from None


class _Workbook:
    """The first sheet of an .xlsx, read row by row (openpyxl read-only mode)."""

    def __init__(self, stream: IO[bytes]) -> None:
        from openpyxl import load_workbook

        try:
            self.book = load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise ServiceError({"file": [_("The workbook cannot be opened; is it a valid .xlsx "
                                           "file?")]}) from None

    def rows(self) -> Iterator[tuple[Any, ...]]:
        sheet = self.book.worksheets[0]
        yield from sheet.iter_rows(values_only=True)

    def close(self) -> None:
        self.book.close()


class open_table:
    """``with open_table(stream, name, columns) as table: for number, values in table: …``

    Raises ServiceError for an unreadable file, an empty file, unknown or missing columns, and
    (while iterating) more than ``max_rows`` data rows."""

    def __init__(self, stream: IO[bytes], name: str, columns: tuple[Column, ...],
                 max_rows: int | None = None) -> None:
        self.stream, self.name, self.columns = stream, name, columns
        self.max_rows = max_rows or settings_max_rows()
        self._book: _Workbook | None = None

    def __enter__(self) -> ImportTable:
        self.stream.seek(0)
        suffix = check_file_type(self.name, self.stream.read(8))
        self.stream.seek(0)
        rows: Iterator[tuple[Any, ...]]
        if suffix == ".xlsx":
            self._book = _Workbook(self.stream)
            rows = self._book.rows()
        else:
            rows = _csv_rows(self.stream.read())
        header = next(rows, None)
        if header is not None and not any(cell_text(c) for c in header):
            raise ServiceError({"file": [_("Row 1 must hold the column headers; it is empty.")]})
        if header is None:
            raise ServiceError({"file": [_("The file is empty.")]})
        positions = _map_header(tuple(header), self.columns)
        return ImportTable(self.columns, positions, rows, self.max_rows)

    def __exit__(self, *exc: object) -> None:
        if self._book is not None:
            self._book.close()


def settings_max_rows() -> int:
    """``WEIBAO_IMPORT_MAX_ROWS`` (default 50,000 data rows per file)."""
    return int(getattr(settings, "WEIBAO_IMPORT_MAX_ROWS", 50_000))
