"""Serializers of ``/api/spare-parts/…``: rows read as they are; movements are created through
the ledger services, never saved directly."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import PartType, StockMovement, Warehouse

__all__ = ["MovementCreateSerializer", "MovementSerializer", "PartTypeSerializer",
           "WarehouseSerializer"]

CREATE_KINDS = [MovementKind.RECEIVE, MovementKind.ISSUE, MovementKind.RETURN_FAULTY,
                MovementKind.SCRAP, "transfer", MovementKind.ADJUSTMENT]


class PartTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartType
        fields = ["id", "contract", "code", "name", "unit", "unit_cost", "must_be_new"]


class WarehouseSerializer(serializers.ModelSerializer):
    site_code = serializers.CharField(source="site.code", read_only=True, default=None)

    class Meta:
        model = Warehouse
        fields = ["id", "contract", "code", "name", "site", "site_code", "address"]


class MovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "contract", "warehouse", "part_type", "kind", "condition", "quantity",
                  "unit_cost", "amount", "occurred_at", "actor", "reference_kind",
                  "reference_id", "proposal_reference", "reason", "related", "created_at"]
        read_only_fields = fields


class MovementCreateSerializer(serializers.Serializer):
    """One movement to record. ``quantity`` is the number of parts (above 0), except for
    ``adjustment`` where it is the signed change. ``transfer`` writes two movements (out of
    ``warehouse``, into ``destination``) and answers with the outgoing one."""

    kind = serializers.ChoiceField(choices=[(k, str(k)) for k in CREATE_KINDS])
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.none())
    destination = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.none(),
                                                     required=False)
    part_type = serializers.PrimaryKeyRelatedField(queryset=PartType.objects.none())
    quantity = serializers.IntegerField()
    condition = serializers.ChoiceField(choices=Condition.choices, required=False)
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                         min_value=0)
    reference_kind = serializers.ChoiceField(choices=ReferenceKind.choices, required=False,
                                             allow_blank=True)
    reference_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    proposal_reference = serializers.CharField(required=False, allow_blank=True,
                                               max_length=100)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    occurred_at = serializers.DateTimeField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from weibao.contracts.selectors import scope_to_user

            for name, model in (("warehouse", Warehouse), ("destination", Warehouse),
                                ("part_type", PartType)):
                self.fields[name].queryset = scope_to_user(  # type: ignore[attr-defined]
                    model.objects.all(), request.user)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == "transfer" and "destination" not in attrs:
            raise serializers.ValidationError({"destination": [_("Required for a transfer.")]})
        return attrs
