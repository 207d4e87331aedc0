"""Serializers of ``/api/assessment/…``: they parse and present; the rules stay in the
services (``weibao.assessment.services``). Contracts are named by their number, items and
penalty rules by their codes, people by their user names, as in the rest of the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.assessment.models import (
    Assessment,
    AssessmentItem,
    AssessmentLine,
    AssessmentScheme,
    Breach,
    PenaltyRule,
)
from weibao.assessment.tables import evidence_label, evidence_url

__all__ = ["ApplyPenaltyInput", "AssessmentDetailSerializer", "AssessmentSerializer",
           "BreachDetailSerializer", "BreachSerializer", "ConfirmInput", "CreateAssessmentInput",
           "DecideBreachInput", "DecideLineInput", "LineSerializer", "ManualEntryInput",
           "ReasonInput", "ReviewLineInput", "SchemeSerializer", "VersionInput", "validated"]


def validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentItem
        fields = ["id", "sequence", "code", "name", "metric", "params", "points", "scoring",
                  "comparison", "threshold", "unit", "clause"]


class PenaltyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PenaltyRule
        fields = ["id", "code", "name", "min_percent", "max_percent", "clause"]


class SchemeSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    items = ItemSerializer(many=True, read_only=True)
    penalty_rules = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentScheme
        fields = ["id", "contract", "method", "total_points", "grades", "termination_breaches",
                  "termination_penalty_percent", "review_working_days", "clause", "items",
                  "penalty_rules"]

    @extend_schema_field(PenaltyRuleSerializer(many=True))
    def get_penalty_rules(self, scheme: AssessmentScheme) -> list[dict[str, Any]]:
        rules = self.context.get("penalty_rules", {}).get(scheme.contract_id)
        if rules is None:
            rules = PenaltyRule.objects.filter(contract_id=scheme.contract_id)
        return list(PenaltyRuleSerializer(rules, many=True).data)


class BreachSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    penalty_rule = serializers.CharField(source="penalty_rule.code", allow_null=True,
                                         default=None)
    counts = serializers.BooleanField(read_only=True)
    evidence_url = serializers.SerializerMethodField()
    evidence_label = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = ["id", "contract", "source", "occurred_at", "description", "penalty_percent",
                  "penalty_amount", "status", "counts", "penalty_rule", "evidence_url",
                  "evidence_label", "version"]

    def get_evidence_url(self, breach: Breach) -> str:
        """The page of the ticket, visit or report behind the breach, or the proof's
        download."""
        return evidence_url(breach)

    def get_evidence_label(self, breach: Breach) -> str:
        return evidence_label(breach)


class BreachDetailSerializer(BreachSerializer):
    sla_alert = serializers.IntegerField(source="sla_alert_id", allow_null=True)
    ticket = serializers.SerializerMethodField()
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    submission = serializers.IntegerField(source="submission_id", allow_null=True)
    drill = serializers.IntegerField(source="drill_id", allow_null=True)
    entered_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    proof_url = serializers.SerializerMethodField()

    class Meta(BreachSerializer.Meta):
        fields = [*BreachSerializer.Meta.fields, "reason", "sla_alert", "ticket", "visit",
                  "submission", "drill", "proof_url", "entered_by", "decided_by", "decided_at"]

    def get_ticket(self, breach: Breach) -> str | None:
        alert = breach.sla_alert
        return alert.ticket.number if alert is not None else None

    def get_entered_by(self, breach: Breach) -> str | None:
        return _username(breach.entered_by)

    def get_decided_by(self, breach: Breach) -> str | None:
        return _username(breach.decided_by)

    def get_proof_url(self, breach: Breach) -> str | None:
        if not breach.evidence:
            return None
        return reverse("api:assessment-breach-proof", args=[breach.pk])


class LineSerializer(serializers.ModelSerializer):
    item = ItemSerializer(read_only=True)
    entered_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    proof_url = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentLine
        fields = ["id", "item", "value", "numerator", "denominator", "manual", "points", "met",
                  "status", "entered_by", "entered_at", "proof_url", "proof_note",
                  "vendor_comment", "purchaser_note", "decision", "decided_by", "decided_at",
                  "evidence_url"]

    def get_entered_by(self, line: AssessmentLine) -> str | None:
        return _username(line.entered_by)

    def get_decided_by(self, line: AssessmentLine) -> str | None:
        return _username(line.decided_by)

    def get_proof_url(self, line: AssessmentLine) -> str | None:
        if not line.proof:
            return None
        return reverse("api:assessment-line-proof", args=[line.pk])

    def get_evidence_url(self, line: AssessmentLine) -> str:
        """The records behind the value (``/api/assessment/lines/{id}/evidence/``)."""
        return reverse("api:assessment-line-evidence", args=[line.pk])


class AssessmentSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")

    class Meta:
        model = Assessment
        fields = ["id", "contract", "period_start", "period_end", "is_final", "status",
                  "score", "criteria_met", "rating", "factor", "breach_count", "penalties",
                  "computed_at", "version"]


class AssessmentDetailSerializer(AssessmentSerializer):
    lines = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    confirmed_by = serializers.SerializerMethodField()
    finalised_by = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "created_by", "reviewed_by", "reviewed_at",
                  "confirmed_by", "confirmed_at", "finalised_by", "finalised_at", "digest",
                  "digest_algorithm", "lines"]

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, assessment: Assessment) -> list[dict[str, Any]]:
        lines = (AssessmentLine.objects.filter(assessment=assessment)
                 .select_related("item", "entered_by", "decided_by"))
        return list(LineSerializer(lines, many=True).data)

    def get_created_by(self, assessment: Assessment) -> str | None:
        return _username(assessment.created_by)

    def get_reviewed_by(self, assessment: Assessment) -> str | None:
        return _username(assessment.reviewed_by)

    def get_confirmed_by(self, assessment: Assessment) -> str | None:
        return _username(assessment.confirmed_by)

    def get_finalised_by(self, assessment: Assessment) -> str | None:
        return _username(assessment.finalised_by)


# --- inputs -------------------------------------------------------------------------------

class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text=_("The version you read (409 when stale)."))


class ReasonInput(VersionInput):
    reason = serializers.CharField(max_length=2000)


class DecideBreachInput(ReasonInput):
    upheld = serializers.BooleanField(
        help_text=_("true: the breach stands (confirmed); false: it is waived."))


class ApplyPenaltyInput(serializers.Serializer):
    contract = serializers.CharField(help_text=_("The contract's number."))
    rule = serializers.CharField(help_text=_("The penalty rule's code."))
    percent = serializers.DecimalField(max_digits=6, decimal_places=3)
    occurred_at = serializers.DateTimeField()
    description = serializers.CharField(max_length=300)
    reason = serializers.CharField(max_length=2000)
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class CreateAssessmentInput(serializers.Serializer):
    contract = serializers.CharField(help_text=_("The contract's number."))
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    is_final = serializers.BooleanField(default=False)


class ManualEntryInput(VersionInput):
    value = serializers.DecimalField(max_digits=14, decimal_places=4, required=False,
                                     allow_null=True, default=None)
    points = serializers.DecimalField(max_digits=6, decimal_places=2, required=False,
                                      allow_null=True, default=None)
    met = serializers.BooleanField(required=False, allow_null=True, default=None)
    proof = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewLineInput(VersionInput):
    agree = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmInput(VersionInput):
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                  default=dict,
                                  help_text=_("The purchaser's note per line id."))
    decisions = serializers.DictField(
        child=serializers.DictField(), required=False, default=dict,
        help_text=_("Without a supervisor: {line id: {\"points\" or \"met\", "
                    "\"decision\"}} for each disputed line."))


class DecideLineInput(VersionInput):
    points = serializers.DecimalField(max_digits=6, decimal_places=2, required=False,
                                      allow_null=True, default=None)
    met = serializers.BooleanField(required=False, allow_null=True, default=None)
    decision = serializers.CharField()
