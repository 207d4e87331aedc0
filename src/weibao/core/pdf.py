"""PDFs rendered by WeasyPrint, shared by every document weibao files: fault reports
(TKT-06), maintenance sheets (PM-02) and whatever comes next.

Typeset in the Noto Sans SC font that weibao ships (``static/vendor/fonts/noto-sans-sc``,
vendored from npm by ``scripts/vendor-static.sh``) and embeds in every PDF: a signed document
looks the same on every server, whatever fonts the operating system has. Nothing is fetched
from the network: the only resources a PDF may load are inline ``data:`` URLs and the
vendored font files.

WeasyPrint needs Pango from the operating system; without it :class:`PdfUnavailable` says
which packages to install (and ``weibao check`` says so before anyone asks for a PDF).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from weibao.core.errors import ServiceError

__all__ = ["FONT_DIR", "FONT_FAMILY", "FONT_FILES", "PANGO_PACKAGES", "SUBSET_PACKAGE",
           "PdfUnavailable", "fast_subsetting", "font_context", "font_face_css",
           "missing_font_files", "render_pdf", "renderer_problem", "require_renderer",
           "url_fetcher", "vendored_font", "weasyprint_import_error"]

#: The vendored font folder: the one place on disk a PDF may read from.
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "noto-sans-sc"
#: A family name no system font has, so the PDF can only be set in the vendored files.
FONT_FAMILY = "Weibao Noto Sans SC"
#: CSS font weight → file in :data:`FONT_DIR`.
FONT_FILES = {400: "NotoSansSC_400Regular.ttf", 700: "NotoSansSC_700Bold.ttf"}
#: The Debian packages WeasyPrint loads at import (Pango and its FreeType backend).
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
#: The shared libraries WeasyPrint opens (as on Debian and macOS), to probe them cheaply.
_LIBRARIES = (("libgobject-2.0.so.0", "libgobject-2.0.0.dylib"),
              ("libpango-1.0.so.0", "libpango-1.0.dylib"),
              ("libharfbuzz.so.0", "libharfbuzz.0.dylib"),
              ("libfontconfig.so.1", "libfontconfig.1.dylib"),
              ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib"))
#: The Debian package that subsets the embedded font quickly (WeasyPrint's HarfBuzz-Subset).
SUBSET_PACKAGE = "libharfbuzz-subset0"


class PdfUnavailable(ServiceError):
    """This server cannot render PDFs (a system library or a shipped font file is missing);
    nothing was written. The message says what to install."""


def weasyprint_import_error() -> str | None:
    """Why WeasyPrint cannot be imported here (a missing system library), or None."""
    try:
        # WeasyPrint prints an installation banner on stdout when a library is missing.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError as error:  # cffi cannot dlopen Pango / GObject / HarfBuzz / Fontconfig
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def _loads(names: tuple[str, ...]) -> bool:
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def renderer_problem() -> str | None:
    """Why PDFs cannot be rendered on this server, or None; cheap when all is well (a probe
    of the shared libraries, for ``weibao check`` at every command's start), confirmed by
    importing WeasyPrint before anything is reported."""
    if all(_loads(names) for names in _LIBRARIES):
        return None
    return weasyprint_import_error()


def fast_subsetting() -> bool:
    """Whether HarfBuzz's subsetter (Debian ``libharfbuzz-subset0``) is there: without it
    WeasyPrint subsets the embedded font with fontTools, many times slower (seconds a PDF)."""
    if _loads(("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib")):
        return True
    if weasyprint_import_error() is not None:
        return False
    from weasyprint.text.ffi import harfbuzz_subset
    return harfbuzz_subset is not None


def missing_font_files() -> list[Path]:
    """The vendored font files that are not on disk (an incomplete install)."""
    return [FONT_DIR / name for name in FONT_FILES.values() if not (FONT_DIR / name).is_file()]


def font_face_css() -> SafeString:
    """``@font-face`` rules naming the vendored files by ``file:`` URL (for the template)."""
    rules = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; '
        f'font-weight: {weight}; src: url("{(FONT_DIR / name).as_uri()}") format("truetype"); }}'
        for weight, name in sorted(FONT_FILES.items())]
    return mark_safe("\n".join(rules))  # noqa: S308 - built from constants, no user data


def _unavailable(reason: str) -> PdfUnavailable:
    return PdfUnavailable(
        _("PDFs cannot be rendered on this server: %(reason)s. Ask the administrator to run "
          "\"weibao check\".") % {"reason": reason})


def require_renderer() -> None:
    error = renderer_problem()
    if error is not None:
        raise _unavailable(_("a system library is missing (install the Debian packages "
                             "%(packages)s)") % {"packages": PANGO_PACKAGES})
    missing = missing_font_files()
    if missing:
        raise _unavailable(_("the font file %(path)s shipped with weibao is missing "
                             "(reinstall weibao)") % {"path": missing[0]})


def url_fetcher() -> Any:
    """WeasyPrint's URL fetcher for weibao: inline ``data:`` URLs, and ``file:`` URLs of the
    vendored font files only. Everything else (http, other files) is refused, so a PDF never
    reaches the network nor reads the server's disk, whatever the template contains."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            if (path := vendored_font(url)) is not None:
                return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"weibao's PDFs load no resource from {url!r}")

    return Fetcher(allowed_protocols={"data", "file"})


def vendored_font(url: str) -> Path | None:
    """The vendored font file a ``file:`` URL names, or None for any other path."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    allowed = {(FONT_DIR / name).resolve() for name in FONT_FILES.values()}
    return path if path in allowed and path.is_file() else None


def font_context() -> dict[str, Any]:
    """What every PDF template needs to set its text in the vendored font."""
    return {"font_faces": font_face_css(), "font_family": FONT_FAMILY}


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF bytes of ``template_name`` rendered with ``context`` in Chinese (the documents
    go on file with the purchaser), with :func:`font_context` added.

    Raises :class:`PdfUnavailable` (a ServiceError: pages and the API show its message) when
    this server lacks Pango or the shipped font."""
    require_renderer()
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template_name, {**font_context(), **context})
    return bytes(HTML(string=html, url_fetcher=url_fetcher()).write_pdf())
