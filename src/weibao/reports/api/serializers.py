"""Serializers of ``/api/reports/…``: they parse and present; rules stay in the services.

Contracts are named by their number, deliverables, plans, ticket types and templates by
their codes, people by their user names, as in the rest of the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.reports.models import (
    Deliverable,
    GenerationJob,
    ReportFile,
    Submission,
    SubmissionEvent,
)
from weibao.reports.tables import CALENDAR_STATES, calendar_state, due_rule

__all__ = ["AttachReportInput", "CalendarItemSerializer", "DeliverableSerializer",
           "JobSerializer", "ReportFileSerializer", "ReturnReportInput", "ReviewReportInput",
           "SubmissionDetailSerializer", "SubmissionEventSerializer", "SubmissionSerializer",
           "SubmitReportInput", "validated"]


def validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class DeliverableSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    trigger_plan = serializers.CharField(source="trigger_plan.code", allow_null=True,
                                         default=None)
    trigger_ticket_type = serializers.CharField(source="trigger_ticket_type.code",
                                                allow_null=True, default=None)
    template = serializers.CharField(source="template.code", allow_null=True, default=None)
    sections = serializers.ListField(child=serializers.CharField())
    due_rule = serializers.SerializerMethodField(help_text=_("The due rule in words"))

    class Meta:
        model = Deliverable
        fields = ["id", "contract", "code", "name", "cadence", "covers", "due_weekday",
                  "due_day", "due_exclusive", "due_after_amount", "due_after_unit", "trigger",
                  "trigger_plan", "trigger_ticket_type", "sections", "template", "accepted_by",
                  "review_working_days", "late_is_breach", "penalty_percent", "clause",
                  "active", "order", "due_rule"]

    def get_due_rule(self, obj: Deliverable) -> str:
        return str(due_rule(obj))


class SubmissionSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    deliverable = serializers.CharField(source="deliverable.code")
    deliverable_name = serializers.CharField(source="deliverable.name")
    submitted_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    calendar_state = serializers.SerializerMethodField(
        help_text=_("The calendar's colour: due, submitted, late or accepted"))

    class Meta:
        model = Submission
        fields = ["id", "contract", "deliverable", "deliverable_name", "period_start",
                  "period_end", "trigger_source", "due_at", "status", "calendar_state",
                  "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "review_comment",
                  "late", "breach_recorded_at", "penalty_percent", "reminded_at", "version"]

    def get_submitted_by(self, obj: Submission) -> str | None:
        return _username(obj.submitted_by)

    def get_reviewed_by(self, obj: Submission) -> str | None:
        return _username(obj.reviewed_by)

    @extend_schema_field(serializers.ChoiceField(choices=list(CALENDAR_STATES)))
    def get_calendar_state(self, obj: Submission) -> str:
        return calendar_state(obj)


class ReportFileSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(help_text=_("Where to download the file"))
    name = serializers.SerializerMethodField()

    class Meta:
        model = ReportFile
        fields = ["id", "revision", "origin", "format", "name", "digest", "is_final",
                  "created_by", "created_at", "download"]

    def get_created_by(self, obj: ReportFile) -> str | None:
        return _username(obj.created_by)

    def get_name(self, obj: ReportFile) -> str:
        return (obj.file.name or "").rsplit("/", 1)[-1]

    def get_download(self, obj: ReportFile) -> str:
        return reverse("api:report-submission-file",
                       kwargs={"pk": obj.submission_id, "file_pk": obj.pk})


class SubmissionEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionEvent
        fields = ["id", "action", "actor", "occurred_at", "comment", "data"]

    def get_actor(self, obj: SubmissionEvent) -> str | None:
        return _username(obj.actor)


class JobSerializer(serializers.ModelSerializer):
    requested_by = serializers.SerializerMethodField()

    class Meta:
        model = GenerationJob
        fields = ["id", "submission", "status", "progress", "step", "error", "requested_by",
                  "requested_at", "started_at", "finished_at"]

    def get_requested_by(self, obj: GenerationJob) -> str | None:
        return _username(obj.requested_by)


class SubmissionDetailSerializer(SubmissionSerializer):
    """A submission with its files (every revision), its history and its latest jobs."""

    files = ReportFileSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    jobs = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "files", "events", "jobs"]

    def _may(self, perm: str) -> bool:
        request = self.context.get("request")
        return bool(request is not None and request.user.has_perm(perm))

    @extend_schema_field(SubmissionEventSerializer(many=True))
    def get_events(self, obj: Submission) -> list[dict[str, Any]]:
        if not self._may("reports.view_submissionevent"):
            return []
        return list(SubmissionEventSerializer(obj.events.all(), many=True).data)

    @extend_schema_field(JobSerializer(many=True))
    def get_jobs(self, obj: Submission) -> list[dict[str, Any]]:
        if not self._may("reports.view_generationjob"):
            return []
        return list(JobSerializer(list(obj.jobs.all())[:5], many=True).data)


class CalendarItemSerializer(serializers.Serializer):
    """One submission on the calendar: the day it falls due and its colour."""

    date = serializers.DateField()
    submission = SubmissionSerializer()


class SubmitReportInput(serializers.Serializer):
    file = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text=_("The report file to submit (its id); default "
                                                "the latest final or generated one"))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class AttachReportInput(serializers.Serializer):
    upload = serializers.FileField(help_text=_("The final Word, Excel or PDF file"))
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReviewReportInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReturnReportInput(serializers.Serializer):
    comment = serializers.CharField(help_text=_("What must change (required)"))
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
