"""A line's evidence as rows for the page and the API: whatever records the metric counted
(tickets, visits, reports, breaches), each with its label, time and page."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from weibao.assessment.models import Assessment, AssessmentLine, Breach
from weibao.maintenance.models import Visit
from weibao.reports.models import Submission

__all__ = ["EVIDENCE_LIMIT", "evidence_rows", "line_definitions"]

EVIDENCE_LIMIT = 500

_PAGES = {"ticket": "tickets:detail", "visit": "maintenance:visit",
          "submission": "reports:submission", "breach": "assessment:breach"}
_WHEN = ("reported_at", "created_at", "due_at", "window_end", "occurred_at", "planned_on",
         "day")


def _row(record: Any) -> dict[str, Any]:
    kind = type(record).__name__.lower()
    url = ""
    if kind in _PAGES:
        try:
            url = reverse(_PAGES[kind], args=[record.pk])
        except NoReverseMatch:
            url = ""
    when = next((getattr(record, name) for name in _WHEN
                 if getattr(record, name, None) is not None), None)
    if kind == "ticketstage":  # an SLA stage: its ticket's page
        kind, url = "ticket", reverse("tickets:detail", args=[record.ticket_id])
    return {"kind": kind, "id": record.pk, "label": str(record), "when": when, "url": url,
            "meets": getattr(record, "meets", None)}


def evidence_rows(line: AssessmentLine, assessment: Assessment) -> list[dict[str, Any]]:
    """The records behind the line (at most ``EVIDENCE_LIMIT``); none for a manual item."""
    from weibao.assessment.metrics import evidence

    records = evidence(line.item, assessment.contract, assessment.period_start,
                       assessment.period_end)
    if records is None:
        return []
    model = getattr(records, "model", None)
    # What each record's label reads, joined in the one query (no query per row).
    if model is Breach:
        records = records.select_related("contract")
    elif model is Visit:
        records = records.select_related("plan", "site", "asset")
    elif model is Submission:
        records = records.select_related("deliverable")
    elif model is not None and model._meta.label == "staff.AttendanceDay":
        records = records.select_related("member")
    elif model is not None and any(f.name == "ticket" for f in model._meta.fields):
        records = records.select_related("ticket")
    return [_row(record) for record in records[:EVIDENCE_LIMIT]]


def line_definitions(assessment: Assessment,
                     lines: list[AssessmentLine]) -> dict[int, str]:
    """How each line's value is computed, in words: from the frozen snapshot of a final
    assessment, else from the metric's definition (no query of the records)."""
    from weibao.assessment import metrics

    frozen = {}
    for row in (assessment.snapshot or {}).get("lines", []) if assessment.snapshot else []:
        if isinstance(row, dict) and row.get("definition"):
            frozen[row.get("item_id") or row.get("item")] = str(row["definition"])
    missing = [line.item for line in lines
               if not (frozen.get(line.item_id) or frozen.get(line.item.code))]
    computed = metrics.definitions(missing, assessment.contract, assessment.period_start,
                                   assessment.period_end) if missing else {}
    result: dict[int, str] = {}
    for line in lines:
        text = (frozen.get(line.item_id) or frozen.get(line.item.code)
                or computed[line.item_id])
        result[line.pk] = str(text)
    return result
