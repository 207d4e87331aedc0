"""Word, Excel and PDF documents of a report (RPT-07): each opens with its library and shows
the Chinese headings and the figures of the data; an administrator's template replaces the
built-in one; a broken template is a clear error naming it."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from docx import Document
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
        return str(translation.gettext(message))


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
