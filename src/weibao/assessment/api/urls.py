"""Routes of the assessment API under ``/api/assessment/``, registered on the project's
router (``api_urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import BaseRouter

from weibao.assessment.api.actions import BreachActions
from weibao.assessment.api.cycle import AssessmentActions, LineActions
from weibao.assessment.api.views import SchemeViewSet

__all__ = ["BreachViewSet", "register_routes", "urlpatterns"]


class BreachViewSet(BreachActions):
    """``/api/assessment/breaches/``: the ledger and its steps."""


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("assessment/schemes", SchemeViewSet, basename="assessment-scheme")
    router.register("assessment/breaches", BreachViewSet, basename="assessment-breach")
    router.register("assessment/assessments", AssessmentActions,
                    basename="assessment-assessment")
    router.register("assessment/lines", LineActions, basename="assessment-line")


urlpatterns: list[URLPattern] = []
