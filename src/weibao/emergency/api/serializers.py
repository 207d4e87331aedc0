"""Serializers of ``/api/emergency/…``: they parse and present; the services decide.
Contracts are named by their number, systems by their asset code, people by user name."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.emergency.choices import PeriodKind
from weibao.emergency.models import (
    Drill,
    DrillPhoto,
    DrillRule,
    DutyAssignment,
    EmergencyPlan,
    MajorPeriod,
    PeriodReport,
    PlanVersion,
    SecurityIncident,
)

__all__ = ["DisposalDecisionInput", "DisposalPlanInput", "DrillPhotoInput", "DrillPhotoSerializer",
           "DrillRecordInput", "DrillRuleSerializer", "DrillSerializer", "DutyAssignmentInput",
           "DutyAssignmentSerializer", "EmergencyPlanInput", "EmergencyPlanReviewInput",
           "EmergencyPlanSerializer", "EmergencyPlanVersionInput",
           "EmergencyPlanVersionSerializer", "IncidentAdvanceInput", "MajorPeriodInput",
           "MajorPeriodSerializer", "PeriodReportInput", "PeriodReportSerializer",
           "SecurityIncidentInput", "SecurityIncidentReportInput", "SecurityIncidentSerializer",
           "validated"]


def _username() -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field="username", read_only=True)


def validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)




class EmergencyPlanVersionSerializer(serializers.ModelSerializer):
    issued_by: serializers.SlugRelatedField[Any] = _username()

    class Meta:
        model = PlanVersion
        fields = ["number", "document", "organisation", "prevention", "response_levels",
                  "disposal", "recovery", "note", "issued_on", "issued_by"]


class EmergencyPlanSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    system = serializers.CharField(source="system.code", read_only=True, allow_null=True,
                                   default=None)
    system_name = serializers.CharField(source="system.name", read_only=True, default=None)
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyPlan
        fields = ["id", "contract", "system", "system_name", "title", "current_version",
                  "review_due", "review_overdue", "last_reviewed_on", "version"]

    def get_review_overdue(self, plan: EmergencyPlan) -> bool:
        from django.utils import timezone

        return plan.review_overdue(timezone.localdate())


class EmergencyPlanInput(serializers.Serializer):
    contract = serializers.CharField()
    title = serializers.CharField(max_length=200)
    system = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Asset code of an information system.")
    review_due = serializers.DateField(required=False, allow_null=True, default=None)


class EmergencyPlanVersionInput(serializers.Serializer):
    document = serializers.FileField(required=False, allow_null=True, default=None)
    organisation = serializers.CharField(required=False, allow_blank=True, default="")
    prevention = serializers.CharField(required=False, allow_blank=True, default="")
    response_levels = serializers.CharField(required=False, allow_blank=True, default="")
    disposal = serializers.CharField(required=False, allow_blank=True, default="")
    recovery = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    review_due = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EmergencyPlanReviewInput(serializers.Serializer):
    next_review = serializers.DateField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DrillRuleSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = DrillRule
        fields = ["id", "contract", "code", "name", "systems", "count", "per",
                  "missed_is_breach", "penalty_percent", "clause", "active"]


class DrillPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = DrillPhoto
        fields = ["id", "image", "caption", "created_at"]


class DrillSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    rule = serializers.CharField(source="rule.code", read_only=True)
    system = serializers.CharField(source="system.code", read_only=True)
    system_name = serializers.CharField(source="system.name", read_only=True)
    participants: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, slug_field="username", read_only=True)

    class Meta:
        model = Drill
        fields = ["id", "contract", "rule", "system", "system_name", "sequence",
                  "window_start", "window_end", "status", "planned_on", "scenario", "script",
                  "training", "participants", "other_participants", "held_at", "record",
                  "summary", "summary_file", "breach_recorded_at", "penalty_percent",
                  "version"]


class DrillRecordInput(serializers.Serializer):
    planned_on = serializers.DateField(required=False, allow_null=True)
    scenario = serializers.CharField(required=False, allow_blank=True)
    script = serializers.CharField(required=False, allow_blank=True)
    training = serializers.CharField(required=False, allow_blank=True)
    participants = serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="User names of the participants.")
    other_participants = serializers.CharField(required=False, allow_blank=True,
                                               max_length=300)
    held_at = serializers.DateTimeField(required=False, allow_null=True)
    record = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    summary_file = serializers.FileField(required=False, allow_null=True)
    complete = serializers.BooleanField(required=False, default=False,
                                        help_text="Mark the drill held.")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DrillPhotoInput(serializers.Serializer):
    image = serializers.ImageField()
    caption = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=200)


class SecurityIncidentSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    ticket = serializers.CharField(source="ticket.number", read_only=True, default=None)
    system = serializers.CharField(source="system.code", read_only=True, default=None)
    reported_by: serializers.SlugRelatedField[Any] = _username()
    reported_to: serializers.SlugRelatedField[Any] = _username()
    plan_decided_by: serializers.SlugRelatedField[Any] = _username()

    class Meta:
        model = SecurityIncident
        fields = ["id", "contract", "number", "title", "ticket", "system", "discovered_at",
                  "reported_at", "reported_by", "reported_to", "description", "phase",
                  "preparation_notes", "assessment_notes", "containment_notes",
                  "eradication_notes", "disposal_plan", "plan_status", "plan_submitted_at",
                  "plan_decided_by", "plan_decided_at", "plan_reason", "summary", "report",
                  "report_filed_at", "closed_at", "version"]


class SecurityIncidentInput(serializers.Serializer):
    contract = serializers.CharField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    discovered_at = serializers.DateTimeField()
    reported_to = serializers.CharField(help_text="User name of the purchaser's person.")
    system = serializers.CharField(required=False, allow_blank=True, default="")
    ticket = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentAdvanceInput(serializers.Serializer):
    to = serializers.CharField(help_text="The next phase.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DisposalPlanInput(serializers.Serializer):
    disposal_plan = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DisposalDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class SecurityIncidentReportInput(serializers.Serializer):
    summary = serializers.CharField()
    report = serializers.FileField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class DutyAssignmentSerializer(serializers.ModelSerializer):
    user: serializers.SlugRelatedField[Any] = _username()

    class Meta:
        model = DutyAssignment
        fields = ["id", "user", "day", "shift", "place"]


class PeriodReportSerializer(serializers.ModelSerializer):
    filed_by: serializers.SlugRelatedField[Any] = _username()

    class Meta:
        model = PeriodReport
        fields = ["id", "title", "content", "document", "filed_by", "filed_at"]


class MajorPeriodSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    duties = DutyAssignmentSerializer(many=True, read_only=True)
    reports = PeriodReportSerializer(many=True, read_only=True)

    class Meta:
        model = MajorPeriod
        fields = ["id", "contract", "name", "kind", "starts_on", "ends_on", "notes", "duties",
                  "reports"]


class MajorPeriodInput(serializers.Serializer):
    contract = serializers.CharField()
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DutyAssignmentInput(serializers.Serializer):
    user = serializers.CharField(help_text="User name.")
    day = serializers.DateField()
    shift = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class PeriodReportInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    document = serializers.FileField(required=False, allow_null=True, default=None)
