"""Serializers of ``/api/maintenance/…``: they parse and present; rules stay in the services.

Contracts are named by their number, plans, checklists, sites and districts by their codes,
people by their user names, as in the rest of the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.maintenance.models import (
    ChecklistItem,
    ChecklistTemplate,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
    Visit,
    VisitPhoto,
    VisitResult,
    VisitSheet,
)
from weibao.maintenance.services.visits import visit_movements
from weibao.tickets.api.serializers import BuiltOnce

__all__ = ["AnswersInput", "AreasInput", "CancelInput", "CheckInInput",
           "ChecklistItemSerializer", "ChecklistSerializer", "CorrectInput",
           "CoverageRowSerializer", "CoverageSerializer", "EngineerAreaSerializer",
           "MajorEventChange", "MajorEventInput", "MajorEventSerializer", "MoveInput",
           "OpenTicketInput", "PartsInput", "PhotoInput", "PhotoSerializer", "PlanSerializer",
           "ReassignInput", "ResultSerializer", "SheetDetailSerializer", "SheetSerializer",
           "SubmitInput", "VerifySerializer", "VisitCreateInput", "VisitDetailSerializer",
           "VisitMovementSerializer", "VisitSerializer", "validated"]


def validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- checklists and plans ---------------------------------------------------------------------

class ChecklistItemSerializer(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["code", "order", "text", "kind", "required", "photo_required", "unit",
                  "min_value", "max_value", "normal_min", "normal_max", "choices",
                  "abnormal_choices", "help_text", "clause"]


class ChecklistSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "contract", "code", "name", "description", "items"]


class PlanSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    checklist = serializers.CharField(source="checklist.code")
    checklist_name = serializers.CharField(source="checklist.name")
    site_types: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True)
    asset_types: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True)
    slots = serializers.JSONField(help_text=_("Daily plans: the named checks of a day "
                                              "[{code, name, start, end}]"))
    performer_roles = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = MaintenancePlan
        fields = ["id", "contract", "code", "name", "checklist", "checklist_name",
                  "frequency", "days", "slots", "scope", "site_types", "asset_types",
                  "performer_roles", "signature", "sheet_title", "missed_is_breach",
                  "penalty_percent", "clause", "active", "order"]


# --- major events and engineers' districts -----------------------------------------------------

class MajorEventSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = MajorEvent
        fields = ["id", "contract", "name", "date", "notes", "created_by", "created_at",
                  "updated_at"]


class MajorEventChange(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    date = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class MajorEventInput(MajorEventChange):
    contract = serializers.CharField(help_text=_("Unified contract number"))


class EngineerAreaSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    engineer = serializers.CharField(source="engineer.username")
    engineer_name = serializers.SerializerMethodField()
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")

    class Meta:
        model = EngineerArea
        fields = ["id", "contract", "engineer", "engineer_name", "district", "district_name"]

    def get_engineer_name(self, area: EngineerArea) -> str:
        return area.engineer.get_full_name() or area.engineer.username


class AreasInput(serializers.Serializer):
    contract = serializers.CharField(help_text=_("Unified contract number"))
    districts = serializers.ListField(child=serializers.CharField(), allow_empty=True,
                                      help_text=_("District codes; empty removes them all"))


# --- visits ----------------------------------------------------------------------------------

class VisitSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    plan = serializers.CharField(source="plan.code")
    plan_name = serializers.CharField(source="plan.name")
    frequency = serializers.CharField(source="plan.frequency")
    site = serializers.CharField(source="site.code", default=None)
    site_name = serializers.CharField(source="site.name", default=None)
    district = serializers.CharField(source="site.district.code", default=None)
    asset = serializers.IntegerField(source="asset_id", default=None)
    asset_name = serializers.SerializerMethodField()
    event = serializers.IntegerField(source="event_id", default=None)
    assignee = serializers.CharField(source="assignee.username", default=None)
    completed_by = serializers.CharField(source="completed_by.username", default=None)

    class Meta:
        model = Visit
        fields = ["id", "contract", "plan", "plan_name", "frequency", "site", "site_name",
                  "district", "asset", "asset_name", "event", "slot", "window_start",
                  "window_end", "planned_for", "assignee", "status", "checked_in_at",
                  "completed_at", "completed_by", "late", "breach_recorded_at",
                  "penalty_percent", "cancel_reason", "version"]

    def get_asset_name(self, visit: Visit) -> str | None:
        return str(visit.asset) if visit.asset_id is not None else None


class ResultSerializer(BuiltOnce, serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", default=None)

    class Meta:
        model = VisitResult
        fields = ["item_code", "order", "text", "kind", "value", "abnormal", "note", "ticket",
                  "ticket_number", "recorded_at"]


class PhotoSerializer(BuiltOnce, serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download within the API's scope"))
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)

    class Meta:
        model = VisitPhoto
        fields = ["id", "item_code", "caption", "width", "height", "url", "uploaded_by",
                  "uploaded_at"]

    def get_url(self, photo: VisitPhoto) -> str:
        return reverse("api:maintenance-visit-photo",
                       kwargs={"pk": photo.visit_id, "photo_pk": photo.pk})


class VisitMovementSerializer(serializers.Serializer):
    """A spare part issued at the visit (SPR-02); ``quantity`` counts the parts used."""

    id = serializers.IntegerField(source="pk")
    warehouse = serializers.CharField(source="warehouse.code")
    part_type = serializers.CharField(source="part_type.code")
    part_name = serializers.CharField(source="part_type.name")
    quantity = serializers.SerializerMethodField()
    occurred_at = serializers.DateTimeField()
    reason = serializers.CharField()

    def get_quantity(self, movement: Any) -> int:
        return abs(int(movement.quantity))


class SheetSerializer(BuiltOnce, serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)
    signed = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = VisitSheet
        fields = ["id", "visit", "version", "digest", "digest_algorithm", "signer_name",
                  "signed", "signed_at", "reason", "changes", "created_by", "created_at",
                  "pdf_url"]

    def get_signed(self, sheet: VisitSheet) -> bool:
        return bool(sheet.signature)

    def get_pdf_url(self, sheet: VisitSheet) -> str:
        return reverse("api:maintenance-sheet-pdf", kwargs={"pk": sheet.pk})


class SheetDetailSerializer(SheetSerializer):
    snapshot = serializers.JSONField(help_text=_("The data the PDF was made from"))

    class Meta(SheetSerializer.Meta):
        fields = [*SheetSerializer.Meta.fields, "snapshot"]


class VisitDetailSerializer(VisitSerializer):
    """A visit with everything the phone needs: the checklist, the answers so far, photos,
    parts used and the sheet versions."""

    checklist = serializers.SerializerMethodField()
    signature_rule = serializers.CharField(source="plan.signature")
    results = ResultSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    movements = serializers.SerializerMethodField()
    sheets = SheetSerializer(many=True, read_only=True)

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "latitude", "longitude", "notes",
                  "signature_rule", "checklist", "results", "photos", "movements", "sheets"]

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checklist(self, visit: Visit) -> list[dict[str, Any]]:
        return list(ChecklistItemSerializer(visit.plan.checklist.items.all(), many=True).data)

    @extend_schema_field(VisitMovementSerializer(many=True))
    def get_movements(self, visit: Visit) -> list[dict[str, Any]]:
        return list(VisitMovementSerializer(visit_movements(visit), many=True).data)


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text=_("The visit version you read; a stale one "
                                                   "→ 409"))


class VisitCreateInput(serializers.Serializer):
    """A visit made by hand, for an ``on_demand`` plan (or any plan, by a manager)."""

    contract = serializers.CharField(help_text=_("Unified contract number"))
    plan = serializers.CharField(help_text=_("Plan code within the contract"))
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    site = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text=_("Site code within the contract"))
    asset = serializers.IntegerField(required=False, allow_null=True, default=None)
    assignee = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text=_("User name of the engineer"))
    planned_for = serializers.DateField(required=False, allow_null=True, default=None)


class CheckInInput(_Versioned):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text=_("When (default: now)"))
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False,
                                        allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False,
                                         allow_null=True, default=None)


class AnswersInput(_Versioned):
    answers = serializers.DictField(
        child=serializers.DictField(),
        help_text=_("By item code: {\"value\": …, \"note\": \"…\"}; asset verification: a "
                    "list of {asset, result: present|missing|mismatch, note}"))


class PhotoInput(serializers.Serializer):
    image = serializers.FileField()
    item_code = serializers.CharField(required=False, allow_blank=True, default="",
                                      max_length=40)
    caption = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=200)


class PartsInput(serializers.Serializer):
    warehouse = serializers.CharField(help_text=_("Warehouse code"))
    part_type = serializers.CharField(help_text=_("Part type code"))
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpenTicketInput(serializers.Serializer):
    item_code = serializers.CharField(max_length=40)
    ticket_type = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text=_("Ticket type code (default: the "
                                                    "contract's fault type)"))
    description = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitInput(_Versioned):
    signature = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text=_("The drawn signature: "
                                                  "data:image/png;base64,…"))
    signer_name = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=60)


class CorrectInput(serializers.Serializer):
    answers = serializers.DictField(child=serializers.DictField())
    reason = serializers.CharField(allow_blank=True)


class MoveInput(_Versioned):
    planned_for = serializers.DateField()


class ReassignInput(_Versioned):
    assignee = serializers.CharField(help_text=_("User name of the engineer"))


class CancelInput(_Versioned):
    reason = serializers.CharField(allow_blank=True)


# --- sheets and coverage ---------------------------------------------------------------------

class VerifySerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    digest = serializers.CharField()
    algorithm = serializers.CharField()


class CoverageRowSerializer(serializers.Serializer):
    """PM-09: visits whose window ends in the period (cancelled ones are not due)."""

    key = serializers.IntegerField(allow_null=True, help_text=_(
        "Id of the district, plan or site type; null for checks without a site"))
    label = serializers.CharField()  # type: ignore[assignment]
    due = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missed = serializers.IntegerField()
    open = serializers.IntegerField()
    breaches = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("Share done on time"))
    done_rate = serializers.FloatField(allow_null=True, help_text=_("Share done at all"))


class CoverageSerializer(serializers.Serializer):
    contract = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    by = serializers.CharField()
    rows = CoverageRowSerializer(many=True)
    total = CoverageRowSerializer()

