"""The fault-report PDF (TKT-06) is typeset in the font weibao ships, on any server (issue 15
item 1): the Chinese text is set in the vendored Noto Sans SC, embedded in the PDF (not a
font of the operating system, so fonts-noto-cjk is not needed), and maps back to its
characters; the PDF loads nothing but inline data and those font files; a server without
Pango or without the font file gets a message, not a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from django.test import Client

from weibao.core import pdf
from weibao.tickets.choices import TicketState
from weibao.tickets.models import FaultReport, Ticket
from weibao.tickets.pdf import FONT_DIR, FONT_FAMILY, PdfUnavailable, render_report_pdf
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.work_helpers import restored, submitted

NO_PANGO = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"


def _streams(pdf_bytes: bytes) -> bytes:
    """The PDF with every compressed stream inflated, to look for names and mappings."""
    out = [pdf_bytes]
    for match in re.finditer(rb"stream\r?\n", pdf_bytes):
        try:
            out.append(zlib.decompressobj().decompress(pdf_bytes[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(out)


def _fonts(streams: bytes) -> set[str]:
    """The base font names in the PDF without their subset tag (``ABCDEF+``)."""
    return {name.split(b"+", 1)[-1].decode()
            for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", streams)}


def _report(ca: Setup) -> FaultReport:
    return FaultReport.objects.get(ticket=submitted(ca))


@pytest.mark.pdf
def test_tkt06_pdf_embeds_the_vendored_font_and_no_system_font(ca: Setup):
    """Issue 15 item 1: every font in the PDF is the vendored Noto Sans SC (regular for the
    text, bold for headings), whatever fonts the OS has: fonts-noto-cjk is not needed."""
    streams = _streams(render_report_pdf(_report(ca)))
    family = FONT_FAMILY.replace(" ", "-")
    assert _fonts(streams) == {family, f"{family}-Bold"}, _fonts(streams)
    # The family name is one no system font has: weibao gives it only to its own files
    # (@font-face), so these can only be the shipped files, embedded (subsetted).
    assert re.findall(rb"/FontFamily\s*\(([^)]*)\)", streams) == [FONT_FAMILY.encode()] * 2
    assert len(re.findall(rb"/FontFile2\b", streams)) == 2
    assert b"NotoSansCJK" not in streams and b"DejaVu" not in streams


@pytest.mark.pdf
def test_tkt06_pdf_chinese_maps_back_to_its_characters(ca: Setup):
    """Issue 15 item 1: the report's Chinese is drawn with glyphs whose ToUnicode map gives the
    characters back (what text extraction and search read), title and page footer included."""
    streams = _streams(render_report_pdf(_report(ca))).upper()
    for char in "读卡机磁头积灰故障报告":
        assert f"{ord(char):04X}".encode() in streams, char


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_tkt06_pdftotext_reads_the_chinese_of_the_report(ca: Setup, tmp_path: Path):
    """Issue 15, done when: pdftotext shows the fault report's Chinese."""
    target = tmp_path / "report.pdf"
    target.write_bytes(render_report_pdf(_report(ca)))
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(target), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout
    assert "读卡机磁头积灰" in text and "清洁磁头并更换读卡模块" in text and "故障报告" in text


@pytest.mark.pdf
def test_tkt06_pdf_loads_only_inline_data_and_the_vendored_fonts(tmp_path: Path):
    """Issue 15 item 1 (no network): the PDF's URL fetcher serves data: URLs and the vendored
    font files, nothing else — no http, no other file, not even a neighbour of the fonts."""
    fetcher = pdf.url_fetcher()
    font = FONT_DIR / pdf.FONT_FILES[400]
    assert fetcher(font.as_uri()).read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert fetcher("data:text/plain,ok").read() == b"ok"
    licence = FONT_DIR / "OFL.txt"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in ("http://127.0.0.1/x.css", "https://example.gov.cn/font.ttf",
                outside.as_uri(), licence.as_uri(), Path("/etc/hostname").as_uri(),
                (FONT_DIR / ".." / ".." / "VERSIONS.txt").as_uri(),
                "file://otherhost" + font.as_posix()):
        with pytest.raises(ValueError, match="load no resource"):
            fetcher(url)


def test_tkt06_without_pango_submitting_says_what_to_install(ca: Setup, monkeypatch):
    """Issue 15 item 1: without Pango, submitting the report (which files its PDF) answers with
    a message naming the Debian packages, not a 500; nothing is written."""
    monkeypatch.setattr(pdf, "renderer_problem", lambda: NO_PANGO)
    ticket = restored(ca)
    client = Client()
    client.force_login(ca.people["engineer"])
    answer = client.post(f"/tickets/{ticket.pk}/report/",
                         {"cause": "积灰", "actions": "清洁", "prevention": "", "do": "submit"})
    assert answer.status_code == 400
    assert "libpango-1.0-0 libpangoft2-1.0-0" in answer.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.RESTORED


def test_tkt06_without_pango_the_draft_pdf_is_a_message(ca: Setup, monkeypatch):
    """Issue 15 item 1: the on-the-fly PDF of a draft redirects to the ticket with the
    message instead of failing with a traceback."""
    ticket = restored(ca)
    from weibao.tickets import services
    services.save_report(ticket, ca.people["engineer"], cause="积灰", actions="清洁")
    monkeypatch.setattr(pdf, "renderer_problem", lambda: NO_PANGO)
    client = Client()
    client.force_login(ca.people["purchaser"])
    answer = client.get(f"/tickets/{ticket.pk}/report.pdf", follow=True)
    assert answer.status_code == 200
    assert "libpango-1.0-0 libpangoft2-1.0-0" in answer.content.decode()


@pytest.mark.pdf
def test_tkt06_a_missing_font_file_stops_the_pdf_with_a_message(ca: Setup, monkeypatch,
                                                                tmp_path: Path):
    """Issue 15 item 1: without the shipped font a PDF would silently fall back to whatever
    the OS has; it is refused with a message naming the file instead."""
    report = FaultReport.objects.get(ticket=submitted(ca))
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    with pytest.raises(PdfUnavailable, match=re.escape(pdf.FONT_FILES[400])):
        render_report_pdf(report)
