"""``/api/maintenance/visits/``: the visits the caller may see, with the shared filters, and
each step of doing one as its own endpoint (PM-01..09):

- engineers: ``check-in``, ``results`` (partial answers), ``photos`` (multipart), ``parts``,
  ``open-ticket`` (PM-08), ``submit`` (signature, ``Idempotency-Key``), ``correct``;
- managers: ``POST /visits/`` (a visit by hand, e.g. for an on_demand plan), ``move``,
  ``reassign``, ``cancel``.

Each step calls its service and answers the updated visit (``submit`` and ``correct``: the
new sheet). ``version`` in the body (or ``If-Match``) is the version the caller read: a
stale one answers 409 with the current version; so does a step the visit's state does not
allow. Another contract's visit is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.core.api.mixins import AuditActorMixin
from weibao.maintenance.api.common import ActionPermission
from weibao.maintenance.api.serializers import VisitDetailSerializer, VisitSerializer
from weibao.maintenance.filtersets import VisitFilterSet
from weibao.maintenance.models import (
    ChecklistItem,
    Visit,
    VisitPhoto,
    VisitResult,
    VisitSheet,
)
from weibao.maintenance.selectors import visible_visits

__all__ = ["ERRORS", "IF_MATCH", "VisitReadViewSet"]

_PERFORM = "maintenance.perform_visit"
_PLAN = "maintenance.plan_visit"

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The visit version you read, when the body has no version")
ERRORS = {400: OpenApiResponse(description="Invalid input (error format, by field)"),
          409: OpenApiResponse(description="Stale version or a step the visit's state "
                                           "does not allow (error format, with version)")}


class VisitReadViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Visits of the caller's contracts (PLT-01); site staff see their own sites' visits.
    The steps are added by ``visit_work`` (engineers) and ``visit_planning`` (managers)."""

    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    ordering_fields = ["window_start", "window_end", "planned_for", "status", "completed_at"]
    ordering = ["window_start", "pk"]
    permission_classes = [ActionPermission]
    default_permission = "maintenance.view_visit"
    action_permissions = {
        "create": "maintenance.add_visit",
        "check_in": _PERFORM, "results": _PERFORM, "photos": _PERFORM, "parts": _PERFORM,
        "open_ticket": _PERFORM, "submit": _PERFORM, "correct": "maintenance.change_visit",
        "move": _PLAN, "reassign": _PLAN, "cancel": _PLAN,
        "photo": "maintenance.view_visitphoto",
    }

    def get_queryset(self) -> QuerySet[Visit]:
        queryset = visible_visits(self.request.user).select_related(
            "contract", "plan", "site__district", "asset", "assignee", "completed_by")
        if self.action != "list":
            queryset = queryset.select_related("plan__checklist").prefetch_related(
                Prefetch("plan__checklist__items", ChecklistItem.objects.order_by("order",
                                                                                  "pk")),
                Prefetch("results", VisitResult.objects.select_related("ticket")),
                Prefetch("photos", VisitPhoto.objects.select_related("uploaded_by")),
                Prefetch("sheets", VisitSheet.objects.select_related("created_by")))
        return queryset

    def get_serializer_class(self) -> Any:
        return VisitSerializer if self.action == "list" else VisitDetailSerializer

    def _answer(self, visit: Visit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitDetailSerializer(fresh).data, status=code)


    @extend_schema(responses={(200, "image/jpeg"): OpenApiResponse(description="The photo")})
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)",
            url_name="photo")
    def photo(self, request: Request, pk: str | None = None,
              photo_pk: str | None = None) -> FileResponse:
        visit = self.get_object()
        photo = get_object_or_404(visit.photos.all(), pk=photo_pk)
        name = (photo.image.name or "").rsplit("/", 1)[-1]
        return FileResponse(photo.image.open("rb"), filename=name)
