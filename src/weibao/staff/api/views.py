"""``/api/staff/…``: the team with its compliance (STF-01), personal data masked per caller
(STF-02, PLT-02), check-in and attendance with corrections (STF-04), personnel changes
(STF-05) and duty shifts. Reads are scoped to the caller's contracts: another contract's record
is a 404. Every write goes through a service."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.contracts.selectors import scope_to_user
from weibao.core.models import User
from weibao.maintenance.api.common import ActionPermission, actor, visible_contract
from weibao.staff.api import serializers as s
from weibao.staff.models import (
    AttendanceCorrection,
    AttendanceDay,
    DutyShift,
    Member,
    PersonnelChange,
)
from weibao.staff.selectors import contract_compliance, on_duty
from weibao.staff.services import add_duty_shift
from weibao.staff.services import attendance as attendance_services
from weibao.staff.services import changes as change_services

__all__ = ["AttendanceDayViewSet", "ChangeViewSet", "CorrectionViewSet", "DutyShiftViewSet",
           "MemberViewSet"]

_CONTRACT = OpenApiParameter("contract", str, description="The contract's number.")


def _contract_filter(request: Request, queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
    number = request.query_params.get("contract")
    return queryset.filter(**{f"{path}__number": number}) if number else queryset


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """团队成员 with certificates; phone and ID number in full only for the purchaser, the
    member's organisation and the member (``masked`` says which)."""

    serializer_class = s.StaffMemberSerializer
    permission_classes = [ActionPermission]
    default_permission = "staff.view_member"
    action_permissions = {"check_in": "staff.view_attendanceday",
                          "check_out": "staff.view_attendanceday"}
    ordering = ["contract", "name", "pk"]

    def get_queryset(self) -> QuerySet[Member]:
        queryset = scope_to_user(Member.objects.select_related("contract", "user", "personal")
                                 .prefetch_related("certificates"), self.request.user)
        return _contract_filter(self.request, queryset, "contract").order_by(*self.ordering)

    @extend_schema(parameters=[_CONTRACT], responses={200: dict})
    @action(detail=False, methods=["get"])
    def compliance(self, request: Request) -> Response:
        """Live compliance of the contract's team with each staffing rule of its spec."""
        contract = visible_contract(request, request.query_params.get("contract", ""))
        today = timezone.localdate()
        return Response([{"label": r.rule.label, "minimum": r.rule.minimum, "count": r.count,
                          "shortfall": r.shortfall, "ok": r.ok}
                         for r in contract_compliance(contract, today)])

    @extend_schema(request=s.StaffCheckInInput, responses={200: s.AttendanceDaySerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        data = s.StaffCheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = attendance_services.check_in(self.get_object(), actor(request),
                                           location=data.validated_data["location"])
        return Response(s.AttendanceDaySerializer(row).data)

    @extend_schema(request=None, responses={200: s.AttendanceDaySerializer})
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, pk: str) -> Response:
        row = attendance_services.check_out(self.get_object(), actor(request))
        return Response(s.AttendanceDaySerializer(row).data)


class AttendanceDayViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendance days of resident staff; ``?contract=&month=YYYY-MM``; ``monthly`` gives the
    rates; ``correct`` asks the purchaser to correct a day."""

    serializer_class = s.AttendanceDaySerializer
    permission_classes = [ActionPermission]
    default_permission = "staff.view_attendanceday"
    action_permissions = {"correct": "staff.add_attendancecorrection"}

    def get_queryset(self) -> QuerySet[AttendanceDay]:
        queryset = _contract_filter(self.request, scope_to_user(
            AttendanceDay.objects.select_related("member"), self.request.user,
            "member__contract"), "member__contract")
        month = self.request.query_params.get("month")
        if month:
            start = _month(month)
            end = (start + datetime.timedelta(days=32)).replace(day=1)
            queryset = queryset.filter(day__gte=start, day__lt=end)
        return queryset.order_by("day", "member__name", "pk")

    @extend_schema(parameters=[_CONTRACT, OpenApiParameter("month", str)],
                   responses={200: dict})
    @action(detail=False, methods=["get"])
    def monthly(self, request: Request) -> Response:
        """出勤率 of the month per resident and for the contract (working days, STF-04)."""
        contract = visible_contract(request, request.query_params.get("contract", ""))
        start = _month(request.query_params.get("month", ""))
        report = attendance_services.monthly_attendance(contract, start.year, start.month)
        return Response({
            "contract": contract.number, "start": report.start, "through": report.through,
            "due": report.due, "attended": report.attended, "rate": report.rate,
            "members": [{"member": m.member.pk, "name": m.member.name, "due": m.due,
                         "attended": m.attended, "absent": m.absent, "leave": m.leave,
                         "rate": m.rate} for m in report.members]})

    @extend_schema(request=s.AttendanceCorrectionInput,
                   responses={201: s.AttendanceCorrectionSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        data = s.AttendanceCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        day = get_object_or_404(self.get_queryset(), pk=pk)
        correction = attendance_services.request_correction(day, actor(request),
                                                            **data.validated_data)
        return Response(s.AttendanceCorrectionSerializer(correction).data,
                        status=status.HTTP_201_CREATED)


def _month(text: str) -> datetime.date:
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise ValidationError({"month": ["Use YYYY-MM. / 月份格式应为 YYYY-MM。"]}) from error


class CorrectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendance corrections; the purchaser ``decide``s ``{"approve": true|false}``."""

    serializer_class = s.AttendanceCorrectionSerializer
    permission_classes = [ActionPermission]
    default_permission = "staff.view_attendancecorrection"
    action_permissions = {"decide": "staff.confirm_attendancecorrection"}

    def get_queryset(self) -> QuerySet[AttendanceCorrection]:
        return _contract_filter(self.request, scope_to_user(
            AttendanceCorrection.objects.all(), self.request.user, "day__member__contract"),
            "day__member__contract").order_by("-created_at", "pk")

    @extend_schema(request=s.StaffDecisionInput, responses={200: s.AttendanceCorrectionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = s.StaffDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = attendance_services.decide_correction(
            self.get_object(), actor(request), confirm=data.validated_data["approve"])
        return Response(s.AttendanceCorrectionSerializer(decided).data)


class ChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Personnel changes: the vendor's requests (or the purchaser's demands), decisions and
    the end of the handover."""

    serializer_class = s.PersonnelChangeSerializer
    permission_classes = [ActionPermission]
    default_permission = "staff.view_personnelchange"
    action_permissions = {"decide": "staff.decide_personnelchange",
                          "complete": "staff.change_personnelchange"}

    def get_queryset(self) -> QuerySet[PersonnelChange]:
        return _contract_filter(self.request, scope_to_user(
            PersonnelChange.objects.select_related("contract"), self.request.user),
            "contract").order_by("-created_at", "pk")

    @extend_schema(request=s.PersonnelChangeInput, responses={201: s.PersonnelChangeSerializer})
    def create(self, request: Request) -> Response:
        data = s.PersonnelChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        contract = visible_contract(request, d["contract"])
        team = Member.objects.filter(contract=contract)
        change = change_services.request_change(
            contract, actor(request), leaving=get_object_or_404(team, pk=d["leaving"]),
            replacement=get_object_or_404(team, pk=d["replacement"]) if d["replacement"]
            else None, reason=d["reason"], effective_on=d["effective_on"],
            demanded_by_purchaser=d["demanded_by_purchaser"])
        return Response(s.PersonnelChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StaffDecisionInput, responses={200: s.PersonnelChangeSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = s.StaffDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = change_services.decide_change(self.get_object(), actor(request),
                                                **data.validated_data)
        return Response(s.PersonnelChangeSerializer(decided).data)

    @extend_schema(request=None, responses={200: s.PersonnelChangeSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        done = change_services.complete_change(self.get_object(), actor(request))
        return Response(s.PersonnelChangeSerializer(done).data)


class DutyShiftViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """值班计划: shifts ending from now on; ``now`` lists who is on duty for a contract."""

    serializer_class = s.DutyShiftSerializer
    permission_classes = [ActionPermission]
    default_permission = "staff.view_dutyshift"
    action_permissions = {"create": "staff.add_dutyshift"}

    def get_queryset(self) -> QuerySet[DutyShift]:
        return _contract_filter(self.request, scope_to_user(
            DutyShift.objects.select_related("contract", "user"), self.request.user),
            "contract").filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")

    @extend_schema(request=s.StaffDutyShiftInput, responses={201: s.DutyShiftSerializer})
    def create(self, request: Request) -> Response:
        data = s.StaffDutyShiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        contract = visible_contract(request, d["contract"])
        user = get_object_or_404(User.objects.filter(staff_memberships__contract=contract)
                                 .distinct(), username=d["user"])
        shift = add_duty_shift(contract, user, d["starts_at"], d["ends_at"])
        return Response(s.DutyShiftSerializer(shift).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[_CONTRACT], responses={200: dict})
    @action(detail=False, methods=["get"])
    def now(self, request: Request) -> Response:
        contract = visible_contract(request, request.query_params.get("contract", ""))
        return Response([{"username": u.username, "name": str(u)}
                         for u in on_duty(contract, timezone.now())])
