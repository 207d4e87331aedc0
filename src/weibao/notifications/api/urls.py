"""Routes of the notifications API under ``/api/notifications/``, registered on the project's
router (``api_urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import BaseRouter

from weibao.notifications.api.views import (
    ChannelViewSet,
    DeliveryViewSet,
    NotificationViewSet,
    PreferenceViewSet,
)

__all__ = ["register_routes", "urlpatterns"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets (the more specific prefixes before the centre's)."""
    router.register("notifications/preferences", PreferenceViewSet,
                    basename="notification-preference")
    router.register("notifications/deliveries", DeliveryViewSet,
                    basename="notification-delivery")
    router.register("notifications/channels", ChannelViewSet, basename="notification-channel")
    router.register("notifications", NotificationViewSet, basename="notification")


urlpatterns: list[URLPattern] = []
