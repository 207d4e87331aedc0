"""Serializers of the assets API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from weibao.assets.choices import (
    AssetStatus,
    CertificateKind,
    Importance,
    WarrantyState,
)
from weibao.assets.models import Asset, AssetEvent, AssetType, Certificate, KitItem

__all__ = ["AssetEventSerializer", "AssetSerializer", "AssetTypeSerializer",
           "AssetWriteSerializer", "CertificateSerializer", "CertificateWriteSerializer",
           "TransitionSerializer"]


class KitItemSerializer(serializers.ModelSerializer):
    site_type = serializers.CharField(source="site_type.code")

    class Meta:
        model = KitItem
        fields = ["site_type", "quantity"]


class AssetTypeSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", default=None, read_only=True)
    kits = KitItemSerializer(source="kit_items", many=True, read_only=True)

    class Meta:
        model = AssetType
        fields = ["id", "contract", "code", "name", "category", "parent",
                  "attribute_definitions", "kits"]


class AssetSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    contract_id = serializers.IntegerField(read_only=True)
    asset_type = serializers.CharField(source="asset_type.code", read_only=True)
    asset_type_name = serializers.CharField(source="asset_type.name", read_only=True)
    site = serializers.CharField(source="site.code", default=None, read_only=True)
    site_name = serializers.CharField(source="site.name", default=None, read_only=True)
    current_warranty_state = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "contract", "contract_id", "asset_type", "asset_type_name", "site",
                  "site_name", "name", "code", "brand", "model", "serial", "quantity",
                  "purchased_on", "installed_on", "warranty_until", "warranty_state",
                  "current_warranty_state", "status", "importance", "parent_id",
                  "remote_site_id", "location", "attributes", "last_verified_at", "notes",
                  "created_at", "updated_at"]

    def get_current_warranty_state(self, obj: Asset) -> str:
        return obj.warranty_state_on(timezone.localdate())


class AssetWriteSerializer(serializers.Serializer):
    """Fields of a new asset or a change; objects are given by id (checked in scope)."""

    contract = serializers.IntegerField(required=False)
    asset_type = serializers.IntegerField(required=False)
    site = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=200, required=False)
    code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    brand = serializers.CharField(max_length=100, required=False, allow_blank=True)
    model = serializers.CharField(max_length=150, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, required=False)
    purchased_on = serializers.DateField(required=False, allow_null=True)
    installed_on = serializers.DateField(required=False, allow_null=True)
    warranty_until = serializers.DateField(required=False, allow_null=True)
    warranty_state = serializers.ChoiceField(WarrantyState.choices, required=False)
    status = serializers.ChoiceField(AssetStatus.choices, required=False)
    importance = serializers.ChoiceField(Importance.choices, required=False, allow_blank=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True)
    remote_site = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attributes = serializers.DictField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class AssetEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AssetEvent
        fields = ["id", "asset", "kind", "occurred_at", "actor", "summary", "details",
                  "source_kind", "source_id", "created_at"]


class CertificateSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number", read_only=True)
    current_state = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "contract", "kind", "holder", "serial", "issuer", "algorithm", "state",
                  "current_state", "issued_on", "expires_on", "days_left", "asset", "notes"]

    def get_current_state(self, obj: Certificate) -> str:
        return obj.state_on(timezone.localdate())

    def get_days_left(self, obj: Certificate) -> int | None:
        return obj.days_left(timezone.localdate())


class CertificateWriteSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    kind = serializers.ChoiceField(CertificateKind.choices, default=CertificateKind.CERTIFICATE)
    holder = serializers.CharField(max_length=200)
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    algorithm = serializers.CharField(max_length=40, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    asset = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(["issue", "import", "renew", "reissue", "revoke"])
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    serial = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def to_service(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("transition")
        return data
