"""Routes of the emergency API under ``/api/emergency/``, registered on the project's router
(``api_urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import BaseRouter

from weibao.emergency.api.views import (
    DrillRuleViewSet,
    DrillViewSet,
    IncidentViewSet,
    PeriodViewSet,
    PlanViewSet,
)

__all__ = ["register_routes", "urlpatterns"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("emergency/plans", PlanViewSet, basename="emergency-plan")
    router.register("emergency/drill-rules", DrillRuleViewSet, basename="emergency-drill-rule")
    router.register("emergency/drills", DrillViewSet, basename="emergency-drill")
    router.register("emergency/incidents", IncidentViewSet, basename="emergency-incident")
    router.register("emergency/periods", PeriodViewSet, basename="emergency-period")


urlpatterns: list[URLPattern] = []
