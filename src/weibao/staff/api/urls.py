"""Routes of the staff API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import BaseRouter

__all__ = ["register_routes", "urlpatterns"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""


urlpatterns: list[URLPattern] = []
