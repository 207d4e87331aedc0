"""The contract cockpit page and the assessment report's downloads."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from weibao.assessment import cockpit as figures
from weibao.assessment.models import Assessment
from weibao.utils.views import ContractScopedMixin, PermissionMixin, render_page

__all__ = ["CockpitView", "ReportView"]


def _charts(trends: dict[str, Any]) -> list[dict[str, Any]]:
    """The trend charts' specs for static/weibao/cockpit.js (json_script, no inline script)."""
    months = trends["months"]
    return [
        {"id": "cockpit-tickets", "title": _("Tickets reported by month"), "labels": months,
         "series": [{"name": _("tickets"), "type": "bar", "data": trends["tickets"]}]},
        {"id": "cockpit-sla", "title": _("SLA attainment by month (%)"), "labels": months,
         "percent": True,
         "series": [{"name": _("SLA attainment"), "type": "line", "data": trends["sla"]}]},
        {"id": "cockpit-coverage", "title": _("Inspection coverage by month (%)"),
         "labels": months, "percent": True,
         "series": [{"name": _("inspection coverage"), "type": "line",
                     "data": trends["coverage"]}]},
        {"id": "cockpit-breaches", "title": _("Breaches by month"), "labels": months,
         "series": [{"name": _("breaches"), "type": "bar", "data": trends["breaches"]}]},
    ]


class CockpitView(ContractScopedMixin, View):
    """合同驾驶舱: the contract's figures at a glance (cached; ``?refresh=1`` recomputes)."""

    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        data = figures.cockpit(self.contract, refresh=request.GET.get("refresh") == "1")
        return render_page(request, "assessment/cockpit.html", {
            "contract": self.contract, "cockpit": data, "charts": _charts(data.trends),
            "projection": data.projection})


#: Download formats of the assessment report and their content types.
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportView(PermissionMixin, View):
    """The assessment report as PDF, Word or Excel, for anyone who sees the assessment."""

    permission_required = "assessment.view_assessment"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        from weibao.assessment.report import render_report, report_filename
        from weibao.assessment.selectors import visible_assessments

        if fmt not in FORMATS:
            raise Http404
        assessment: Assessment = get_object_or_404(
            visible_assessments(request.user).select_related("contract"), pk=pk)
        content = render_report(assessment, fmt)
        response = HttpResponse(content, content_type=FORMATS[fmt])
        response["Content-Disposition"] = _disposition(report_filename(assessment, fmt))
        return response


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"assessment.{name.rsplit('.', 1)[-1]}\"; " \
           f"filename*=UTF-8''{quote(name)}"
