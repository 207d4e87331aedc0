"""``/api/assets/``, ``/api/asset-types/``, ``/api/asset-events/``, ``/api/certificates/``.

Every queryset is scoped to the caller (PLT-01); list queries are a fixed number whatever the
page size (select_related / prefetch_related)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assets import services
from weibao.assets.api.serializers import (
    AssetEventSerializer,
    AssetSerializer,
    AssetTypeSerializer,
    AssetWriteSerializer,
    CertificateSerializer,
    CertificateWriteSerializer,
    TransitionSerializer,
)
from weibao.assets.filtersets import (
    AssetEventFilterSet,
    AssetFilterSet,
    AssetTypeFilterSet,
    CertificateFilterSet,
)
from weibao.assets.models import Asset, AssetEvent, AssetType, Certificate
from weibao.assets.selectors import (
    visible_asset_types,
    visible_assets,
    visible_certificates,
    visible_events,
)
from weibao.contracts.selectors import visible_contracts
from weibao.core.api.mixins import AuditActorMixin
from weibao.core.api.permissions import RolePermission
from weibao.sites.models import Site

__all__ = ["AssetEventViewSet", "AssetTypeViewSet", "AssetViewSet", "CertificateViewSet"]


class _Requires(RolePermission):
    """An action's own model permission (the object is checked against the scoped queryset
    and again in the view for writes)."""

    def __init__(self, perm: str) -> None:
        self.perm = perm

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm(self.perm))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return True


class AssetTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Asset types of the caller's contracts (defined by the contract spec)."""

    queryset = AssetType.objects.all()
    serializer_class = AssetTypeSerializer
    filterset_class = AssetTypeFilterSet
    ordering_fields = ["code", "name", "order"]
    ordering = ["contract", "order", "code"]

    def get_queryset(self) -> QuerySet[AssetType]:
        return visible_asset_types(self.request.user).select_related(
            "contract", "parent").prefetch_related("kit_items__site_type")


class AssetViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Assets (AST-02); site staff see those of their own sites only."""

    queryset = Asset.objects.all()
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet
    ordering_fields = ["name", "code", "serial", "installed_on", "warranty_until", "status"]
    ordering = ["name", "pk"]

    def get_queryset(self) -> QuerySet[Asset]:
        return visible_assets(self.request.user).select_related("contract", "asset_type",
                                                                "site")

    def _resolve(self, data: dict[str, Any], contract_id: int) -> dict[str, Any]:
        """Ids to objects of the same contract; an id out of scope is 'not found'."""
        out = dict(data)
        out.pop("contract", None)
        lookups = {"asset_type": AssetType.objects.filter(contract_id=contract_id),
                   "site": Site.objects.filter(contract_id=contract_id),
                   "remote_site": Site.objects.filter(contract_id=contract_id),
                   "parent": Asset.objects.filter(contract_id=contract_id)}
        errors: dict[str, list[str]] = {}
        for name, queryset in lookups.items():
            if name in out and out[name] is not None:
                obj = queryset.filter(pk=out[name]).first()
                if obj is None:
                    errors[name] = [f"{out[name]} is not one of this contract."]
                out[name] = obj
        if errors:
            raise ValidationError(errors)
        return out

    @extend_schema(request=AssetWriteSerializer, responses={201: AssetSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AssetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = {k: ["This field is required."] for k in ("contract", "asset_type", "name")
                   if k not in data}
        if missing:
            raise ValidationError(missing)
        contract = get_object_or_404(visible_contracts(request.user), pk=data["contract"])
        if not request.user.has_perm("assets.add_asset", contract):
            raise PermissionDenied
        values = self._resolve(data, contract.pk)
        asset = services.create_asset(contract, services.AssetInput(**values), request.user)
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssetWriteSerializer, responses=AssetSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = self.get_object()
        serializer = AssetWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = self._resolve(dict(serializer.validated_data), asset.contract_id)
        asset = services.update_asset(asset, values, request.user)
        return Response(AssetSerializer(asset).data)

    @extend_schema(responses=AssetEventSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The asset's device archive; POST adds an entry (kind, occurred_at, summary)."""
        asset = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("assets.add_assetevent", asset):
                raise PermissionDenied
            serializer = AssetEventSerializer(data={**dict(request.data), "asset": asset.pk})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            event = services.record_asset_event(
                asset, data["kind"], data["occurred_at"], request.user, data["summary"],
                data.get("details"), data.get("source_kind", ""), data.get("source_id", ""))
            return Response(AssetEventSerializer(event).data, status=status.HTTP_201_CREATED)
        events = asset.events.select_related("actor")
        return Response(AssetEventSerializer(events, many=True).data)

    def get_permissions(self) -> list[Any]:
        if self.action == "events":
            return [_Requires("assets.view_assetevent")]
        return list(super().get_permissions())


class AssetEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The device archive across assets (read-only; entries are added per asset)."""

    queryset = AssetEvent.objects.all()
    serializer_class = AssetEventSerializer
    filterset_class = AssetEventFilterSet
    ordering_fields = ["occurred_at"]
    ordering = ["-occurred_at", "-pk"]

    def get_queryset(self) -> QuerySet[AssetEvent]:
        return visible_events(self.request.user).select_related("actor")


class CertificateViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Certificates and e-seals (AST-07); lifecycle changes via ``POST …/transition/``."""

    queryset = Certificate.objects.all()
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["expires_on", "holder", "issued_on"]
    ordering = ["expires_on", "pk"]

    def get_queryset(self) -> QuerySet[Certificate]:
        return visible_certificates(self.request.user).select_related("contract")

    @extend_schema(request=CertificateWriteSerializer, responses={201: CertificateSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CertificateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        contract = get_object_or_404(visible_contracts(request.user), pk=data.pop("contract"))
        if data.get("asset") is not None:
            data["asset"] = get_object_or_404(Asset.objects.filter(contract=contract),
                                              pk=data["asset"])
        certificate = services.create_certificate(contract, services.CertificateInput(**data),
                                                  request.user)
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    def get_permissions(self) -> list[Any]:
        if self.action == "transition":
            return [_Requires("assets.change_certificate")]
        return list(super().get_permissions())

    @extend_schema(request=TransitionSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        certificate = self.get_object()
        if not request.user.has_perm("assets.change_certificate", certificate):
            raise PermissionDenied
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.transition_certificate(
            certificate, serializer.validated_data["transition"], request.user,
            **serializer.to_service())
        return Response(CertificateSerializer(certificate).data)
