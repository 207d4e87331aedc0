"""Routes of the imports API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from weibao.imports.api.views import ImportJobViewSet

__all__ = ["register_routes"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("imports", ImportJobViewSet, basename="import-job")
