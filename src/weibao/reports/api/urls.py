"""Routes of the deliverables API under ``/api/reports/``, registered on the project's
router (``api_urls.py``); the calendar is a plain view (``urlpatterns``)."""

from __future__ import annotations

from django.urls import URLPattern, path
from rest_framework.routers import BaseRouter

from weibao.reports.api.actions import SubmissionActions
from weibao.reports.api.views import CalendarView, DeliverableViewSet, JobViewSet

__all__ = ["SubmissionViewSet", "register_routes", "urlpatterns"]


class SubmissionViewSet(SubmissionActions):
    """``/api/reports/submissions/``: reading submissions and their files, and the
    workflow's steps."""


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("reports/deliverables", DeliverableViewSet, basename="report-deliverable")
    router.register("reports/submissions", SubmissionViewSet, basename="report-submission")
    router.register("reports/jobs", JobViewSet, basename="report-job")


urlpatterns: list[URLPattern] = [
    path("reports/calendar/", CalendarView.as_view(), name="report-calendar"),
]
