"""The fault report as a PDF (TKT-06): the ticket's data, the report, the parts issued, the
timeline and each SLA stage's result, and once approved the purchaser's drawn signature.

Rendered by WeasyPrint from ``tickets/work/report_pdf.html`` with the Noto CJK fonts of
Debian's ``fonts-noto-cjk`` (no network access: every resource is inline).
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from weibao.tickets.models import FaultReport, TicketStage

__all__ = ["render_report_pdf", "report_context"]


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
    }


def render_report_pdf(report: FaultReport) -> bytes:
    """The PDF bytes of ``report``, in Chinese (the report goes on file with the purchaser)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Inline data: URLs only; the PDF never fetches anything from the network or disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    with translation.override("zh-hans"):
        html = render_to_string("tickets/work/report_pdf.html", report_context(report))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
