"""Serializers of ``/api/tickets/``: they parse and present; rules stay in the services."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from weibao.sla.choices import FaultScope
from weibao.tickets.choices import Channel, Priority
from weibao.tickets.models import Ticket, TicketEvent, TicketStage
from weibao.tickets.workflow import allowed_for

__all__ = ["AssignSerializer", "ClaimDecisionSerializer", "LevelSerializer", "PauseSerializer",
           "PrioritySerializer", "ProgressSerializer", "TicketCreateSerializer",
           "TicketSerializer", "TransitionSerializer"]


class BuiltOnce:
    """A serializer whose fields are built once per class, not on every instance: DRF
    deep-copies every declared field (re-running its constructor) and introspects the model
    for each serializer it makes, which was a third of a ticket creation's time. Each
    instance gets shallow copies of the built fields and binds them to itself; the fields'
    validators and choices are shared and never changed."""

    _built: dict[type, dict[str, Any]] = {}

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = BuiltOnce._built.get(cls)
        if built is None:
            built = BuiltOnce._built[cls] = super().get_fields()  # type: ignore[misc]
        return {name: copy.copy(field) for name, field in built.items()}


class StageSerializer(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = TicketStage
        fields = ["code", "name", "status", "target", "started_at", "stopped_at", "due_at",
                  "warn_at", "used", "left", "unit", "share", "provisional", "counts_breach",
                  "recurring", "missed", "missed_due", "explanation"]


class EventSerializer(BuiltOnce, serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default="")
    counted_at = serializers.DateTimeField(read_only=True,
                                           help_text=_("The time the SLA counts for this step"))
    claim_decided_by = serializers.CharField(source="claim_decided_by.username", default=None)

    class Meta:
        model = TicketEvent
        fields = ["id", "action", "from_state", "to_state", "actor", "occurred_at",
                  "recorded_at", "backdated", "claim_status", "counted_at", "claim_decided_by",
                  "claim_decided_at", "comment", "data"]


class TicketSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    ticket_type = serializers.CharField(source="ticket_type.code")
    site = serializers.CharField(source="site.code", default=None)
    assignee = serializers.CharField(source="assignee.username", default=None)
    fault_level = serializers.CharField(source="effective_level")
    allowed_actions = serializers.SerializerMethodField()
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "number", "contract", "title", "description", "ticket_type", "channel",
                  "scope", "site", "priority", "priority_reason", "fault_level",
                  "fault_level_reason", "state", "allowed_actions", "assignee", "version",
                  "reported_at", "responded_at", "onsite_requested_at", "arrived_at",
                  "arrival_location", "contained_at", "restored_at", "report_submitted_at",
                  "verified_at", "closed_at", "paused_state", "sla_status", "next_due_at",
                  "sla_provisional", "sla_error", "stages", "created_at", "updated_at"]

    def get_allowed_actions(self, ticket: Ticket) -> list[str]:
        return allowed_for(ticket)


class TicketDetailSerializer(TicketSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "events"]


class TicketCreateSerializer(BuiltOnce, serializers.Serializer):
    contract = serializers.CharField(help_text=_("Unified contract number"))
    ticket_type = serializers.CharField(help_text=_("Code of one of the contract's types"))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    scope = serializers.ChoiceField(choices=FaultScope.choices, default=FaultScope.SMALL)
    site = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text=_("Site code within the contract"))
    assets = serializers.ListField(child=serializers.IntegerField(), required=False,
                                   default=list)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")
    reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                            help_text=_("Earlier than now: entered after the "
                                                        "fact"))
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    priority_reason = serializers.CharField(required=False, allow_blank=True, default="")


# Component names of their own: assets and sla have serializers of the same class names.
@extend_schema_serializer(component_name="TicketTransition")
class TransitionSerializer(BuiltOnce, serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text=_("When it happened (default: now)"))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text=_("The version you read; a stale one → 409"))
    location = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text=_("Check-in location when arriving"))


@extend_schema_serializer(component_name="TicketPause")
class PauseSerializer(TransitionSerializer):
    state = serializers.CharField(help_text=_("A pause state the contract allows"))
    reason = serializers.CharField()


class AssignSerializer(BuiltOnce, serializers.Serializer):
    assignee = serializers.CharField(allow_blank=True, help_text=_("User name; empty unassigns"))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ProgressSerializer(BuiltOnce, serializers.Serializer):
    comment = serializers.CharField(help_text=_("What was done, what is next"))
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ClaimDecisionSerializer(BuiltOnce, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text=_("Required to reject"))
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class PrioritySerializer(BuiltOnce, serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class LevelSerializer(PrioritySerializer):
    level = serializers.CharField(allow_blank=True)


def validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
