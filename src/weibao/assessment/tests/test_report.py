"""The assessment report (issue 11 item 5, PAY-03) in PDF, Word and Excel: the contract, the
period, every line with its definition, value, n of m, points, the vendor's comment and the
supervisor's decision, the result, the breaches and penalties, the settlement and, once
final, the digest — read back in Chinese; downloaded by anyone who sees the assessment."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from openpyxl import load_workbook

from weibao.assessment.choices import AssessmentStatus, BreachSource, BreachStatus, LineStatus
from weibao.assessment.models import Assessment, AssessmentLine, Breach, PenaltyRule
from weibao.assessment.report import render_report, report_filename, report_title
from weibao.assessment.tests.conftest import Setup, at

D = Decimal
MONTH = datetime.timedelta(days=30)
POINTS = {"daily-maintenance": "16", "responsiveness": "8", "completion-rate": "16",
          "satisfaction-rate": "16", "attendance": "24"}


def assessed(setup: Setup, *, final: bool = False) -> Assessment:
    """Seed 001's whole-period assessment at 80 points: the vendor disputed attendance, the
    supervisor kept 24 points; one confirmed and one waived breach in the period."""
    contract = setup.contract
    people = setup.people
    assessment = Assessment.objects.create(
        contract=contract, period_start=contract.start_date, period_end=contract.end_date,
        is_final=final, status=AssessmentStatus.CONFIRMED, created_by=people["purchaser"],
        score=D(80), factor=D(90), breach_count=1, penalties=D("4360.00"),
        computed_at=at("2026-01-05 10:00"), reviewed_by=people["manager"],
        reviewed_at=at("2026-01-06 10:00"), confirmed_by=people["purchaser"],
        confirmed_at=at("2026-01-07 10:00"))
    for item in contract.assessment_scheme.items.all():
        disputed = item.code == "attendance"
        AssessmentLine.objects.create(
            assessment=assessment, item=item, points=D(POINTS[item.code]), manual=True,
            value=D("96.5") if disputed else None, numerator=193 if disputed else None,
            denominator=200 if disputed else None,
            entered_by=people["purchaser"], entered_at=at("2026-01-05 11:00"),
            status=LineStatus.DECIDED if disputed else LineStatus.AGREED,
            vendor_comment="出勤记录漏记两天，应为满分" if disputed else "同意",
            purchaser_note="以门禁记录为准" if disputed else "",
            decision="维持24分：门禁记录缺两天" if disputed else "",
            decided_by=people["supervisor"] if disputed else None)
    rule = PenaltyRule.objects.filter(contract=contract, code="not-rectified").get()
    Breach.objects.bulk_create([
        Breach(contract=contract, source=BreachSource.OTHER, penalty_rule=rule,
               occurred_at=at(f"{contract.start_date + MONTH} 09:00"), description="整改逾期未完成",
               penalty_percent=D(1), penalty_amount=D("4360.00"),
               status=BreachStatus.CONFIRMED),
        Breach(contract=contract, source=BreachSource.OTHER, penalty_rule=rule,
               occurred_at=at(f"{contract.start_date + 2 * MONTH} 09:00"),
               description="误报整改逾期",
               penalty_percent=D(1), penalty_amount=D("4360.00"),
               status=BreachStatus.WAIVED, reason="甲方核实后免除")])
    if final:
        assessment.status = AssessmentStatus.FINAL
        assessment.finalised_by = people["purchaser"]
        assessment.finalised_at = at("2026-01-08 10:00")
        assessment.digest_algorithm = "sm3"
        assessment.digest = "5e" * 32
        assessment.save()
    return assessment


def pdf_text(content: bytes, tmp_path: Path) -> str:
    target = tmp_path / "assessment.pdf"
    target.write_bytes(content)
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(target), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


#: What every format shows of :func:`assessed` (Chinese, read back from the file).
EXPECTED = ("日常维护", "驻场工程师日常出勤率", "193 / 200",
            "出勤记录漏记两天，应为满分", "维持24分：门禁记录缺两天", "以门禁记录为准",
            "整改逾期未完成", "误报整改逾期", "甲方核实后免除", "4,360.00", "80", "90",
            "388,040.00")  # 436,000 × 90 % − 4,360 (PAY-03)


def zh(message: str) -> str:
    """The message as the documents write it (Chinese once the catalog has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def _check(text: str, assessment: Assessment) -> None:
    flat = text.replace("\n", "")
    for expected in EXPECTED:
        assert expected in flat, expected
    assert assessment.contract.number in flat
    assert "常州" in flat  # the contract's title
    with translation.override("zh-hans"):
        title = report_title(assessment)
    assert title.split("（")[0] in flat.replace(" ", "") or title in flat


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_report_holds_every_line_result_and_breach(onsite: Setup, fmt: str,
                                                   tmp_path: Path) -> None:
    """PAY-03, ASM-06: each format carries the contract, every line with the vendor's comment
    and the supervisor's decision, the result (80 points, 90 %), the breaches with the waived
    one's reason, in Chinese."""
    assessment = assessed(onsite)
    content = render_report(assessment, fmt)
    text = {"pdf": lambda c: pdf_text(c, tmp_path), "docx": docx_text,
            "xlsx": xlsx_text}[fmt](content)
    _check(text, assessment)


def test_final_report_shows_the_digest(onsite: Setup) -> None:
    """ASM-06: the final assessment's report carries its SM3 digest and says it is final."""
    text = docx_text(render_report(assessed(onsite, final=True), "docx"))
    assert "5e" * 32 in text
    assert "sm3" in text
    assert zh("Final assessment report") in text
    assert zh("Digest of the final assessment") in text


def test_excel_keeps_numbers(onsite: Setup) -> None:
    book = load_workbook(io.BytesIO(render_report(assessed(onsite), "xlsx")))
    values = [cell for sheet in book.worksheets
              for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 24 in values and 16 in values  # points stay numbers


def test_download_permissions(onsite: Setup, client: Any) -> None:
    """Anyone who sees the assessment downloads its report (purchaser, vendor's manager,
    supervisor); the vendor's engineer has no assessment view (403); another organisation
    gets 404, like an unknown format."""
    assessment = assessed(onsite)
    for role in ("purchaser", "manager", "supervisor"):
        client.force_login(onsite.people[role])
        for fmt in ("docx", "xlsx"):
            response = client.get(reverse("assessment:report", args=[assessment.pk, fmt]))
            assert response.status_code == 200, (role, fmt)
            assert "attachment" in response["Content-Disposition"]
            assert response.content[:2] == b"PK"
    client.force_login(onsite.people["purchaser"])
    response = client.get(reverse("assessment:report", args=[assessment.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("assessment:report", args=[assessment.pk, "odt"])
                      ).status_code == 404
    client.force_login(onsite.people["engineer"])
    assert client.get(reverse("assessment:report", args=[assessment.pk, "pdf"])
                      ).status_code == 403
    client.force_login(onsite.people["outsider"])
    assert client.get(reverse("assessment:report", args=[assessment.pk, "pdf"])
                      ).status_code == 404


def test_filename_names_contract_and_period(onsite: Setup) -> None:
    assessment = assessed(onsite)
    name = report_filename(assessment, "pdf")
    assert name.startswith(onsite.contract.number) and name.endswith(".pdf")
    assert zh("Assessment report") in name
