"""The deliverables pages (RPT-01..07): submissions with the shared filters, a contract's
month calendar coloured by status, the obligations from the contract spec, a submission
with its deadline, files, preview and history, each file's download and a generation's
progress (polled by htmx)."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.maintenance.selectors import month_bounds
from weibao.maintenance.views.common import chosen_month, month_text
from weibao.reports.choices import JobStatus, ReportFormat, ReportSection, SubmissionStatus
from weibao.reports.filtersets import SubmissionFilterSet
from weibao.reports.forms import AttachForm, ReturnForm, ReviewForm, SubmitForm
from weibao.reports.models import GenerationJob, ReportFile, Submission, SubmissionEvent
from weibao.reports.selectors import visible_submissions
from weibao.reports.tables import (
    CALENDAR_BADGES,
    CALENDAR_STATES,
    SubmissionTable,
    calendar_state,
    due_rule,
    status_badge,
)
from weibao.reports.views.common import (
    SubmissionMixin,
    actor,
    chosen_contract,
    deadline_text,
    report_contracts,
)
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["CalendarView", "DeliverableListView", "FileView", "JobView", "SubmissionListView",
           "SubmissionView", "charts_of", "submission_context"]

_OPEN = (SubmissionStatus.PENDING, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
_MAX_CHARTS = 8


class SubmissionListView(PermissionMixin, SingleTableMixin, FilterView):
    """交付物: the submissions the user may see, with the API's filters."""

    permission_required = "reports.view_submission"
    filterset_class = SubmissionFilterSet
    table_class = SubmissionTable
    paginate_by = 50
    template_name = "reports/submission_list.html"

    def get_queryset(self) -> QuerySet[Submission]:
        return (visible_submissions(self.request.user)
                .select_related("contract", "deliverable").order_by("due_at", "pk"))

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not getattr(htmx, "boosted", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]


