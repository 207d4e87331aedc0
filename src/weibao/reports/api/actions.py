"""The workflow's steps of a submission, each its own endpoint under
``/api/reports/submissions/{id}/`` (RPT-03, RPT-07, PAY-01): ``generate`` (→ the queued job,
202), ``attach`` (multipart: the final file), ``submit``, ``accept`` and ``return``; each
calls its service in ``weibao.reports.services``. ``version`` in the body (or ``If-Match``)
is the version the caller read: a stale one answers 409 with the current version; so does a
step the submission's state does not allow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.maintenance.api.common import actor, expected_version
from weibao.reports.api.serializers import (
    AttachReportInput,
    JobSerializer,
    ReturnReportInput,
    ReviewReportInput,
    SubmissionDetailSerializer,
    SubmitReportInput,
    validated,
)
from weibao.reports.api.views import SubmissionReadViewSet
from weibao.reports.models import GenerationJob, ReportFile
from weibao.reports.services import generation, workflow

__all__ = ["SubmissionActions"]

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The submission version you read, when the body has no version")
ERRORS = {400: OpenApiResponse(description="Invalid input (error format, by field)"),
          403: OpenApiResponse(description="Your role may not take this step"),
          409: OpenApiResponse(description="Stale version or a step the submission's state "
                                           "does not allow (error format, with version)")}


class SubmissionActions(SubmissionReadViewSet):
    """The vendor's manager generates, attaches and submits; the purchaser accepts or
    returns with comments."""

    action_permissions = {
        **SubmissionReadViewSet.action_permissions,
        "generate": "reports.add_generationjob", "attach": "reports.add_reportfile",
        "submit": "reports.submit_submission", "accept": "reports.review_submission",
        "return_submission": "reports.review_submission",
    }

    @extend_schema(request=None, responses={202: JobSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Generate the draft from recorded data in the background (Word, Excel, PDF):
        answers the queued job (or the one already running); poll ``/api/reports/jobs/{id}/``
        until it is done or failed."""
        job = generation.request_generation(self.get_object(), actor(request))
        fresh = GenerationJob.objects.select_related("requested_by").get(pk=job.pk)
        return Response(JobSerializer(fresh).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request={"multipart/form-data": AttachReportInput},
                   responses={201: SubmissionDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request: Request, pk: str | None = None) -> Response:
        """Attach the final file (``upload``: .docx, .xlsx, .pdf or .zip): a new revision,
        the one to submit."""
        data = validated(AttachReportInput, request.data)
        submission = self.get_object()
        workflow.attach_final(submission, actor(request), upload=data["upload"],
                              expected_version=expected_version(request, data))
        return self._answer(submission, status.HTTP_201_CREATED)

    @extend_schema(request=SubmitReportInput, responses={200: SubmissionDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Hand the report to the purchaser (the time is recorded; late when after the due
        time); ``file``: which of its files, default the attached final or latest
        generated one."""
        data = validated(SubmitReportInput, request.data)
        submission = self.get_object()
        chosen = None
        if data["file"] is not None:
            chosen = ReportFile.objects.filter(submission=submission, pk=data["file"]).first()
            if chosen is None:
                raise ValidationError({"file": _("%(value)s is not a file of this report.")
                                       % {"value": data["file"]}})
        workflow.submit(submission, actor(request), file=chosen, comment=data["comment"],
                        expected_version=expected_version(request, data))
        return self._answer(submission)

    @extend_schema(request=ReviewReportInput, responses={200: SubmissionDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser accepts the submitted report (a payment milestone waiting for this
        deliverable gets its due date, PAY-01)."""
        data = validated(ReviewReportInput, request.data)
        submission = self.get_object()
        workflow.accept(submission, actor(request), comment=data["comment"],
                        expected_version=expected_version(request, data))
        return self._answer(submission)

    @extend_schema(request=ReturnReportInput, responses={200: SubmissionDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_submission(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser returns the submitted report with what must change (``comment``,
        required); the vendor corrects and submits again."""
        data = validated(ReturnReportInput, request.data)
        submission = self.get_object()
        workflow.return_submission(submission, actor(request), comment=data["comment"],
                                   expected_version=expected_version(request, data))
        return self._answer(submission)
