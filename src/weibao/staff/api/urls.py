"""Routes of the staff API under ``/api/staff/``, registered on the project's router
(``api_urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import BaseRouter

from weibao.staff.api.views import (
    AttendanceDayViewSet,
    ChangeViewSet,
    CorrectionViewSet,
    DutyShiftViewSet,
    MemberViewSet,
)

__all__ = ["register_routes", "urlpatterns"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("staff/members", MemberViewSet, basename="staff-member")
    router.register("staff/attendance", AttendanceDayViewSet, basename="staff-attendance")
    router.register("staff/corrections", CorrectionViewSet, basename="staff-correction")
    router.register("staff/changes", ChangeViewSet, basename="staff-change")
    router.register("staff/duty", DutyShiftViewSet, basename="staff-duty")


urlpatterns: list[URLPattern] = []
