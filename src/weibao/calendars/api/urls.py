"""Routes of the calendars API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from weibao.calendars.api.views import CalendarViewSet, HolidaySetViewSet

__all__ = ["register_routes"]


def register_routes(router: BaseRouter) -> None:
    router.register("calendars", CalendarViewSet, basename="calendar")
    router.register("holiday-sets", HolidaySetViewSet, basename="holiday-set")
