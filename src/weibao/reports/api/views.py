"""``/api/reports/…``: deliverables (read-only: they come from the contract spec),
submissions with their files, history and generation jobs, each file's download, the jobs'
progress and a contract's deliverables calendar (RPT-01..07). Everything is scoped to the
caller's contracts (PLT-01): another contract's record is a 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weibao.contracts.selectors import scope_to_user
from weibao.core.api.mixins import AuditActorMixin
from weibao.maintenance.api.common import ActionPermission, visible_contract
from weibao.maintenance.filtersets import MonthField
from weibao.maintenance.selectors import month_bounds
from weibao.reports.api.serializers import (
    CalendarItemSerializer,
    DeliverableSerializer,
    JobSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
)
from weibao.reports.filtersets import DeliverableFilterSet, SubmissionFilterSet
from weibao.reports.models import (
    Deliverable,
    GenerationJob,
    ReportFile,
    Submission,
    SubmissionEvent,
)
from weibao.reports.selectors import visible_submissions

__all__ = ["CalendarView", "DeliverableViewSet", "JobViewSet", "SubmissionReadViewSet"]


class DeliverableViewSet(viewsets.ReadOnlyModelViewSet):
    """交付物: what is owed, how often, when it is due and who accepts it (RPT-01..06);
    they change only through the contract spec."""

    queryset = Deliverable.objects.all()
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilterSet
    ordering_fields = ["code", "name", "order", "cadence"]
    ordering = ["contract", "order", "code"]
    permission_classes = [ActionPermission]
    default_permission = "reports.view_deliverable"

    def get_queryset(self) -> QuerySet[Deliverable]:
        queryset: QuerySet[Deliverable] = scope_to_user(Deliverable.objects.all(),
                                                        self.request.user)
        return queryset.select_related("contract", "trigger_plan", "trigger_ticket_type",
                                       "template")


class SubmissionReadViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    """Submissions of the caller's contracts with the shared filters; a submission's detail
    has every file revision, its history and its latest generation jobs. The workflow's
    steps are added by ``actions``."""

    queryset = Submission.objects.all()
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    ordering_fields = ["due_at", "period_start", "status", "submitted_at"]
    ordering = ["due_at", "pk"]
    permission_classes = [ActionPermission]
    default_permission = "reports.view_submission"
    action_permissions: dict[str, str] = {"file": "reports.view_reportfile"}

    def get_queryset(self) -> QuerySet[Submission]:
        queryset = visible_submissions(self.request.user).select_related(
            "contract", "deliverable", "submitted_by", "reviewed_by")
        if self.action not in ("list", "file"):
            queryset = queryset.prefetch_related(
                Prefetch("files", ReportFile.objects.select_related("created_by")),
                Prefetch("events", SubmissionEvent.objects.select_related("actor")),
                Prefetch("jobs", GenerationJob.objects.select_related("requested_by")))
        return queryset

    def get_serializer_class(self) -> Any:
        return SubmissionSerializer if self.action == "list" else SubmissionDetailSerializer

    def _answer(self, submission: Submission, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=submission.pk)
        serializer = SubmissionDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        description="The Word, Excel or PDF file")})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_pk>\d+)",
            url_name="file")
    def file(self, request: Request, pk: str | None = None,
             file_pk: str | None = None) -> FileResponse:
        """Download one revision of a report file."""
        submission = self.get_object()
        report = get_object_or_404(ReportFile.objects.filter(submission=submission),
                                   pk=file_pk)
        name = (report.file.name or "").rsplit("/", 1)[-1]
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=name)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A report generation's status and progress (poll it until done or failed)."""

    queryset = GenerationJob.objects.all()
    serializer_class = JobSerializer
    permission_classes = [ActionPermission]
    default_permission = "reports.view_generationjob"

    def get_queryset(self) -> QuerySet[GenerationJob]:
        queryset: QuerySet[GenerationJob] = scope_to_user(
            GenerationJob.objects.all(), self.request.user, "submission__contract")
        return queryset.select_related("requested_by")


class CalendarView(APIView):
    """A contract's deliverables calendar: the submissions falling due in a month, each with
    its colour (due, submitted, late, accepted)."""

    permission_classes = [ActionPermission]
    default_permission = "reports.view_submission"

    @extend_schema(parameters=[
        OpenApiParameter("contract", str, required=True, description="Contract number"),
        OpenApiParameter("month", OpenApiTypes.STR, required=True,
                         description="YYYY-MM")],
        responses={200: CalendarItemSerializer(many=True),
                   400: OpenApiResponse(description="Invalid input (error format)")})
    def get(self, request: Request) -> Response:
        number = request.query_params.get("contract", "")
        field = MonthField()
        errors: dict[str, list[str]] = {}
        month = None
        try:
            month = field.clean(request.query_params.get("month", ""))
        except ValidationError as error:
            errors["month"] = list(error.messages)
        if month is None and "month" not in errors:
            errors["month"] = [_("Enter a month as YYYY-MM, e.g. 2025-10.")]
        if not number:
            errors["contract"] = [_("This field is required.")]
        if errors:
            raise ValidationError(errors)
        contract = visible_contract(request, number)
        assert month is not None
        start, end = month_bounds(*month)
        submissions = (visible_submissions(request.user)
                       .filter(contract=contract, due_at__gte=start, due_at__lt=end)
                       .select_related("contract", "deliverable", "submitted_by",
                                       "reviewed_by")
                       .order_by("due_at", "pk"))
        items = [{"date": _local_date(submission.due_at), "submission": submission}
                 for submission in submissions]
        return Response(CalendarItemSerializer(items, many=True).data)


def _local_date(moment: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()
