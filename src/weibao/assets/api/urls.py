"""Routes of the assets API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from weibao.assets.api.views import (
    AssetEventViewSet,
    AssetTypeViewSet,
    AssetViewSet,
    CertificateViewSet,
)

__all__ = ["register_routes"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("assets", AssetViewSet, basename="asset")
    router.register("asset-types", AssetTypeViewSet, basename="asset-type")
    router.register("asset-events", AssetEventViewSet, basename="asset-event")
    router.register("certificates", CertificateViewSet, basename="certificate")