class CalendarView(PermissionMixin, View):
    """A contract's month: each day's submissions falling due, coloured due, submitted,
    late or accepted; each links to its submission."""

    permission_required = "reports.view_submission"

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        year, month = chosen_month(request)
        days: dict[datetime.date, list[dict[str, Any]]] = {}
        if contract is not None:
            start, end = month_bounds(year, month)
            now = timezone.now()
            for submission in (visible_submissions(request.user)
                               .filter(contract=contract, due_at__gte=start, due_at__lt=end)
                               .select_related("deliverable").order_by("due_at", "pk")):
                state = calendar_state(submission, now)
                days.setdefault(timezone.localtime(submission.due_at).date(), []).append({
                    "submission": submission, "state": state,
                    "label": CALENDAR_STATES[state], "badge": CALENDAR_BADGES[state]})
        today = timezone.localdate()
        weeks = [[{"date": day, "in_month": day.month == month, "today": day == today,
                   "items": days.get(day, [])} for day in week]
                 for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        return render_page(request, "reports/calendar.html", {
            "contract": contract, "contracts": contracts, "year": year, "month": month,
            "month_value": month_text(year, month), "previous": month_text(year, month, -1),
            "next": month_text(year, month, 1), "weeks": weeks,
            "legend": [(CALENDAR_STATES[s], CALENDAR_BADGES[s]) for s in CALENDAR_STATES]})


class DeliverableListView(PermissionMixin, View):
    """The obligations of the user's contracts, as the contract spec set them: cadence, due
    rule in words, sections, who accepts, breach and penalty."""

    permission_required = "reports.view_deliverable"

    def get(self, request: HttpRequest) -> HttpResponse:
        from weibao.core.choices import Role
        from weibao.reports.models import Deliverable

        deliverables = (Deliverable.objects.filter(contract__in=report_contracts(actor(request)))
                        .select_related("contract", "template", "trigger_plan",
                                        "trigger_ticket_type")
                        .order_by("contract__number", "order", "code"))
        rows = []
        for deliverable in deliverables:
            sections = [str(ReportSection(code).label) if code in ReportSection.values
                        else str(code) for code in deliverable.sections or []]
            role = deliverable.accepted_by
            rows.append({"deliverable": deliverable, "due_rule": due_rule(deliverable),
                         "sections": sections,
                         "acceptor": Role(role).label if role in Role.values else role})
        return render_page(request, "reports/deliverable_list.html", {"rows": rows})


def charts_of(snapshot: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Charts for the screen from a report's data snapshot: every mapping of names to
    numbers found one or two levels down in a section (e.g. tickets by level) becomes a bar
    chart (a pie when it has at most five parts), at most eight."""
    charts: list[dict[str, Any]] = []

    def numeric(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    def consider(title: str, value: Any) -> None:
        if (len(charts) < _MAX_CHARTS and isinstance(value, dict) and value
                and all(numeric(v) for v in value.values())):
            charts.append({"id": f"report-chart-{len(charts) + 1}", "title": title,
                           "labels": [str(k) for k in value],
                           "values": list(value.values()),
                           "kind": "pie" if len(value) <= 5 else "bar"})

    for section, content in (snapshot or {}).items():
        if not isinstance(content, dict):
            continue
        name = (str(ReportSection(section).label) if section in ReportSection.values
                else str(section))
        for key, value in content.items():
            consider(f"{name} · {key}", value)
            if isinstance(value, dict):
                for inner, deeper in value.items():
                    if isinstance(deeper, dict):
                        consider(f"{name} · {key} · {inner}", deeper)
    return charts


def submission_context(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    """What the submission page shows: deadline, files by revision, latest job, history,
    and the forms the user may use."""
    files = list(ReportFile.objects.filter(submission=submission)
                 .select_related("created_by").order_by("-revision", "format"))
    revisions: dict[int, list[ReportFile]] = {}
    for report in files:
        revisions.setdefault(report.revision, []).append(report)
    user = request.user
    job = None
    if user.has_perm("reports.view_generationjob"):
        job = GenerationJob.objects.filter(submission=submission).first()
    events: list[SubmissionEvent] = []
    if user.has_perm("reports.view_submissionevent"):
        events = list(SubmissionEvent.objects.filter(submission=submission)
                      .select_related("actor").order_by("-occurred_at", "-pk"))
    pdf = next((f for f in files if f.format == ReportFormat.PDF), None)
    snapshot = next((f.snapshot for f in files if f.snapshot), None)
    status = submission.status
    version = {"version": submission.version}
    return {
        "can_download": user.has_perm("reports.view_reportfile"),
        "can_generate": user.has_perm("reports.add_generationjob") and status in _OPEN,
        "can_attach": user.has_perm("reports.add_reportfile") and status in _OPEN,
        "can_submit": (user.has_perm("reports.submit_submission") and bool(files)
                       and status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)),
        "can_review": (user.has_perm("reports.review_submission")
                       and status == SubmissionStatus.SUBMITTED),
        "charts": charts_of(snapshot),
        "submission": submission, "deliverable": submission.deliverable,
        "status_badge": status_badge(submission), "deadline": deadline_text(submission),
        "revisions": sorted(revisions.items(), reverse=True), "job": job,
        "job_running": job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "events": events, "preview_pdf": pdf, "snapshot": snapshot,
        "due_rule": due_rule(submission.deliverable),
        "attach_form": AttachForm(initial=version),
        "submit_form": SubmitForm(submission=submission, initial=version),
        "review_form": ReviewForm(initial=version), "return_form": ReturnForm(initial=version),
    }


class SubmissionView(SubmissionMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_page(request, "reports/submission.html",
                           submission_context(request, self.submission))


@method_decorator(xframe_options_sameorigin, name="dispatch")
class FileView(SubmissionMixin, View):
    """Download one revision of a report file (``?inline=1``: shown in the page's
    preview)."""

    permission_required = "reports.view_reportfile"

    def get(self, request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
        report = get_object_or_404(ReportFile.objects.filter(submission=self.submission),
                                   pk=file_pk)
        name = (report.file.name or "").rsplit("/", 1)[-1]
        inline = request.GET.get("inline") == "1" and report.format == ReportFormat.PDF
        try:
            handle = report.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        return FileResponse(handle, as_attachment=not inline, filename=name)


class JobView(SubmissionMixin, View):
    """A generation's progress bar; while it runs the fragment polls itself every second
    (htmx), and when it is done the page reloads to show the new files."""

    permission_required = "reports.view_generationjob"

    def get(self, request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
        job = get_object_or_404(GenerationJob.objects.filter(submission=self.submission),
                                pk=job_pk)
        running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        response = render_page(request, "reports/partials/job.html", {
            "submission": self.submission, "job": job, "job_running": running})
        if not running and request.GET.get("poll") == "1":
            # The poll that sees the end refreshes the page: the files and status changed.
            response["HX-Refresh"] = "true"
        return response
