"""``/api/emergency/…``: plans (EMG-01), drill rules and drills (EMG-02), security incidents
(EMG-03) and major periods (EMG-04). Reads are scoped to the caller's contracts (PLT-01:
another contract's record is a 404); every write goes through a service, a stale
``version`` or a wrong state answers 409."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assets.models import Asset
from weibao.contracts.selectors import scope_to_user
from weibao.core.models import User
from weibao.emergency.api import serializers as s
from weibao.emergency.filtersets import (
    DrillFilterSet,
    IncidentFilterSet,
    PeriodFilterSet,
    PlanFilterSet,
)
from weibao.emergency.models import (
    Drill,
    DrillRule,
    DutyAssignment,
    EmergencyPlan,
    MajorPeriod,
    PeriodReport,
    SecurityIncident,
)
from weibao.emergency.selectors import visible_drills, visible_incidents, visible_plans
from weibao.emergency.services import drills, incidents, periods, plans
from weibao.maintenance.api.common import ActionPermission, actor, visible_contract
from weibao.tickets.models import Ticket

__all__ = ["DrillRuleViewSet", "DrillViewSet", "IncidentViewSet", "PeriodViewSet",
           "PlanViewSet"]

_PARSERS = [JSONParser, MultiPartParser, FormParser]


def _system(contract: Any, code: str) -> Asset | None:
    if not code:
        return None
    return get_object_or_404(Asset.objects.select_related("asset_type"), contract=contract,
                             code=code)


def _person(username: str) -> User | None:
    return User.objects.filter(username=username).first()


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """应急预案 per system with its versions; overdue reviews are flagged."""

    queryset = EmergencyPlan.objects.all()
    serializer_class = s.EmergencyPlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["title", "review_due"]
    ordering = ["contract", "title", "pk"]
    permission_classes = [ActionPermission]
    parser_classes = _PARSERS
    default_permission = "emergency.view_emergencyplan"
    action_permissions = {"create": "emergency.add_emergencyplan",
                          "versions": "emergency.view_planversion",
                          "issue": "emergency.add_planversion",
                          "review": "emergency.review_emergencyplan"}

    def get_queryset(self) -> QuerySet[EmergencyPlan]:
        return visible_plans(self.request.user)

    @extend_schema(request=s.EmergencyPlanInput, responses={201: s.EmergencyPlanSerializer})
    def create(self, request: Request) -> Response:
        data = s.validated(s.EmergencyPlanInput, request.data)
        contract = visible_contract(request, data["contract"])
        plan = plans.create_plan(contract, actor(request), title=data["title"],
                                 system=_system(contract, data["system"]),
                                 review_due=data["review_due"])
        return Response(s.EmergencyPlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.EmergencyPlanVersionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        rows = plan.versions.select_related("issued_by").order_by("-number")
        return Response(s.EmergencyPlanVersionSerializer(rows, many=True,
                                            context={"request": request}).data)

    @extend_schema(request=s.EmergencyPlanVersionInput,
                   responses={201: s.EmergencyPlanVersionSerializer})
    @versions.mapping.post
    def issue(self, request: Request, pk: str) -> Response:
        plan = self.get_object()
        data = s.validated(s.EmergencyPlanVersionInput, request.data)
        version = plans.issue_version(plan, actor(request), data, document=data["document"],
                                      expected_version=data["version"])
        body = s.EmergencyPlanVersionSerializer(version, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EmergencyPlanReviewInput, responses={200: s.EmergencyPlanSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        data = s.validated(s.EmergencyPlanReviewInput, request.data)
        plan = plans.record_review(self.get_object(), actor(request),
                                   next_review=data["next_review"],
                                   expected_version=data["version"])
        return Response(s.EmergencyPlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


class DrillRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """演练要求 from the contract spec (read-only: they change through the spec)."""

    queryset = DrillRule.objects.all()
    serializer_class = s.DrillRuleSerializer
    ordering = ["contract", "order", "code"]
    filterset_fields = ["code", "systems", "active"]

    def get_queryset(self) -> QuerySet[DrillRule]:
        queryset: QuerySet[DrillRule] = scope_to_user(DrillRule.objects.all(),
                                                      self.request.user)
        return queryset.select_related("contract")


class DrillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Drills scheduled from the rules; the record (``record``) and photos (``photos``)."""

    queryset = Drill.objects.all()
    serializer_class = s.DrillSerializer
    filterset_class = DrillFilterSet
    ordering_fields = ["window_end", "held_at"]
    ordering = ["window_end", "pk"]
    permission_classes = [ActionPermission]
    parser_classes = _PARSERS
    default_permission = "emergency.view_drill"
    action_permissions = {"record": "emergency.record_drill",
                          "photos": "emergency.record_drill"}

    def get_queryset(self) -> QuerySet[Drill]:
        return visible_drills(self.request.user).prefetch_related("participants")

    @extend_schema(request=s.DrillRecordInput, responses={200: s.DrillSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        drill = self.get_object()
        data = s.validated(s.DrillRecordInput, request.data)
        names = data.pop("participants", None)
        people = None
        if names is not None:
            people = list(User.objects.filter(username__in=names))
            missing = set(names) - {p.username for p in people}
            if missing:
                from weibao.core.errors import ServiceError
                raise ServiceError({"participants": [
                    f"{sorted(missing)[0]}: " + str(_unknown_person())]})
        saved = drills.save_drill(drill, actor(request), data, participants=people,
                                  summary_file=data.pop("summary_file", None),
                                  complete=data.pop("complete", False),
                                  expected_version=data.pop("version", None))
        return Response(s.DrillSerializer(self.get_queryset().get(pk=saved.pk),
                                          context={"request": request}).data)

    @extend_schema(request=s.DrillPhotoInput, responses={201: s.DrillPhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        data = s.validated(s.DrillPhotoInput, request.data)
        photo = drills.add_photo(self.get_object(), actor(request), data["image"],
                                 data["caption"])
        return Response(s.DrillPhotoSerializer(photo, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


def _unknown_person() -> str:
    from django.utils.translation import gettext as _

    return _("no such person")


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """信息安全事件: reported to the purchaser, worked through the phases in order."""

    queryset = SecurityIncident.objects.all()
    serializer_class = s.SecurityIncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ["reported_at", "number"]
    ordering = ["-reported_at", "-pk"]
    permission_classes = [ActionPermission]
    parser_classes = _PARSERS
    default_permission = "emergency.view_securityincident"
    action_permissions = {"create": "emergency.add_securityincident",
                          "advance": "emergency.work_securityincident",
                          "disposal_plan": "emergency.work_securityincident",
                          "decide": "emergency.approve_disposal_plan",
                          "report": "emergency.work_securityincident"}

    def get_queryset(self) -> QuerySet[SecurityIncident]:
        return visible_incidents(self.request.user)

    def _answer(self, incident: SecurityIncident, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=incident.pk)
        return Response(s.SecurityIncidentSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    @extend_schema(request=s.SecurityIncidentInput, responses={201: s.SecurityIncidentSerializer})
    def create(self, request: Request) -> Response:
        data = s.validated(s.SecurityIncidentInput, request.data)
        contract = visible_contract(request, data["contract"])
        ticket = (get_object_or_404(Ticket, contract=contract, number=data["ticket"])
                  if data["ticket"] else None)
        incident = incidents.report_incident(
            contract, actor(request), title=data["title"], description=data["description"],
            discovered_at=data["discovered_at"],
            reported_to=_person(data["reported_to"]),  # type: ignore[arg-type]
            system=_system(contract, data["system"]), ticket=ticket)
        return self._answer(incident, status.HTTP_201_CREATED)

    @extend_schema(request=s.IncidentAdvanceInput, responses={200: s.SecurityIncidentSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        data = s.validated(s.IncidentAdvanceInput, request.data)
        return self._answer(incidents.advance_phase(
            self.get_object(), actor(request), data["to"], notes=data["notes"],
            expected_version=data["version"]))

    @extend_schema(request=s.DisposalPlanInput, responses={200: s.SecurityIncidentSerializer})
    @action(detail=True, methods=["post"], url_path="disposal-plan")
    def disposal_plan(self, request: Request, pk: str) -> Response:
        data = s.validated(s.DisposalPlanInput, request.data)
        return self._answer(incidents.submit_disposal_plan(
            self.get_object(), actor(request), data["disposal_plan"],
            expected_version=data["version"]))

    @extend_schema(request=s.DisposalDecisionInput, responses={200: s.SecurityIncidentSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = s.validated(s.DisposalDecisionInput, request.data)
        return self._answer(incidents.decide_disposal_plan(
            self.get_object(), actor(request), approve=data["approve"], reason=data["reason"],
            expected_version=data["version"]))

    @extend_schema(request=s.SecurityIncidentReportInput,
                   responses={200: s.SecurityIncidentSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        data = s.validated(s.SecurityIncidentReportInput, request.data)
        return self._answer(incidents.file_report(
            self.get_object(), actor(request), summary=data["summary"], report=data["report"],
            expected_version=data["version"]))


class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """重大活动/节假日保障 with on-site duty and security reports."""

    queryset = MajorPeriod.objects.all()
    serializer_class = s.MajorPeriodSerializer
    filterset_class = PeriodFilterSet
    ordering_fields = ["starts_on"]
    ordering = ["-starts_on", "pk"]
    permission_classes = [ActionPermission]
    parser_classes = _PARSERS
    default_permission = "emergency.view_majorperiod"
    action_permissions = {"create": "emergency.add_majorperiod",
                          "duties": "emergency.add_dutyassignment",
                          "reports": "emergency.add_periodreport"}

    def get_queryset(self) -> QuerySet[MajorPeriod]:
        queryset: QuerySet[MajorPeriod] = scope_to_user(MajorPeriod.objects.all(),
                                                        self.request.user)
        return queryset.select_related("contract").prefetch_related(
            Prefetch("duties", queryset=DutyAssignment.objects.select_related("user")
                     .order_by("day", "shift", "pk")),
            Prefetch("reports", queryset=PeriodReport.objects.select_related("filed_by")))

    def _answer(self, period: MajorPeriod, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=period.pk)
        return Response(s.MajorPeriodSerializer(fresh, context={"request": self.request}).data,
                        status=code)

    @extend_schema(request=s.MajorPeriodInput, responses={201: s.MajorPeriodSerializer})
    def create(self, request: Request) -> Response:
        data = s.validated(s.MajorPeriodInput, request.data)
        contract = visible_contract(request, data.pop("contract"))
        return self._answer(periods.create_period(contract, actor(request), **data),
                            status.HTTP_201_CREATED)

    @extend_schema(request=s.DutyAssignmentInput, responses={201: s.MajorPeriodSerializer})
    @action(detail=True, methods=["post"])
    def duties(self, request: Request, pk: str) -> Response:
        period = self.get_object()
        data = s.validated(s.DutyAssignmentInput, request.data)
        periods.assign_duty(period, actor(request),
                            person=_person(data["user"]),  # type: ignore[arg-type]
                            day=data["day"], shift=data["shift"], place=data["place"])
        return self._answer(period, status.HTTP_201_CREATED)

    @extend_schema(request=s.PeriodReportInput, responses={201: s.MajorPeriodSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request: Request, pk: str) -> Response:
        period = self.get_object()
        data = s.validated(s.PeriodReportInput, request.data)
        periods.file_period_report(period, actor(request), title=data["title"],
                                   content=data["content"], document=data["document"])
        return self._answer(period, status.HTTP_201_CREATED)
