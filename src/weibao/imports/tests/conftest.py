"""Fixtures of the imports tests: a tiny importer of site types (a real model, so commits
really write) and builders of .xlsx / .csv files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from weibao.imports import registry
from weibao.imports.registry import Column, Importer, RowError
from weibao.imports.values import parse_date, parse_int
from weibao.sites.models import SiteType
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

KEY = "test-site-types"


class SiteTypeImporter(Importer):
    """Site types by code: ``code`` and ``name`` required, ``order`` a number, ``since`` a date
    (checked, not stored). ``fail_on`` makes ``write`` raise after writing (rollback test)."""

    key = KEY
    title = gettext_lazy("site types (test)")
    permission = "sites.add_sitetype"
    columns = (
        Column("code", gettext_lazy("code"), required=True),
        Column("name", gettext_lazy("name"), required=True),
        Column("order", gettext_lazy("order"), help=gettext_lazy("a whole number")),
        Column("since", gettext_lazy("since"), help=gettext_lazy("YYYY-MM-DD")),
    )
    fail_on: str = ""

    def prepare(self, contract: Any) -> dict[str, Any]:
        return {"seen": {}, "existing": set(
            SiteType.objects.filter(contract=contract).values_list("code", flat=True))}

    def clean_row(self, contract: Any, values: dict[str, str], row: int,
                  context: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors = [RowError(row, c.key, _("Required.")) for c in self.columns
                  if c.required and not values[c.key]]
        try:
            order = parse_int(values["order"])
        except ValueError:
            errors.append(RowError(row, "order", "not a whole number"))
            order = None
        try:
            since = parse_date(values["since"])
        except ValueError:
            errors.append(RowError(row, "since", "not a date"))
            since = None
        code = values["code"]
        if code in context["seen"]:
            errors.append(RowError(row, "code", f"same code as row {context['seen'][code]}"))
        elif code:
            context["seen"][code] = row
        if errors:
            return None, errors
        return {"code": code, "name": values["name"], "order": order or 0, "since": since}, []

    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        for data in rows:
            SiteType.objects.update_or_create(
                contract=contract, code=data["code"],
                defaults={"name": data["name"], "order": data["order"]})
            if data["code"] == self.fail_on:
                raise RuntimeError("boom")
        return len(rows)


@pytest.fixture
def importer(monkeypatch: pytest.MonkeyPatch) -> SiteTypeImporter:
    instance = SiteTypeImporter()
    monkeypatch.setitem(registry._REGISTRY, KEY, instance)
    return instance


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


GOOD = [["code", "name", "order", "since"],
        ["t1", "类型一", 1, "2025-01-01"],
        ["t2", "类型二", 2, ""]]

BAD = [["code", "name", "order", "since"],
       ["t1", "类型一", 1, "2025-01-01"],
       ["", "无编码", "x", "2025-13-01"],  # row 3: code required, order, since
       ["t1", "重复", 3, ""],  # row 4: duplicate code
       ["t4", "类型四", 4, ""]]
