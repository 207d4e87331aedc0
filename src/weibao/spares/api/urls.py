"""Routes of the spares API, registered on the project's router (``api_urls.py``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from weibao.spares.api.views import (
    ComplianceViewSet,
    MovementViewSet,
    PartTypeViewSet,
    WarehouseViewSet,
)

__all__ = ["register_routes"]


def register_routes(router: BaseRouter) -> None:
    """Register this app's viewsets."""
    router.register("spare-parts/part-types", PartTypeViewSet, basename="spare-part-type")
    router.register("spare-parts/warehouses", WarehouseViewSet, basename="spare-warehouse")
    router.register("spare-parts/movements", MovementViewSet, basename="spare-movement")
    router.register("spare-parts/compliance", ComplianceViewSet, basename="spare-compliance")
