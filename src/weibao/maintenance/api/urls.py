"""Routes of the maintenance API under ``/api/maintenance/``, registered on the project's
router (``api_urls.py``); the coverage report is a plain view (``urlpatterns``)."""

from __future__ import annotations

from django.urls import URLPattern, path
from rest_framework.routers import BaseRouter

from weibao.maintenance.api.views import (
    ChecklistViewSet,
    CoverageView,
    EngineerAreaViewSet,
    MajorEventViewSet,
    PlanViewSet,
    SheetViewSet,
)
from weibao.maintenance.api.visit_planning import VisitPlanning
from weibao.maintenance.api.visit_work import VisitWork

__all__ = ["VisitViewSet", "register_routes", "urlpatterns"]


class VisitViewSet(VisitPlanning, VisitWork):
    """``/api/maintenance/visits/``: reading visits, the engineer's steps and the manager's
    planning."""


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("maintenance/visits", VisitViewSet, basename="maintenance-visit")
    router.register("maintenance/sheets", SheetViewSet, basename="maintenance-sheet")
    router.register("maintenance/plans", PlanViewSet, basename="maintenance-plan")
    router.register("maintenance/checklists", ChecklistViewSet,
                    basename="maintenance-checklist")
    router.register("maintenance/major-events", MajorEventViewSet,
                    basename="maintenance-major-event")
    router.register("maintenance/engineer-areas", EngineerAreaViewSet,
                    basename="maintenance-engineer-area")


urlpatterns: list[URLPattern] = [
    path("maintenance/coverage/", CoverageView.as_view(), name="maintenance-coverage"),
]
