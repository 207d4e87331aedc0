"""Routes of the sites API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from weibao.sites.api.views import AreaClassViewSet, DistrictViewSet, SiteTypeViewSet, SiteViewSet

__all__ = ["register_routes"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("sites", SiteViewSet, basename="site")
    router.register("site-districts", DistrictViewSet, basename="site-district")
    router.register("site-area-classes", AreaClassViewSet, basename="site-area-class")
    router.register("site-types", SiteTypeViewSet, basename="site-type")
