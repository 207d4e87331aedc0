"""``POST /api/sla/preview``: evaluate a hypothetical ticket against a contract's (or a
not-yet-imported spec's) service levels."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weibao.contracts.selectors import visible_contracts
from weibao.contracts.spec.errors import SpecInvalid
from weibao.core.api.errors import error_body
from weibao.sla.choices import Attribute, ClockEvent
from weibao.sla.evaluation import Pause, SlaError
from weibao.sla.services import (
    PreviewInput,
    evaluation_to_dict,
    preview,
    spec_policy_from_text,
)

__all__ = ["SlaPreviewView"]


class PauseSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(required=False, allow_null=True)
    state = serializers.CharField(max_length=40)
    reason = serializers.CharField(max_length=200, required=False, default="")


class PreviewRequestSerializer(serializers.Serializer):
    """Either ``contract`` (id or unified number) or ``spec`` (YAML text). Times without an
    offset are read as Beijing time."""

    contract = serializers.CharField(required=False)
    spec = serializers.CharField(required=False)
    site = serializers.CharField(required=False, allow_blank=True, default="", max_length=40,
                                 help_text="Code of a site of the contract: its area class is "
                                           "used unless attributes.area_class is given.")
    attributes = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                       required=False, default=dict)
    events = serializers.DictField(child=serializers.DateTimeField())
    pauses = PauseSerializer(many=True, required=False, default=list)
    updates = serializers.ListField(
        child=serializers.DateTimeField(), required=False, default=list, max_length=5000,
        help_text="Times of recorded progress updates (stages with every: true).")
    now = serializers.DateTimeField(required=False)

    def validate_attributes(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(Attribute.values))
        if unknown:
            raise serializers.ValidationError(
                f"unknown attributes {', '.join(unknown)}; known: {', '.join(Attribute.values)}")
        return value

    def validate_events(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(ClockEvent.values))
        if unknown:
            raise serializers.ValidationError(
                f"unknown events {', '.join(unknown)}; known: {', '.join(ClockEvent.values)}")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("contract")) == bool(attrs.get("spec")):
            raise serializers.ValidationError(
                {"contract": ["Give either a contract or a spec."]})
        return attrs


class SlaPreviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PreviewRequestSerializer,
                   responses={200: OpenApiResponse(description="Every stage's due time, "
                                                   "status and explanation")})
    def post(self, request: Request) -> Response:
        serializer = PreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ticket = PreviewInput(
            attributes=data["attributes"], events=data["events"],
            pauses=[Pause(p["start"], p.get("end"), p["state"], p["reason"])
                    for p in data["pauses"]],
            now=data.get("now"), site=data["site"], updates=data["updates"])
        try:
            if data.get("contract"):
                source: Any = self._contract(request, data["contract"])
            else:
                source = spec_policy_from_text(data["spec"])
            result = preview(source, ticket, user=request.user)
        except SpecInvalid as exc:
            return Response(error_body("The spec is not valid.", "spec_invalid", {
                "spec": exc.messages()}), status=400)
        except SlaError as exc:
            return Response(error_body(str(exc), "sla_invalid"), status=400)
        return Response(evaluation_to_dict(result))

    def _contract(self, request: Request, key: str) -> Any:
        if not request.user.has_perm("contracts.view_contract"):
            raise Http404
        lookup = Q(number=key) | Q(pk=int(key)) if key.isdigit() else Q(number=key)
        contract = visible_contracts(request.user).filter(lookup).first()
        if contract is None:
            raise Http404
        return contract
