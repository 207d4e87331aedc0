"""System checks of what weibao needs from the server (``weibao check``; Django also runs them
before ``migrate``, ``serve`` and the other commands).

They are warnings, not errors: a server without Pango still runs everything but the PDFs, and
an operator must be able to migrate and start it. ``weibao check --fail-level WARNING`` makes
them fail an installation script. Each message names what to install; none is a traceback.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _

__all__ = ["pdf_fonts", "pdf_renderer"]

TAG = "weibao"


@checks.register(TAG)
def pdf_renderer(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """weibao.W001: WeasyPrint cannot load Pango (fault-report PDFs, TKT-06);
    weibao.W003: HarfBuzz's subsetter is missing (PDFs render many times slower)."""
    from weibao.core import pdf

    problem = pdf.renderer_problem()
    if problem is not None:
        return [checks.Warning(
            _("PDFs (fault reports) cannot be rendered: WeasyPrint cannot load a system "
              "library (%(error)s).") % {"error": problem},
            hint=_("Install the Debian packages: apt-get install %(packages)s")
            % {"packages": pdf.PANGO_PACKAGES},
            id="weibao.W001")]
    if not pdf.fast_subsetting():
        return [checks.Warning(
            _("PDFs are rendered slowly (seconds each): HarfBuzz's font subsetter is missing."),
            hint=_("Install the Debian package: apt-get install %(package)s")
            % {"package": pdf.SUBSET_PACKAGE},
            id="weibao.W003")]
    return []


@checks.register(TAG)
def pdf_fonts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """weibao.W002: a font file shipped with weibao is missing (an incomplete install); the
    PDFs are refused rather than set in whatever font the server has."""
    from weibao.core import pdf

    return [checks.Warning(
        _("The font file %(path)s shipped with weibao is missing: PDFs cannot be rendered.")
        % {"path": path},
        hint=_("Reinstall weibao, or run scripts/vendor-static.sh in a checkout."),
        id="weibao.W002") for path in pdf.missing_font_files()]
