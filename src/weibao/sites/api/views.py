"""``/api/sites/``, ``/api/site-districts/``, ``/api/site-area-classes/``, ``/api/site-types/``.

Scoped to the caller's contracts (PLT-01); site staff see only their organisation's sites.
Writes call the services; errors use the API's one format ``{message, code, errors}``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.contracts.models import Contract
from weibao.core.api.mixins import AuditActorMixin
from weibao.sites import services
from weibao.sites.api.serializers import (
    AreaClassSerializer,
    DistrictSerializer,
    SiteSerializer,
    SiteTypeSerializer,
)
from weibao.sites.choices import SiteStatus
from weibao.sites.filtersets import (
    AreaClassFilterSet,
    DistrictFilterSet,
    SiteFilterSet,
    SiteTypeFilterSet,
)
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.sites.selectors import (
    visible_area_classes,
    visible_districts,
    visible_site_types,
    visible_sites,
)

__all__ = ["AreaClassViewSet", "DistrictViewSet", "SiteTypeViewSet", "SiteViewSet"]


class _ContractRecordViewSet(AuditActorMixin, viewsets.ModelViewSet, ABC):
    """CRUD of one contract-owned model; writes through ``save`` below."""

    ordering = ["contract", "order", "code"]
    ordering_fields = ["code", "name", "order"]

    def _contract_for_write(self, serializer: Any) -> Contract:
        contract: Contract = (serializer.instance.contract if serializer.instance is not None
                              else serializer.validated_data["contract"])
        perm = "add" if serializer.instance is None else "change"
        model_name = type(self).queryset.model._meta.model_name  # type: ignore[union-attr]
        if not self.request.user.has_perm(f"sites.{perm}_{model_name}", contract):
            raise PermissionDenied
        return contract

    @abstractmethod
    def save_record(self, contract: Contract, data: dict[str, Any], instance: Any) -> Any:
        """Create (``instance`` None) or update the record through its service."""

    def perform_create(self, serializer: Any) -> None:
        contract = self._contract_for_write(serializer)
        serializer.instance = self.save_record(contract, dict(serializer.validated_data), None)

    def perform_update(self, serializer: Any) -> None:
        contract = self._contract_for_write(serializer)
        data = {f: getattr(serializer.instance, f) for f in serializer.fields
                if hasattr(serializer.instance, f) and not serializer.fields[f].read_only}
        data.update(serializer.validated_data)
        serializer.instance = self.save_record(contract, data, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        services.delete_object(instance, actor=self.request.user)


class AreaClassViewSet(_ContractRecordViewSet):
    """Area classes (区域类别, SITE-02) of the caller's contracts."""

    queryset = AreaClass.objects.all()
    serializer_class = AreaClassSerializer
    filterset_class = AreaClassFilterSet

    def get_queryset(self) -> QuerySet[AreaClass]:
        return visible_area_classes(self.request.user)

    def save_record(self, contract: Contract, data: dict[str, Any], instance: Any) -> Any:
        return services.save_area_class(contract, code=data["code"], name=data["name"],
                                        order=data.get("order"), area_class=instance,
                                        actor=self.request.user)


class SiteTypeViewSet(_ContractRecordViewSet):
    """Site types (网点类型, SITE-01) of the caller's contracts."""

    queryset = SiteType.objects.all()
    serializer_class = SiteTypeSerializer
    filterset_class = SiteTypeFilterSet

    def get_queryset(self) -> QuerySet[SiteType]:
        return visible_site_types(self.request.user)

    def save_record(self, contract: Contract, data: dict[str, Any], instance: Any) -> Any:
        return services.save_site_type(contract, code=data["code"], name=data["name"],
                                       order=data.get("order"), site_type=instance,
                                       actor=self.request.user)


class DistrictViewSet(_ContractRecordViewSet):
    """Districts (区县) and their area classes (SITE-02) of the caller's contracts."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilterSet

    def get_queryset(self) -> QuerySet[District]:
        return visible_districts(self.request.user)

    def save_record(self, contract: Contract, data: dict[str, Any], instance: Any) -> Any:
        return services.save_district(contract, code=data["code"], name=data["name"],
                                      area_class=data.get("area_class"),
                                      order=data.get("order"), district=instance,
                                      actor=self.request.user)


class BulkEditSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    sites = serializers.ListField(child=serializers.IntegerField(), min_length=1,
                                  max_length=5000)
    status = serializers.ChoiceField(choices=SiteStatus.choices, required=False)
    district = serializers.IntegerField(required=False)
    site_type = serializers.IntegerField(required=False)


class SiteViewSet(_ContractRecordViewSet):
    """Sites (网点/机房/场所, SITE-01) of the caller's contracts; site staff see their own."""

    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet
    ordering = ["contract", "code"]
    ordering_fields = ["code", "name", "status"]

    def get_queryset(self) -> QuerySet[Site]:
        return visible_sites(self.request.user)

    def save_record(self, contract: Contract, data: dict[str, Any], instance: Any) -> Any:
        fields = services.SiteInput.__dataclass_fields__
        return services.save_site(
            contract, services.SiteInput(**{k: v for k, v in data.items() if k in fields}),
            site=instance, actor=self.request.user)

    @extend_schema(request=BulkEditSerializer,
                   responses={200: {"type": "object", "properties": {
                       "changed": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="bulk-edit")
    def bulk_edit(self, request: Request) -> Response:
        """Set status / district / site type of many sites of one contract at once."""
        serializer = BulkEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        from django.shortcuts import get_object_or_404

        from weibao.contracts.selectors import visible_contracts

        contract = get_object_or_404(visible_contracts(request.user), pk=data["contract"])
        if not request.user.has_perm("sites.change_site", contract):
            raise PermissionDenied
        sites = list(self.get_queryset().filter(contract=contract, pk__in=data["sites"]))
        if len(sites) != len(set(data["sites"])):
            raise serializers.ValidationError(
                {"sites": ["Some selected sites do not belong to this contract."]})
        change = services.BulkEdit(
            status=data.get("status"),
            district=(get_object_or_404(District, contract=contract, pk=data["district"])
                      if data.get("district") else None),
            site_type=(get_object_or_404(SiteType, contract=contract, pk=data["site_type"])
                       if data.get("site_type") else None))
        changed = services.bulk_edit_sites(contract, sites, change, actor=request.user)
        return Response({"changed": changed}, status=status.HTTP_200_OK)
