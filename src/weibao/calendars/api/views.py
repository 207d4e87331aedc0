"""``/api/calendars/`` and ``/api/holiday-sets/``. Views parse, call a service, answer."""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.calendars import services
from weibao.calendars.api.serializers import (
    CalendarDetailSerializer,
    CalendarSerializer,
    ComputeSerializer,
    HolidayDaySerializer,
    HolidaySetSerializer,
    HolidayYearSerializer,
    YearImportSerializer,
)
from weibao.calendars.explain import day_reason
from weibao.calendars.filtersets import CalendarFilterSet
from weibao.calendars.models import HolidaySet, WorkCalendar
from weibao.calendars.selectors import (
    calendar_engine,
    compute_due,
    compute_elapsed,
    grid_kind,
    visible_calendars,
)
from weibao.calendars.worktime import CalendarError, DayNote, Unit
from weibao.core.api.errors import error_body
from weibao.core.api.mixins import AuditActorMixin

__all__ = ["CalendarViewSet", "HolidaySetViewSet"]

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Year, e.g. 2025 (default: "
                        "this year).")


def _year(request: Request) -> int:
    text = request.query_params.get("year") or str(datetime.date.today().year)
    if not text.isdigit() or not 1900 <= int(text) <= 2200:
        raise _BadInput({"year": ["Give a year between 1900 and 2200."]})
    return int(text)


class _BadInput(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


def _calendar_error(exc: CalendarError) -> Response:
    return Response(error_body(str(exc), "calendar_error"), status=400)


def _note(note: DayNote) -> dict[str, Any]:
    return {"date": note.day.isoformat(), "kind": note.kind.value, "working": note.working,
            "name": note.name, "reason": day_reason(note)}


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/" \
        f"{value.denominator}"


class CalendarViewSet(viewsets.ReadOnlyModelViewSet):
    """Working calendars: national ones for everyone, a contract's own for its parties only."""

    queryset = WorkCalendar.objects.all()
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9][a-z0-9-]*"
    filterset_class = CalendarFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    @property
    def required_permission(self) -> str | None:
        # compute is a question, not a write: viewing the calendar is enough.
        return "calendars.view_workcalendar" if self.action in {"compute", "days"} else None

    def get_queryset(self) -> QuerySet[WorkCalendar]:
        queryset = visible_calendars(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("days")
        return queryset

    def _calendar(self, code: str | None) -> WorkCalendar:
        # Scoped lookup only: these actions are reads whatever their HTTP method.
        return get_object_or_404(self.get_queryset(), code=code)

    def get_serializer_class(self) -> Any:
        return CalendarDetailSerializer if self.action == "retrieve" else CalendarSerializer

    @extend_schema(parameters=[YEAR], responses={200: OpenApiResponse(
        description="Every day of the year: type, working hours, name, provisional")})
    @action(detail=True, methods=["get"])
    def days(self, request: Request, code: str | None = None) -> Response:
        calendar = self._calendar(code)
        try:
            year = _year(request)
            engine = calendar_engine(calendar.code)
        except _BadInput as exc:
            return Response(error_body("Invalid year.", "invalid", exc.errors), status=400)
        except CalendarError as exc:
            return _calendar_error(exc)
        if not engine.first_year <= year <= engine.last_year:
            return _calendar_error(CalendarError(
                f"no calendar data for {year}: {calendar.code} covers "
                f"{engine.first_year}..{engine.last_year}"))
        day, out = datetime.date(year, 1, 1), []
        while day.year == year:
            note = engine.day_note(day)
            out.append({
                "date": day.isoformat(), "type": grid_kind(note).value, "working": note.working,
                "name": note.name, "segments": [
                    f"{a:%H:%M}-{'24:00' if b.date() > day else format(b, '%H:%M')}"
                    for a, b in engine.working_segments(day)],
            })
            day += datetime.timedelta(days=1)
        return Response({"calendar": calendar.code, "year": year,
                         "provisional": year in engine.provisional_years, "days": out})

    @extend_schema(request=ComputeSerializer, responses={200: OpenApiResponse(
        description="{due, provisional, explanation} or {elapsed, provisional, explanation}")})
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, code: str | None = None) -> Response:
        """``{"start", "amount", "unit"}`` -> due time; ``{"start", "end", "unit"}`` -> elapsed."""
        calendar = self._calendar(code)
        serializer = ComputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = Unit(data["unit"])
        try:
            if "amount" in data:
                result = compute_due(calendar.code, data["start"], data["amount"], unit)
                body: dict[str, Any] = {"due": result.value.isoformat()}
            else:
                elapsed = compute_elapsed(calendar.code, data["start"], data["end"], unit)
                body = {"elapsed": float(elapsed.value), "elapsed_exact": _fraction(
                    elapsed.value)}
                result = elapsed  # type: ignore[assignment]
        except CalendarError as exc:
            return _calendar_error(exc)
        return Response({"calendar": calendar.code, "unit": unit.value, **body,
                         "provisional": result.provisional,
                         "explanation": [_note(n) for n in result.explanation]})


class HolidaySetViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    """Holiday sets (e.g. ``cn``), their years and days; administrators enter new years."""

    queryset = HolidaySet.objects.prefetch_related("years")
    serializer_class = HolidaySetSerializer
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9][a-z0-9-]*"
    filterset_class = None
    ordering = ["code"]

    @property
    def required_permission(self) -> str | None:
        if self.action in {"years", "days"}:
            return "calendars.view_holidayset"
        return None

    @extend_schema(request=YearImportSerializer, responses=HolidayYearSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def years(self, request: Request, code: str | None = None) -> Response:
        holiday_set = get_object_or_404(HolidaySet, code=code)
        if request.method == "POST":
            if not request.user.has_perm("calendars.add_holidayyear"):
                raise PermissionDenied
            serializer = YearImportSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            try:
                row = services.import_holiday_year(
                    holiday_set, data["year"], data["text"], status=data["status"],
                    source=data["source"], replace=data["replace"],
                    filename=f"year.{data['file_format']}", actor=request.user)
            except services.YearFileInvalid as exc:
                return Response(error_body(
                    "The year was not entered; nothing was written.", "year_invalid",
                    {"text": [e.message() for e in exc.errors]},
                    line_errors=[{"line": e.line, "code": e.code, "message": e.message(),
                                  "message_zh": e.message("zh-hans"),
                                  "message_en": e.message("en")} for e in exc.errors]),
                    status=400)
            row.day_count = holiday_set.days.filter(  # type: ignore[attr-defined]
                date__year=row.year).count()
            return Response(HolidayYearSerializer(row).data, status=201)
        counts = dict(holiday_set.days.values_list("date__year")
                      .annotate(n=Count("pk")).values_list("date__year", "n"))
        rows = list(holiday_set.years.order_by("year"))
        for row in rows:
            row.day_count = counts.get(row.year, 0)  # type: ignore[attr-defined]
        return Response(HolidayYearSerializer(rows, many=True).data)

    @extend_schema(parameters=[YEAR], responses=HolidayDaySerializer(many=True))
    @action(detail=True, methods=["get"])
    def days(self, request: Request, code: str | None = None) -> Response:
        holiday_set = get_object_or_404(HolidaySet, code=code)
        try:
            year = _year(request)
        except _BadInput as exc:
            return Response(error_body("Invalid year.", "invalid", exc.errors), status=400)
        get_object_or_404(holiday_set.years, year=year)
        days = holiday_set.days.filter(date__year=year)
        return Response(HolidayDaySerializer(days, many=True).data)
