"""``/api/maintenance/…`` besides visits: checklists and plans (read-only: they come from the
contract spec), major events, engineers' districts, signed sheets (PDF download and digest
check) and coverage (PM-01..09). Everything is scoped to the caller's contracts (PLT-01)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user, visible_contracts
from weibao.core.api.mixins import AuditActorMixin
from weibao.maintenance.api.common import (
    ActionPermission,
    actor,
    vendor_engineer,
    visible_contract,
)
from weibao.maintenance.api.serializers import (
    AreasInput,
    ChecklistSerializer,
    CoverageSerializer,
    EngineerAreaSerializer,
    MajorEventChange,
    MajorEventInput,
    MajorEventSerializer,
    PlanSerializer,
    SheetDetailSerializer,
    SheetSerializer,
    VerifySerializer,
    validated,
)
from weibao.maintenance.filtersets import (
    ChecklistFilterSet,
    EngineerAreaFilterSet,
    MajorEventFilterSet,
    MonthField,
    PlanFilterSet,
    SheetFilterSet,
)
from weibao.maintenance.models import (
    ChecklistTemplate,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
    VisitSheet,
)
from weibao.maintenance.pdf import month_sheets_pdf, month_sheets_zip
from weibao.maintenance.schedule import day_bounds
from weibao.maintenance.selectors import coverage, month_bounds, visible_visits
from weibao.maintenance.services.events import change_major_event, withdraw_major_event
from weibao.maintenance.services.generation import record_major_event, set_engineer_areas
from weibao.maintenance.services.visits import verify_sheet
from weibao.sites.models import District

__all__ = ["ChecklistViewSet", "CoverageView", "EngineerAreaViewSet", "MajorEventViewSet",
           "PlanViewSet", "SheetViewSet"]


class ChecklistViewSet(viewsets.ReadOnlyModelViewSet):
    """检查表 with their items (PM-01); they change only through the contract spec."""

    queryset = ChecklistTemplate.objects.all()
    serializer_class = ChecklistSerializer
    filterset_class = ChecklistFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["contract", "code"]

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        queryset: QuerySet[ChecklistTemplate] = scope_to_user(
            ChecklistTemplate.objects.all(), self.request.user)
        return queryset.select_related("contract").prefetch_related("items")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Maintenance plans: what, how often, checklist, who does and signs, breach rule
    (PM-01..07, PM-09); they change only through the contract spec."""

    queryset = MaintenancePlan.objects.all()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["code", "name", "order", "frequency"]
    ordering = ["contract", "order", "code"]

    def get_queryset(self) -> QuerySet[MaintenancePlan]:
        queryset: QuerySet[MaintenancePlan] = scope_to_user(
            MaintenancePlan.objects.all(), self.request.user)
        return (queryset.select_related("contract", "checklist")
                .prefetch_related("site_types", "asset_types"))


_CONFLICT = {409: OpenApiResponse(description="A visit for the event has started "
                                             "(error format)")}


class MajorEventViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """重大活动 (PM-07): the purchaser or the vendor's manager records one; its
    ``before_event`` visits are planned at once. It may be changed (a new date re-plans its
    visits) or withdrawn while none of its visits started; after that: 409."""

    queryset = MajorEvent.objects.all()
    serializer_class = MajorEventSerializer
    filterset_class = MajorEventFilterSet
    ordering_fields = ["date", "name"]
    ordering = ["-date", "-pk"]
    permission_classes = [ActionPermission]
    default_permission = "maintenance.view_majorevent"
    action_permissions = {"create": "maintenance.add_majorevent",
                          "update": "maintenance.change_majorevent",
                          "partial_update": "maintenance.change_majorevent",
                          "destroy": "maintenance.delete_majorevent"}

    def get_queryset(self) -> QuerySet[MajorEvent]:
        queryset: QuerySet[MajorEvent] = scope_to_user(MajorEvent.objects.all(),
                                                       self.request.user)
        return queryset.select_related("contract", "created_by")

    @extend_schema(request=MajorEventInput, responses={201: MajorEventSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(MajorEventInput, request.data)
        contract = visible_contract(request, data["contract"])
        event = record_major_event(contract, actor(request), name=data["name"],
                                              date=data["date"], notes=data["notes"])
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(MajorEventSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MajorEventChange, responses={200: MajorEventSerializer, **_CONFLICT})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        given: Any = request.data
        if kwargs.get("partial"):
            given = {"name": event.name, "date": event.date, "notes": event.notes,
                     **(given.dict() if hasattr(given, "dict") else given)}
        data = validated(MajorEventChange, given)
        event = change_major_event(event, actor(request), name=data["name"], date=data["date"],
                                   notes=data["notes"])
        return Response(MajorEventSerializer(self.get_queryset().get(pk=event.pk)).data)

    @extend_schema(request=MajorEventChange, responses={200: MajorEventSerializer, **_CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, **_CONFLICT})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        withdraw_major_event(self.get_object(), actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EngineerAreaViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Engineers' districts: generated visits go to the engineers of the site's district.
    ``PUT …/engineer-areas/{engineer}/`` replaces one engineer's districts (managers)."""

    queryset = EngineerArea.objects.all()
    serializer_class = EngineerAreaSerializer
    filterset_class = EngineerAreaFilterSet
    ordering_fields = ["district", "engineer"]
    ordering = ["contract", "district__code", "engineer__username"]
    permission_classes = [ActionPermission]
    default_permission = "maintenance.view_engineerarea"
    action_permissions = {"update": "maintenance.add_engineerarea"}
    lookup_field = "engineer__username"
    lookup_url_kwarg = "engineer"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[EngineerArea]:
        queryset: QuerySet[EngineerArea] = scope_to_user(EngineerArea.objects.all(),
                                                         self.request.user)
        return queryset.select_related("contract", "engineer", "district")

    @extend_schema(request=AreasInput, responses={200: EngineerAreaSerializer(many=True)})
    def update(self, request: Request, engineer: str) -> Response:
        """Replace the engineer's districts in the contract."""
        data = validated(AreasInput, request.data)
        contract = visible_contract(request, data["contract"])
        person = vendor_engineer(contract, engineer)
        if person is None:
            raise ValidationError({"engineer": _("%(name)s is not an engineer of this "
                                                 "contract's vendor.") % {"name": engineer}})
        districts = list(District.objects.filter(contract=contract, code__in=data["districts"]))
        unknown = sorted(set(data["districts"]) - {d.code for d in districts})
        if unknown:
            raise ValidationError({"districts": _("%(codes)s: not a district of this "
                                                  "contract.") % {"codes": ", ".join(unknown)}})
        set_engineer_areas(contract, actor(request), person, districts)
        rows = self.get_queryset().filter(contract=contract, engineer=person)
        return Response(EngineerAreaSerializer(rows, many=True).data)


_MONTH_PARAMETERS = [
    OpenApiParameter("contract", OpenApiTypes.STR, required=True,
                     description="Contract number (or id)"),
    OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM")]


def _month_params(request: Request) -> tuple[Contract, int, int]:
    contract = _contract_param(request, request.query_params.get("contract", ""))
    try:
        year, month = MonthField().clean(request.query_params.get("month", ""))
    except (ValidationError, TypeError):
        raise ValidationError({"month": _("Enter a month as YYYY-MM, e.g. 2025-10.")}) from None
    return contract, year, month


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


class SheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Signed maintenance sheets (受理网点维护单, PM-02), every version; never changed."""

    queryset = VisitSheet.objects.all()
    serializer_class = SheetSerializer
    filterset_class = SheetFilterSet
    ordering_fields = ["created_at", "signed_at", "version"]
    ordering = ["-created_at", "-pk"]
    permission_classes = [ActionPermission]
    default_permission = "maintenance.view_visitsheet"
    action_permissions = {"month_zip": "maintenance.view_visitsheet",
                          "month_pdf": "maintenance.view_visitsheet"}

    def get_queryset(self) -> QuerySet[VisitSheet]:
        visits = visible_visits(self.request.user)
        return (VisitSheet.objects.filter(visit__in=visits)
                .select_related("visit", "created_by"))

    def get_serializer_class(self) -> Any:
        return SheetDetailSerializer if self.action == "retrieve" else SheetSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(
        description="The sheet's PDF, as signed (or as corrected, for a later version)")})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse:
        sheet = self.get_object()
        if not sheet.pdf:
            raise Http404
        visit = sheet.visit
        day = visit.completed_at or visit.window_start
        name = f"visit-{visit.pk}-{day:%Y%m%d}-v{sheet.version}.pdf"
        return FileResponse(sheet.pdf.open("rb"), as_attachment=True, filename=name,
                            content_type="application/pdf")

    @extend_schema(parameters=_MONTH_PARAMETERS, responses={
        (200, "application/zip"): OpenApiResponse(
            description="A PDF per visit due in the month (latest version) and an index")})
    @action(detail=False, methods=["get"], url_path="month-zip")
    def month_zip(self, request: Request) -> HttpResponse:
        """The month's signed sheets as one ZIP (seed 000 hands them in by the 21st)."""
        contract, year, month = _month_params(request)
        body = month_sheets_zip(contract, year, month, actor(request))
        return _attachment(body, "application/zip",
                           f"sheets-{contract.number}-{year}-{month:02d}.zip")

    @extend_schema(parameters=_MONTH_PARAMETERS, responses={
        (200, "application/pdf"): OpenApiResponse(
            description="The month's sheets in one PDF, a bookmark per sheet")})
    @action(detail=False, methods=["get"], url_path="month-pdf")
    def month_pdf(self, request: Request) -> HttpResponse:
        """The month's signed sheets as one PDF."""
        contract, year, month = _month_params(request)
        body = month_sheets_pdf(contract, year, month, actor(request))
        return _attachment(body, "application/pdf",
                           f"sheets-{contract.number}-{year}-{month:02d}.pdf")

    @extend_schema(responses={200: VerifySerializer})
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Recompute the stored PDF's digest and compare it with the recorded one."""
        sheet = self.get_object()
        return Response({"valid": verify_sheet(sheet), "digest": sheet.digest,
                         "algorithm": sheet.digest_algorithm})


_BY = ("district", "plan", "site_type")


class CoverageView(APIView):
    """PM-09 coverage of one contract over a month (``month=2025-10``) or a date range
    (``start``, ``end`` inclusive): visits due, done on time, late, missed and open, grouped
    ``by`` district, plan or site type, with a total row."""

    permission_classes = [ActionPermission]
    default_permission = "maintenance.view_visit"

    @extend_schema(
        parameters=[
            OpenApiParameter("contract", OpenApiTypes.STR, required=True,
                             description="Contract number (or id)"),
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Instead of a month"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Inclusive"),
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(_BY),
                             description="Grouping (default district)")],
        responses={200: CoverageSerializer})
    def get(self, request: Request) -> Response:
        params = request.query_params
        contract = _contract_param(request, params.get("contract", ""))
        by = params.get("by") or "district"
        errors: dict[str, str] = {}
        if by not in _BY:
            errors["by"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(_BY)}
        start, end = _period(params, errors)
        if errors:
            raise ValidationError(errors)
        assert start is not None and end is not None
        result = coverage(contract, start, end, by=by)
        return Response({"contract": contract.number, "start": start, "end": end, "by": by,
                         "rows": [_row(row) for row in result.rows],
                         "total": _row(result.total)})


def _contract_param(request: Request, value: str) -> Contract:
    if not value:
        raise ValidationError({"contract": _("Name the contract (its number).")})
    contracts = visible_contracts(request.user)
    found = contracts.filter(number=value).first()
    if found is None and value.isdigit():
        found = contracts.filter(pk=int(value)).first()
    if found is None:
        raise Http404
    return found


def _period(params: Any, errors: dict[str, str]) -> tuple[Any, Any]:
    month = params.get("month", "")
    if month:
        try:
            year_month = MonthField().clean(month)
        except ValidationError as exc:
            errors["month"] = " ".join(exc.messages)
            return None, None
        return month_bounds(*year_month)
    start_text = params.get("start", "")
    end_text = params.get("end", "")
    if not start_text or not end_text:
        errors["month"] = _("Give a month (YYYY-MM) or a start and an end date.")
        return None, None
    try:
        first = datetime.date.fromisoformat(start_text)
        last = datetime.date.fromisoformat(end_text)
    except ValueError:
        errors["start"] = _("Enter dates as YYYY-MM-DD.")
        return None, None
    if last < first:
        errors["end"] = _("The end must not be before the start.")
        return None, None
    return day_bounds(first)[0], day_bounds(last)[1]


def _row(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in
            ("key", "label", "due", "done_on_time", "late", "missed", "open", "breaches",
             "done", "rate", "done_rate")}

