"""Word, Excel and PDF documents of a report (RPT-07): each opens with its library and shows
the Chinese headings and the figures of the data; an administrator's template replaces the
built-in one; a broken template is a clear error naming it."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from weibao.reports import render
from weibao.reports.choices import ReportSection
from weibao.reports.models import ReportTemplate, Submission
from weibao.reports.tests.conftest import Setup, at, make_deliverable

SECTIONS = [ReportSection.TICKETS, ReportSection.SLA, ReportSection.BREACHES]

#: A report's data as collect() gives it (fixed here: the figures are what must show).
SAMPLE: dict[str, Any] = {
    "period": {"start": "2025-10-01", "end": "2025-10-31"},
    "contract": {"number": "SBK-2025", "title": "社保卡受理网点运维服务"},
    "tickets": {
        "total": 137, "opened": 140, "closed": 129, "open_at_end": 11,
        "by_level": {"一级": 7, "二级": 41, "三级": 89},
        "by_site": [{"site": "徐汇区受理网点", "count": 23}, {"site": "浦东新区受理网点",
                                                            "count": 19}],
    },
    "sla": {"stages": [{"stage": "响应", "count": 137, "met": 131, "breached": 6,
                        "attainment": "95.62"},
                       {"stage": "修复", "count": 129, "met": 120, "breached": 9,
                        "attainment": "93.02"}]},
    "breaches": {"total": 3, "rows": []},
}


def zh(message: str) -> str:
    """What a document word reads in Chinese (the catalog's translation once it has one)."""
    with translation.override("zh-hans"):
        return str(translation.pgettext("report", message))


def submission_of(setup: Setup, **extra: Any) -> Submission:
    deliverable = make_deliverable(setup.contract, "monthly-render", sections=SECTIONS,
                                   name="运维月报", **extra)
    return Submission.objects.create(
        contract=setup.contract, deliverable=deliverable, key="2025-10",
        period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2025, 10, 31),
        due_at=at("2025-11-21 23:59"))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    target = tmp_path / "report.pdf"
    target.write_bytes(content)
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(target), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout


def test_rpt07_word_has_the_headings_and_the_figures(outlets: Setup):
    """RPT-07: the built-in Word template gives a document python-docx opens, with the
    report's Chinese title, the section headings and every figure of the data."""
    content = render.render_docx(submission_of(outlets), SAMPLE)
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [f"1. {zh('Tickets')}", f"2. {zh('SLA attainment')}",
                        f"3. {zh('Breaches')}"]
    text = docx_text(content)
    for expected in ("运维月报（2025年10月1日—2025年10月31日）", "社保卡受理网点运维服务",
                     "137", "140", "129", "11", "徐汇区受理网点", "23", "一级", "89",
                     "响应", "95.62", "93.02"):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    assert len(document.comments) == 0  # the template's help comment is not in the report


def test_rpt07_the_built_in_template_documents_its_context():
    """RPT-07: the built-in template's first page carries a comment listing the variables
    an administrator's own template may use."""
    document = Document(str(render.BUILTIN_TEMPLATE))
    (comment,) = list(document.comments)
    assert comment.author == render.HELP_AUTHOR
    for name in ("title", "contract.title", "period.text", "sections", "s.body", "data"):
        assert name in comment.text, name


def test_rpt07_excel_has_a_sheet_per_section_with_numbers_as_numbers(outlets: Setup):
    """RPT-07: the workbook opens with openpyxl: a cover sheet with the title and contract,
    then one sheet per section, Chinese headers, and figures stored as numbers (a numeric
    string of the data too), not text."""
    content = render.render_xlsx(submission_of(outlets), SAMPLE)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[1:] == [zh("Tickets"), zh("SLA attainment"), zh("Breaches")]
    cover = [[c for c in row if c is not None] for row in book.worksheets[0].iter_rows(
        values_only=True)]
    assert cover[0] == ["运维月报（2025年10月1日—2025年10月31日）"]
    assert any("社保卡受理网点运维服务" in str(v) for row in cover for v in row)
    tickets = list(book[zh("Tickets")].iter_rows(values_only=True))
    values = [v for row in tickets for v in row if v is not None]
    for number in (137, 140, 129, 11, 7, 41, 89, 23, 19):
        assert number in values, number
    assert "徐汇区受理网点" in values
    sla = [v for row in book[zh("SLA attainment")].iter_rows(values_only=True) for v in row]
    assert 95.62 in sla and 93.02 in sla and 131 in sla
    header = next(row for row in book[zh("SLA attainment")].iter_rows(values_only=True)
                  if "响应" not in row and zh("stage") in row)
    assert zh("attainment (%)") in header
    # (label, count) tables get a native bar chart: by level and by site here
    assert len(book[zh("Tickets")]._charts) == 2


@pytest.mark.pdf
def test_rpt07_pdf_text_has_the_headings_and_the_figures(outlets: Setup, tmp_path: Path):
    """RPT-07: pdftotext of the PDF shows the Chinese title, the section headings and the
    figures (the vendored CJK font is embedded)."""
    text = pdf_text(render.render_pdf(submission_of(outlets), SAMPLE), tmp_path)
    for expected in ("运维月报", "社保卡受理网点运维服务", zh("Tickets"), zh("SLA attainment"),
                     "137", "徐汇区受理网点", "95.62", "修复"):
        assert expected in text, expected


