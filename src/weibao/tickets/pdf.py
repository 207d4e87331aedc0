"""The fault report as a PDF (TKT-06): the ticket's data, the report, the parts issued, the
timeline and each SLA stage's result, and once approved the purchaser's drawn signature.

Rendered by :func:`weibao.core.pdf.render_pdf` (WeasyPrint, the vendored Noto Sans SC font,
no network) from ``tickets/work/report_pdf.html``. The generic names are re-exported from
:mod:`weibao.core.pdf`, where they live, for the code that imports them from here.
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone

from weibao.core.pdf import (
    FONT_DIR,
    FONT_FAMILY,
    FONT_FILES,
    PANGO_PACKAGES,
    SUBSET_PACKAGE,
    PdfUnavailable,
    fast_subsetting,
    font_context,
    font_face_css,
    missing_font_files,
    render_pdf,
    renderer_problem,
    vendored_font,
    weasyprint_import_error,
)
from weibao.tickets.models import FaultReport, TicketStage

__all__ = ["FONT_DIR", "FONT_FAMILY", "FONT_FILES", "PANGO_PACKAGES", "SUBSET_PACKAGE",
           "PdfUnavailable", "fast_subsetting", "font_face_css", "missing_font_files",
           "render_report_pdf", "renderer_problem", "report_context", "vendored_font",
           "weasyprint_import_error"]


def report_context(report: FaultReport) -> dict[str, Any]:
    from weibao.tickets.services.work.reports import report_movements
    from weibao.tickets.workflow import ACTIONS

    ticket = report.ticket
    events = list(ticket.events.select_related("actor").order_by("occurred_at", "pk"))
    for event in events:
        spec = ACTIONS.get(event.action)
        event.label = spec.label if spec else event.action  # type: ignore[attr-defined]
    signature = ""
    if report.signature:
        with report.signature.open("rb") as handle:
            signature = "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    return {
        "report": report, "ticket": ticket, "contract": ticket.contract,
        "events": events,
        "stages": list(TicketStage.objects.filter(ticket=ticket).order_by("order")),
        "movements": list(report_movements(ticket)),
        "signature": signature, "generated_at": timezone.now(),
        **font_context(),
    }


def render_report_pdf(report: FaultReport) -> bytes:
    """The PDF bytes of ``report``, in Chinese (the report goes on file with the purchaser).

    Raises :class:`PdfUnavailable` (a ServiceError: pages and the API show its message) when
    this server lacks Pango or the shipped font."""
    return render_pdf("tickets/work/report_pdf.html", report_context(report))
