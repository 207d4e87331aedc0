"""Serializers of the contracts API. Writes go through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import (
    Amendment,
    Contact,
    Contract,
    ContractDocument,
    ContractEvent,
    ContractParty,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.selectors import visible_contracts
from weibao.core.choices import OrganisationKind
from weibao.core.models import Organisation

__all__ = [
    "AmendmentSerializer",
    "ContractEventSerializer",
    "ContractSerializer",
    "ContractWriteSerializer",
    "DocumentSerializer",
    "DocumentUploadSerializer",
    "InvoiceSerializer",
    "MilestoneSerializer",
    "PaymentSerializer",
]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email"]


class PartySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = ContractParty
        fields = ["id", "role", "organisation", "organisation_name", "address", "postcode",
                  "phone", "fax", "bank_name", "bank_account", "contacts"]


def limit_previous_to_visible(serializer: serializers.Serializer) -> None:
    """PLT-01: ``previous`` may only name a contract the caller can see."""
    request = serializer.context.get("request")
    field = serializer.fields.get("previous")
    if request is not None and field is not None and not field.read_only:
        field.queryset = visible_contracts(request.user)  # type: ignore[attr-defined]


class ContractSerializer(serializers.ModelSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_previous_to_visible(self)

    parties = PartySerializer(many=True, read_only=True)
    previous_number = serializers.CharField(source="previous.number", read_only=True,
                                            default=None)
    url = serializers.HyperlinkedIdentityField(view_name="api:contract-detail")

    class Meta:
        model = Contract
        fields = ["id", "url", "number", "internal_number", "title", "status", "amount",
                  "signed_on", "signed_at", "start_date", "end_date", "previous",
                  "previous_number", "procurement_note", "no_subcontracting", "notes",
                  "parties", "created_at", "updated_at"]
        read_only_fields = ["number", "created_at", "updated_at"]


class ContractWriteSerializer(serializers.ModelSerializer):
    """Create: the contract with its purchaser and vendor (and supervisor) organisations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_previous_to_visible(self)

    purchaser = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.PURCHASER), write_only=True)
    vendor = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.VENDOR), write_only=True)
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR), write_only=True,
        required=False, allow_null=True)

    class Meta:
        model = Contract
        fields = ["number", "internal_number", "title", "status", "amount", "signed_on",
                  "signed_at", "start_date", "end_date", "previous", "procurement_note",
                  "no_subcontracting", "notes", "purchaser", "vendor", "supervisor"]
        extra_kwargs: dict[str, dict[str, Any]] = {"number": {"validators": []}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": ["The service end must not be before the service start."]})
        return attrs


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentMilestone
        fields = ["id", "sequence", "name", "amount_basis", "percent", "budget_year", "trigger",
                  "due_date", "event", "deliverable", "event_delay_months", "and_invoice",
                  "offset_amount", "offset_unit", "requires_invoice", "condition"]
        read_only_fields = ["sequence"]
        # The service checks the combination and names the field.
        validators: list[Any] = []


class MilestoneStateSerializer(serializers.Serializer):
    milestone = MilestoneSerializer()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text="Null while the amount waits for an event (see amount_pending).")
    amount_pending = serializers.CharField(
        help_text="Why the amount is not known yet; empty when it is.")
    invoiced = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField(allow_null=True)
    waiting_for = serializers.CharField(
        help_text="What the due date waits for; empty when it is known.")
    rule = serializers.CharField()
    status = serializers.CharField()


class ContractEventSerializer(serializers.ModelSerializer):
    entered_by: serializers.Field[Any, Any, Any, Any] = serializers.StringRelatedField()

    class Meta:
        model = ContractEvent
        fields = ["id", "kind", "occurred_on", "score", "rating", "factor", "penalties",
                  "amount", "year", "deliverable", "note", "source", "entered_by", "updated_at"]
        read_only_fields = ["source", "entered_by", "updated_at"]
        validators: list[Any] = []


class BondSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceBond
        fields = ["id", "percent", "amount", "form", "status", "received_on", "returned_on",
                  "reference"]
        read_only_fields = ["amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "milestone", "number", "issued_on", "amount", "notes"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "milestone", "invoice", "paid_on", "amount", "reference"]


class DocumentSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = ["id", "doc_type", "title", "has_file", "content_type", "size", "notes",
                  "updated_at"]

    def get_has_file(self, obj: ContractDocument) -> bool:
        return bool(obj.file)


class DocumentUploadSerializer(serializers.Serializer):
    doc_type = serializers.CharField()
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()
    notes = serializers.CharField(max_length=300, required=False, default="")


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["id", "sequence", "title", "signed_on", "summary", "document"]
        read_only_fields = ["sequence", "document"]


class PartyWriteSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)

    class Meta:
        model = ContractParty
        fields = ["organisation", "role", "address", "postcode", "phone", "fax", "bank_name",
                  "bank_account"]
