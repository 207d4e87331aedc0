"""``/api/assessment/…`` — reading: the contracts' schemes, the breach ledger with its
evidence, assessments with their lines, each line's evidence records and the settlement
(ASM-01..06, PAY-03). Everything is scoped to the caller's contracts (PLT-01): another
contract's record is a 404. The steps that write are in ``actions``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets

from weibao.assessment.api.serializers import (
    AssessmentDetailSerializer,
    AssessmentSerializer,
    BreachDetailSerializer,
    BreachSerializer,
    LineSerializer,
    SchemeSerializer,
)
from weibao.assessment.filtersets import AssessmentFilterSet, BreachFilterSet
from weibao.assessment.models import (
    Assessment,
    AssessmentLine,
    AssessmentScheme,
    Breach,
    PenaltyRule,
)
from weibao.assessment.selectors import (
    visible_assessments,
    visible_breaches,
    visible_schemes,
)
from weibao.contracts.selectors import scope_to_user
from weibao.core.api.mixins import AuditActorMixin
from weibao.maintenance.api.common import ActionPermission

__all__ = ["AssessmentReadViewSet", "BreachReadViewSet", "LineReadViewSet", "SchemeViewSet"]


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """考核办法: each contract's scheme with its items and penalty rules, as the contract spec
    wrote them (read-only)."""

    queryset = AssessmentScheme.objects.all()
    serializer_class = SchemeSerializer
    filterset_fields = ["contract", "method"]
    ordering = ["contract__number"]
    permission_classes = [ActionPermission]
    default_permission = "assessment.view_assessmentscheme"

    def get_queryset(self) -> QuerySet[AssessmentScheme]:
        return visible_schemes(self.request.user).prefetch_related("items")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        rules: dict[int, list[PenaltyRule]] = {}
        for rule in scope_to_user(PenaltyRule.objects.all(), self.request.user):
            rules.setdefault(rule.contract_id, []).append(rule)
        context["penalty_rules"] = rules
        return context


class BreachReadViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """违约记录: the ledger of the caller's contracts with the shared filters (contract,
    source, status, month or from/to); a breach's detail links its evidence."""

    queryset = Breach.objects.all()
    serializer_class = BreachSerializer
    filterset_class = BreachFilterSet
    ordering_fields = ["occurred_at", "penalty_amount", "status"]
    ordering = ["-occurred_at", "-pk"]
    permission_classes = [ActionPermission]
    default_permission = "assessment.view_breach"
    action_permissions: dict[str, str] = {}

    def get_queryset(self) -> QuerySet[Breach]:
        return visible_breaches(self.request.user).select_related(
            "contract", "penalty_rule", "sla_alert__ticket", "entered_by", "decided_by")

    def get_serializer_class(self) -> Any:
        return BreachSerializer if self.action == "list" else BreachDetailSerializer


class AssessmentReadViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    """考核: the assessments of the caller's contracts; the detail has every line with its
    measurement, manual entry, comments and decision."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    ordering_fields = ["period_end", "status"]
    ordering = ["contract__number", "-period_end", "-pk"]
    permission_classes = [ActionPermission]
    default_permission = "assessment.view_assessment"
    action_permissions: dict[str, str] = {}

    def get_queryset(self) -> QuerySet[Assessment]:
        return visible_assessments(self.request.user).select_related(
            "contract", "created_by", "reviewed_by", "confirmed_by", "finalised_by")

    def get_serializer_class(self) -> Any:
        return AssessmentSerializer if self.action == "list" else AssessmentDetailSerializer


class LineReadViewSet(AuditActorMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One line of an assessment; its steps (manual entry, review, decision) and its
    evidence are in ``actions``."""

    queryset = AssessmentLine.objects.all()
    serializer_class = LineSerializer
    permission_classes = [ActionPermission]
    default_permission = "assessment.view_assessmentline"
    action_permissions: dict[str, str] = {}

    def get_queryset(self) -> QuerySet[AssessmentLine]:
        return (AssessmentLine.objects
                .filter(assessment__in=visible_assessments(self.request.user))
                .select_related("assessment__contract", "item", "entered_by", "decided_by"))
