"""``weibao check`` (Django system checks) tells an operator what the server lacks for PDFs
(issue 15 item 1, TKT-06): Pango for WeasyPrint, the font files weibao ships, HarfBuzz's
subsetter; one message naming the Debian packages or the file, never a traceback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from weibao.core import pdf
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

NO_PANGO = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"


def _check(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.pdf
def test_check_is_quiet_when_pango_and_the_fonts_are_there():
    """This machine (and CI) has Pango, libharfbuzz-subset0 and the vendored fonts."""
    text = _check()
    assert "weibao.W00" not in text, text


def test_check_names_the_debian_packages_when_pango_is_missing(monkeypatch):
    """Issue 15 item 1: a missing Pango is one clear message with the packages to install;
    a warning (the rest of weibao runs), which --fail-level WARNING turns into a failure."""
    monkeypatch.setattr(pdf, "renderer_problem", lambda: NO_PANGO)
    text = _check()
    assert "weibao.W001" in text and "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in text
    assert "Traceback" not in text
    with pytest.raises(SystemCheckError, match=r"weibao\.W001"):
        _check("--fail-level", "WARNING")


def test_check_detects_a_missing_pango_library_by_name(monkeypatch):
    """The cheap probe of the shared libraries falls back to importing WeasyPrint, whose
    error is reported (first line only)."""
    monkeypatch.setattr(pdf, "_LIBRARIES", (("libpango-0.0-does-not-exist.so.9",),))
    monkeypatch.setattr(pdf, "weasyprint_import_error", lambda: NO_PANGO)
    assert pdf.renderer_problem() == NO_PANGO
    assert "weibao.W001" in _check()


def test_check_reports_a_missing_vendored_font(monkeypatch, tmp_path: Path):
    """Issue 15 item 1: an install without the shipped font is reported, file named."""
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    text = _check()
    assert "weibao.W002" in text and "NotoSansSC_400Regular.ttf" in text
    assert "NotoSansSC_700Bold.ttf" in text


@pytest.mark.pdf
def test_check_warns_when_pdfs_would_be_slow(monkeypatch):
    """Without libharfbuzz-subset0 WeasyPrint subsets the 10 MB font with fontTools."""
    monkeypatch.setattr(pdf, "fast_subsetting", lambda: False)
    text = _check()
    assert "weibao.W003" in text and "apt-get install libharfbuzz-subset0" in text
