"""``/api/spare-parts/…``: part types, warehouses, the ledger and compliance, scoped to the
user's contracts (PLT-01). Refusals use the API's error format: 409 when the stock or a
budget cap does not allow the movement, 400 for invalid input."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.contracts.selectors import visible_contracts
from weibao.core.api.mixins import AuditActorMixin
from weibao.spares import selectors, services
from weibao.spares.api.serializers import (
    MovementCreateSerializer,
    MovementSerializer,
    PartTypeSerializer,
    WarehouseSerializer,
)
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.filtersets import MovementFilterSet, PartTypeFilterSet, WarehouseFilterSet
from weibao.spares.models import PartType, StockMovement, Warehouse

__all__ = ["ComplianceViewSet", "MovementViewSet", "PartTypeViewSet", "WarehouseViewSet"]


class PartTypeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartType.objects.all()
    serializer_class = PartTypeSerializer
    filterset_class = PartTypeFilterSet
    ordering_fields = ["code", "name"]

    def get_queryset(self) -> QuerySet[PartType]:
        return selectors.visible(PartType, self.request.user)


class WarehouseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Warehouse.objects.all()
    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilterSet
    ordering_fields = ["code", "name"]

    def get_queryset(self) -> QuerySet[Warehouse]:
        return selectors.visible(Warehouse, self.request.user).select_related("site")


class MovementViewSet(AuditActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The stock ledger; POST records a movement through the services (SPR-02, SPR-03)."""

    queryset = StockMovement.objects.all()
    serializer_class = MovementSerializer
    filterset_class = MovementFilterSet
    ordering_fields = ["occurred_at", "quantity", "amount"]

    def get_queryset(self) -> QuerySet[StockMovement]:
        return selectors.visible(StockMovement, self.request.user)

    def get_serializer_class(self) -> Any:
        return MovementCreateSerializer if self.action == "create" else MovementSerializer

    @extend_schema(request=MovementCreateSerializer, responses={
        201: MovementSerializer,
        400: OpenApiResponse(description="Invalid input (error format)"),
        409: OpenApiResponse(description="Not enough stock, or beyond a budget cap without "
                                         "a proposal reference (error format)")})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = MovementCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind, user = data["kind"], request.user
        common = {"warehouse": data["warehouse"], "part_type": data["part_type"],
                  "actor": user, "occurred_at": data.get("occurred_at"),
                  "reason": data.get("reason", "")}
        condition = data.get("condition", Condition.NEW)
        if kind == MovementKind.RECEIVE:
            movement = services.receive(quantity=data["quantity"], condition=condition,
                                        unit_cost=data.get("unit_cost"),
                                        reference_kind=data.get("reference_kind", ""),
                                        reference_id=data.get("reference_id", ""), **common)
        elif kind == MovementKind.ISSUE:
            movement = services.issue(
                quantity=data["quantity"], condition=condition,
                reference_kind=data.get("reference_kind") or ReferenceKind.OTHER,
                reference_id=data.get("reference_id", ""),
                proposal_reference=data.get("proposal_reference", ""), **common)
        elif kind == MovementKind.RETURN_FAULTY:
            movement = services.return_faulty(quantity=data["quantity"],
                                              reference_kind=data.get("reference_kind", ""),
                                              reference_id=data.get("reference_id", ""),
                                              **common)
        elif kind == MovementKind.SCRAP:
            movement = services.scrap(quantity=data["quantity"],
                                      condition=data.get("condition", Condition.FAULTY),
                                      **common)
        elif kind == "transfer":
            movement, _into = services.transfer(
                source=data["warehouse"], destination=data["destination"],
                part_type=data["part_type"], quantity=data["quantity"], condition=condition,
                actor=user, occurred_at=data.get("occurred_at"),
                reason=data.get("reason", ""))
        else:
            movement = services.adjust(condition=condition, delta=data["quantity"], **common)
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class ComplianceViewSet(viewsets.ViewSet):
    """SPR-01 per contract: required stock, new parts on hand, shortfall, per part type."""

    required_permission = "spares.view_stockmovement"

    @staticmethod
    def _body(contract: Any) -> dict[str, Any]:
        return {"contract": contract.pk, "number": contract.number, "part_types": [
            {"part_type": row.part_type.pk, "code": row.part_type.code,
             "name": row.part_type.name, "required": row.required, "on_hand": row.on_hand,
             "shortfall": row.shortfall, "status": str(row.status.value)}
            for row in selectors.compliance(contract)]}

    def _contracts(self) -> QuerySet[Any]:
        return visible_contracts(self.request.user).filter(
            pk__in=PartType.objects.values("contract_id")).order_by("number")

    @extend_schema(responses={200: OpenApiResponse(description="Compliance of each of the "
                                                               "user's contracts")})
    def list(self, request: Request) -> Response:
        return Response([self._body(c) for c in self._contracts()])

    @extend_schema(responses={200: OpenApiResponse(description="Compliance of one contract "
                                                               "(id = the contract's id)")})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._body(get_object_or_404(visible_contracts(request.user),
                                                     pk=pk)))
