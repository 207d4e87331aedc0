"""Excel exports (AST-10): any list page exports its filtered rows, and every importer has a
downloadable template.

* :func:`xlsx_response` — rows to an .xlsx download (openpyxl write-only: rows are streamed
  into the workbook, never held as cell objects).
* :class:`ExcelExportMixin` — for django-tables2 list views: ``?export=xlsx`` with the page's
  filters returns ALL filtered rows of the user-scoped queryset (not just the page), with the
  table's visible column headers.
* :func:`template_workbook` — the import template of an importer: row 1 holds the column keys,
  a second sheet explains each column.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_tables2 import DateTimeColumn, RequestConfig

from weibao.imports.registry import Importer

__all__ = ["XLSX_CONTENT_TYPE", "ExcelExportMixin", "template_workbook", "xlsx_response"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELP_SHEET_TITLE = "说明 Help"  # "/" is not allowed in sheet titles
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _cell(sheet: Any, value: Any) -> Any:
    """A write-only cell; text is always text (a leading "=" never becomes a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, bool | int | float | Decimal):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", str(value)))
    cell.data_type = "s"
    return cell


def xlsx_bytes(headers: list[str], rows: Iterable[Sequence[Any]], title: str = "") -> bytes:
    """An .xlsx workbook of one sheet: a bold header row, then ``rows``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or "Sheet1")[:31])
    sheet.freeze_panes = "A2"
    header_cells = []
    for text in headers:
        cell = _cell(sheet, str(text))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _attachment(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(filename: str, headers: list[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """Rows as an .xlsx download named ``filename`` (".xlsx" is added when missing)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return _attachment(filename, xlsx_bytes([str(h) for h in headers], rows))


class ExcelExportMixin:
    """Add ``?export=xlsx`` to a django-tables2 list view (``SingleTableMixin`` /
    ``SingleTableView``, with or without ``FilterView``).

    The export holds every row of the view's filtered, user-scoped data in the table's order,
    in the table's visible columns (minus those with ``exclude_from_export``), under their
    translated headers. Cell values come from the table (``value_<column>`` methods or the
    rendered text)."""

    export_param = "export"
    export_filename: str = ""  # default: the model's plural name and today's date

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._export = request.GET.get(self.export_param) == "xlsx"
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def get_export_filename(self) -> str:
        if self.export_filename:
            return self.export_filename
        model = getattr(getattr(self, "model", None), "_meta", None)
        if model is None:
            queryset = getattr(self, "object_list", None)
            model = getattr(getattr(queryset, "model", None), "_meta", None)
        base = str(model.verbose_name_plural) if model is not None else "export"
        return f"{base}-{timezone.localdate():%Y%m%d}.xlsx"

    def export_table(self) -> Any:
        view: Any = self
        table_class = view.get_table_class()
        table = table_class(view.get_table_data(), **view.get_table_kwargs())
        RequestConfig(view.request, paginate=False).configure(table)
        return table

    def export_response(self) -> HttpResponse:
        table = self.export_table()
        columns = [c for c in table.columns.iterall()
                   if c.visible and not c.column.exclude_from_export]
        headers = [strip_tags(str(c.header)).strip() for c in columns]

        def value(row: Any, column: Any) -> Any:
            if isinstance(column.column, DateTimeColumn):
                # Its export value is isoformat text in UTC; the cell takes the datetime and
                # shows it in local time.
                return column.accessor.resolve(row.record, quiet=True)
            return row.get_cell_value(column.name)

        def rows() -> Iterable[list[Any]]:
            for row in table.rows:
                yield [_plain(value(row, c)) for c in columns]

        return xlsx_response(self.get_export_filename(), headers, rows())

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
        if getattr(self, "_export", False):
            return self.export_response()
        return super().render_to_response(context, **kwargs)  # type: ignore[misc]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    text = strip_tags(str(value)).strip()
    return "" if text == "—" else text


def template_workbook(importer: Importer, contract: Any = None) -> bytes:
    """The import template of ``importer``: sheet 1 has the column keys in row 1 (fill rows
    from row 2); sheet "说明 Help" lists each column's label, required flag and help. With a
    contract, its own columns are included (``Importer.columns_for``)."""
    columns = importer.columns_for(contract) if contract is not None else importer.columns
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    data = book.active
    data.title = importer.key[:31] or "data"
    required_fill = PatternFill("solid", fgColor="FDE68A")
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index, value=column.key)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required_fill
        data.column_dimensions[cell.column_letter].width = max(12, len(column.key) + 4)
    data.freeze_panes = "A2"
    help_sheet = book.create_sheet(HELP_SHEET_TITLE)
    help_sheet.append([_("Column"), _("Label"), _("Required"), _("Help")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append([column.key, str(column.label), _("yes") if column.required else _("no"),
                           str(column.help or "")])
    for letter, width in zip("ABCD", (18, 24, 10, 60), strict=True):
        help_sheet.column_dimensions[letter].width = width
    help_sheet.append([])
    help_sheet.append([_("Fill the first sheet from row 2, one record per row. Row 1 may hold "
                         "the column keys or the labels; required columns are highlighted. "
                         "Dates: YYYY-MM-DD.")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_response(importer: Importer, contract: Any = None) -> HttpResponse:
    """Download the template of ``importer`` as ``<key>-template.xlsx``."""
    return _attachment(f"{importer.key}-template.xlsx", template_workbook(importer, contract))
