"""AST-10: reading .xlsx and .csv import files — encodings, headers, limits, cell values."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import translation

from weibao.core.errors import ServiceError
from weibao.imports.readers import cell_text, open_table
from weibao.imports.tests.conftest import GOOD, SiteTypeImporter, csv_bytes, xlsx_bytes
from weibao.imports.values import parse_bool, parse_date, parse_decimal, parse_int

COLUMNS = SiteTypeImporter.columns


def read(name: str, content: bytes, max_rows: int | None = None) -> list[tuple[int, dict]]:
    with open_table(io.BytesIO(content), name, COLUMNS, max_rows=max_rows) as table:
        return list(table)


def problems(name: str, content: bytes, **kwargs: object) -> str:
    with pytest.raises(ServiceError) as caught:
        read(name, content, **kwargs)  # type: ignore[arg-type]
    return " ".join(caught.value.messages)


EXPECTED = [
    (2, {"code": "t1", "name": "类型一", "order": "1", "since": "2025-01-01"}),
    (3, {"code": "t2", "name": "类型二", "order": "2", "since": ""}),
]


def test_ast10_xlsx_rows_keyed_by_column_key_with_row_numbers() -> None:
    assert read("types.xlsx", xlsx_bytes(GOOD)) == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_ast10_csv_in_every_encoding_excel_writes(encoding: str) -> None:
    assert read("types.csv", csv_bytes(GOOD, encoding)) == EXPECTED


def test_ast10_csv_separated_by_tabs_or_semicolons() -> None:
    text = "\n".join("\t".join(str(c) for c in row) for row in GOOD)
    assert read("t.csv", text.encode()) == EXPECTED
    text = "\n".join(";".join(str(c) for c in row) for row in GOOD)
    assert read("t.csv", text.encode()) == EXPECTED


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_ast10_headers_by_label_in_any_language(language: str) -> None:
    with translation.override(language):
        header = [str(c.label) for c in COLUMNS]
    rows = [header, *GOOD[1:]]
    with translation.override("zh-hans"):  # the reader's language does not matter
        assert read("t.xlsx", xlsx_bytes(rows)) == EXPECTED


def test_ast10_headers_ignore_case_spaces_and_required_marks() -> None:
    rows = [[" CODE* ", "Name", "order", "since"], *GOOD[1:]]
    assert read("t.xlsx", xlsx_bytes(rows)) == EXPECTED


def test_ast10_columns_in_any_order_optional_ones_may_be_left_out() -> None:
    rows = [["name", "code"], ["类型一", "t1"]]
    assert read("t.csv", csv_bytes(rows)) == [
        (2, {"code": "t1", "name": "类型一", "order": "", "since": ""})]


def test_ast10_unknown_and_missing_columns_are_named() -> None:
    message = problems("t.xlsx", xlsx_bytes([["code", "colour"], ["t1", "red"]]))
    assert "colour" in message
    assert "name" in message  # required, missing
    assert "Missing" in message or "缺" in message or "name (" in message


def test_ast10_duplicate_column_refused() -> None:
    message = problems("t.csv", csv_bytes([["code", "name", "CODE"], ["a", "b", "c"]]))
    assert "code" in message.lower()


def test_ast10_empty_file_and_empty_header_refused() -> None:
    assert problems("t.csv", b"")
    assert problems("t.xlsx", xlsx_bytes([]))
    assert problems("t.xlsx", xlsx_bytes([[None, None], ["t1", "x"]]))


def test_ast10_too_many_rows_refused() -> None:
    rows = [GOOD[0], *[[f"t{i}", "x", i, ""] for i in range(6)]]
    assert read("t.csv", csv_bytes(rows), max_rows=6)
    assert "5" in problems("t.csv", csv_bytes(rows), max_rows=5)


def test_ast10_wrong_file_types_refused_with_advice() -> None:
    assert ".xlsx" in problems("t.xls", b"\xd0\xcf\x11\xe0rest")
    assert problems("t.pdf", b"%PDF-1.4")
    assert problems("t.xlsx", b"code,name\n")  # not a zip
    assert problems("t.csv", b"PK\x03\x04\x00\x00binary")
    assert problems("t.xlsx", b"PK\x03\x04 not really a workbook")


def test_ast10_blank_rows_skipped_but_numbering_kept() -> None:
    rows = [GOOD[0], GOOD[1], [None, None, None, None], GOOD[2]]
    assert [n for n, _v in read("t.xlsx", xlsx_bytes(rows))] == [2, 4]
    assert [n for n, _v in read("t.csv", csv_bytes(rows))] == [2, 4]


def test_ast10_excel_cell_values_become_text() -> None:
    assert cell_text(datetime.datetime(2025, 3, 1)) == "2025-03-01"
    assert cell_text(datetime.datetime(2025, 3, 1, 8, 30)) == "2025-03-01 08:30:00"
    assert cell_text(datetime.date(2025, 3, 1)) == "2025-03-01"
    assert cell_text(12.0) == "12"
    assert cell_text(123456789012345.0) == "123456789012345"
    assert cell_text(1.5) == "1.5"
    assert cell_text(True) == "TRUE"
    assert cell_text("  text\u3000") == "text"
    assert cell_text(None) == ""


def test_ast10_date_cells_read_from_a_workbook() -> None:
    rows = [GOOD[0], ["t1", "x", 1.0, datetime.datetime(2025, 3, 1)]]
    assert read("t.xlsx", xlsx_bytes(rows))[0][1]["since"] == "2025-03-01"
    assert read("t.xlsx", xlsx_bytes(rows))[0][1]["order"] == "1"


@pytest.mark.parametrize("text", ["2025-03-01", "2025/3/1", "2025.03.01", "2025年3月1日",
                                  "20250301", "2025-03-01 00:00:00"])
def test_ast10_dates_as_text_in_common_spellings(text: str) -> None:
    assert parse_date(text) == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-30", "tomorrow", "03/01/2025"])
def test_ast10_bad_dates_raise(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_ast10_number_and_flag_helpers() -> None:
    assert parse_date("") is None
    assert parse_int("1,200") == 1200
    assert parse_int("12.0") == 12
    assert parse_int("") is None
    with pytest.raises(ValueError):
        parse_int("1.5")
    assert str(parse_decimal("¥1,234.50")) == "1234.50"
    with pytest.raises(ValueError):
        parse_decimal("NaN")
    assert parse_bool("是") is True
    assert parse_bool("否") is False
    with pytest.raises(ValueError):
        parse_bool("maybe")
