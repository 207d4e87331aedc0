"""The security incident report as a PDF (安全事件报告, EMG-03 [001 L134]): when the vendor
files the summary without a document of its own, weibao writes the report from the record —
discovery, cause and impact, the disposal plan and its approval, each phase's work and the
summary — with :func:`weibao.core.pdf.render_pdf` (Chinese, A4, the vendored font)."""

from __future__ import annotations

from django.utils import timezone

from weibao.core.pdf import render_pdf
from weibao.emergency.choices import IncidentPhase
from weibao.emergency.models import SecurityIncident

__all__ = ["TEMPLATE", "render_incident_pdf"]

TEMPLATE = "emergency/incident_pdf.html"


def render_incident_pdf(incident: SecurityIncident) -> bytes:
    phases = [(IncidentPhase.PREPARATION.label, incident.preparation_notes),
              (IncidentPhase.ASSESSMENT.label, incident.assessment_notes),
              (IncidentPhase.CONTAINMENT.label, incident.containment_notes),
              (IncidentPhase.ERADICATION.label, incident.eradication_notes)]
    return render_pdf(TEMPLATE, {"incident": incident, "phases": phases,
                                 "printed_at": timezone.localtime()})