@pytest.mark.pdf
def test_rpt07_pdf_shows_svg_charts_inline(outlets: Setup, tmp_path: Path):
    """RPT-07: a section's SVG charts are drawn in the PDF (their text is in it)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
           '<rect x="0" y="10" width="120" height="20" fill="#36c"/>'
           '<text x="4" y="50" font-size="12">图表标签</text></svg>')
    data = {**SAMPLE, "tickets": {**SAMPLE["tickets"], "charts": [svg]}}
    text = pdf_text(render.render_pdf(submission_of(outlets), data), tmp_path)
    assert "图表标签" in text


def _template_docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _uploaded_template(setup: Setup, content: bytes, code: str = "purchaser-format") -> Any:
    template = ReportTemplate(contract=setup.contract, code=code, name="甲方月报格式")
    template.file.save(f"{code}.docx", ContentFile(content), save=True)
    return template


def test_rpt07_an_uploaded_template_replaces_the_built_in_one(outlets: Setup, settings: Any,
                                                             tmp_path: Path):
    """RPT-07: a deliverable with an administrator's template is rendered in that format,
    with the documented context (title, contract, sections, the raw data)."""
    settings.MEDIA_ROOT = str(tmp_path)
    template = _uploaded_template(outlets, _template_docx(
        "甲方规定格式：{{ title }}", "合同：{{ contract.title }}",
        "工单总数 {{ data.tickets.total }}，一级 {{ data.tickets.by_level['一级'] }}",
        "{%p for s in sections %}", "第{{ loop.index }}章 {{ s.title }}", "{{p s.body }}",
        "{%p endfor %}"))
    content = render.render_docx(submission_of(outlets, template=template), SAMPLE)
    text = docx_text(content)
    assert "甲方规定格式：运维月报（2025年10月1日—2025年10月31日）" in text
    assert "合同：社保卡受理网点运维服务" in text
    assert "工单总数 137，一级 7" in text
    assert f"第2章 {zh('SLA attainment')}" in text
    assert "95.62" in text
    assert "{{" not in text


@pytest.mark.parametrize("content", [
    b"this is not a Word document",
    _template_docx("{{ title "),
    _template_docx("{% for s in sections %}never closed"),
    _template_docx("{{ data.tickets.total / 0 }}"),
])
def test_rpt07_a_broken_template_is_a_clear_error_naming_it(outlets: Setup, settings: Any,
                                                           tmp_path: Path, content: bytes):
    """RPT-07: a template that is not a Word file, has a syntax error or fails while
    rendering gives an error naming the template (a message for the page, not a 500)."""
    settings.MEDIA_ROOT = str(tmp_path)
    template = _uploaded_template(outlets, content)
    with pytest.raises(render.ReportTemplateError) as caught:
        render.render_docx(submission_of(outlets, template=template), SAMPLE)
    message = " ".join(caught.value.messages)
    assert "purchaser-format" in message and "甲方月报格式" in message


def test_rpt07_document_blocks_follow_the_deliverables_sections(outlets: Setup):
    """RPT-07: the sections appear in the deliverable's order; a section without data is
    left out; a plain list becomes a table; a version number is not turned into a number."""
    data = {"versions": [{"name": "CA 客户端", "version": "1.10"}], "sla": {"stages": []}}
    blocks = render.document(data, ["versions", "tickets", "sla"])
    assert [b.key for b in blocks] == ["versions", "sla"]
    assert blocks[0].tables[0].rows == [["CA 客户端", "1.10"]]  # a version stays text
    assert blocks[1].tables[0].rows == []


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2,
                   min_value=-10**9, max_value=10**9))
def test_rpt07_numeric_strings_become_equal_numbers(value: Decimal):
    """RPT-07 (numbers as numbers): a figure given as a decimal string is shown as a number
    of the same value; under a version or code key it stays the text it was."""
    text = format(value, "f")
    shown = render._shown(text, "attainment")
    assert isinstance(shown, (int, float))
    assert abs(Decimal(str(shown)) - value) < Decimal("0.005")
    assert render._shown(text, "version") == text


@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=30))
def test_rpt07_sheet_names_are_valid_and_unique(titles: list[str]):
    """RPT-07: whatever the section titles, each sheet name is at most 31 characters, has
    none of the characters Excel forbids, and no two sheets share a name."""
    used: set[str] = set()
    names = [render._sheet_title(title, used) for title in titles]
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_rpt07_short_count_tables_are_charted_in_the_pdf():
    """RPT-07 (SVG charts in documents): a short (label, count) table such as tickets by
    level gets a bar chart with its labels; a long one (300 sites) or a table of several
    columns does not."""
    pytest.importorskip("weibao.reports.charts")
    (by_level,) = render.document({"tickets": {"by_level": SAMPLE["tickets"]["by_level"]}})[0] \
        .tables
    svg = render._svg_chart(by_level)
    assert svg.startswith("<svg") and "一级" in svg and "三级" in svg
    sites = render.Table("by site", ["site", "count"], [[f"网点{i}", i] for i in range(300)])
    assert render._svg_chart(sites) == ""
    stages = render.document(SAMPLE)[1].tables[0]
    assert render._svg_chart(stages) == ""
