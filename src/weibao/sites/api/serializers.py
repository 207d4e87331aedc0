"""Serializers of the sites API. Writes go through ``weibao.sites.services``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.contracts.models import Contract
from weibao.core.models import Organisation
from weibao.sites.models import AreaClass, District, Site, SiteType

__all__ = [
    "AreaClassSerializer",
    "DistrictSerializer",
    "SiteSerializer",
    "SiteTypeSerializer",
]


class _Scoped(serializers.ModelSerializer):
    """Related choices limited to the caller's contracts (PLT-01); the service checks that
    they belong to the record's own contract."""

    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    scoped_fields: tuple[tuple[str, type[Any]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return
        from weibao.contracts.selectors import scope_to_user, visible_contracts

        self.fields["contract"].queryset = visible_contracts(user)  # type: ignore[attr-defined]
        for name, model in self.scoped_fields:
            self.fields[name].queryset = scope_to_user(  # type: ignore[attr-defined]
                model.objects.all(), user)
        if self.instance is not None and not isinstance(self.instance, list):
            self.fields["contract"].read_only = True


class AreaClassSerializer(_Scoped):
    class Meta:
        model = AreaClass
        fields = ["id", "contract", "contract_number", "code", "name", "order"]
        extra_kwargs = {"order": {"required": False}}
        validators: list[Any] = []  # the service checks uniqueness (a message per field)


class SiteTypeSerializer(_Scoped):
    class Meta:
        model = SiteType
        fields = ["id", "contract", "contract_number", "code", "name", "order"]
        extra_kwargs = {"order": {"required": False}}
        validators: list[Any] = []  # the service checks uniqueness (a message per field)


class DistrictSerializer(_Scoped):
    area_class_code = serializers.CharField(source="area_class.code", read_only=True,
                                            default=None)
    scoped_fields = (("area_class", AreaClass),)

    class Meta:
        model = District
        fields = ["id", "contract", "contract_number", "code", "name", "area_class",
                  "area_class_code", "order"]
        extra_kwargs = {"order": {"required": False}, "area_class": {"required": False}}
        validators: list[Any] = []


class SiteSerializer(_Scoped):
    site_type_code = serializers.CharField(source="site_type.code", read_only=True)
    site_type_name = serializers.CharField(source="site_type.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True,
                                          default=None)
    area_class = serializers.SerializerMethodField(
        help_text="Effective area class code: the override, else the district's (SITE-02).")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(),
                                                      required=False, allow_null=True)
    scoped_fields = (("site_type", SiteType), ("district", District),
                     ("area_class_override", AreaClass))

    class Meta:
        model = Site
        fields = ["id", "contract", "contract_number", "code", "name", "site_type",
                  "site_type_code", "site_type_name", "district", "district_name",
                  "area_class", "area_class_override", "organisation", "address",
                  "contact_name", "contact_phone", "status", "notes", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"district": {"required": False}, "area_class_override":
                        {"required": False}}
        validators: list[Any] = []

    def get_area_class(self, obj: Site) -> str | None:
        area_class = obj.area_class
        return area_class.code if area_class else None
