"""The steps of the ledger and of the assessment cycle, each its own endpoint (ASM-03..06):
``/api/assessment/breaches/{id}/dispute|waive|confirm|decide``, ``…/breaches/apply-penalty``,
``/api/assessment/assessments/`` (create), ``…/{id}/compute|submit-review|confirm|finalise``,
``…/{id}/settlement``, ``/api/assessment/lines/{id}/enter|review|decide|evidence``. Each calls
its service in ``weibao.assessment.services``; ``version`` in the body (or ``If-Match``) is
the version the caller read: a stale one answers 409 with the current version, and so does a
step the record's state does not allow. A role that may not take a step gets 403, another
contract's record 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assessment.api.serializers import (
    ApplyPenaltyInput,
    BreachDetailSerializer,
    DecideBreachInput,
    ReasonInput,
    validated,
)
from weibao.assessment.api.views import BreachReadViewSet
from weibao.assessment.models import Breach, PenaltyRule
from weibao.assessment.services import ledger
from weibao.assessment.views.pages import download
from weibao.maintenance.api.common import actor, expected_version, visible_contract

__all__ = ["ERRORS", "IF_MATCH", "BreachActions", "cycle"]

from weibao.assessment.views.actions import cycle

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The version you read, when the body has no version")
ERRORS = {400: OpenApiResponse(description="Invalid input (error format, by field)"),
          403: OpenApiResponse(description="Your role may not take this step"),
          409: OpenApiResponse(description="Stale version or a step the record's state does "
                                           "not allow (error format, with version)")}


class BreachActions(BreachReadViewSet):
    """The vendor's manager disputes; the purchaser waives, confirms or applies a penalty by
    clause; the supervisor decides a dispute."""

    action_permissions = {
        "dispute": "assessment.dispute_breach", "waive": "assessment.waive_breach",
        "confirm": "assessment.waive_breach", "decide": "assessment.decide_breach",
        "apply_penalty": "assessment.add_breach", "proof": "assessment.view_breach",
    }

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def proof(self, request: Request, pk: str | None = None) -> FileResponse:
        """Download the proof uploaded with a penalty by clause."""
        return download(self.get_object().evidence)

    def _answer(self, breach: Breach, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=breach.pk)
        return Response(BreachDetailSerializer(fresh, context=self.get_serializer_context())
                        .data, status=code)

    @extend_schema(request=ReasonInput, responses={200: BreachDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str | None = None) -> Response:
        """The vendor's manager disputes a recorded breach (``reason`` required)."""
        data = validated(ReasonInput, request.data)
        breach = ledger.dispute_breach(self.get_object(), actor(request), data["reason"],
                                       expected_version=expected_version(request, data))
        return self._answer(breach)

    @extend_schema(request=ReasonInput, responses={200: BreachDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser waives a recorded or disputed breach with a reason: it stays in the
        ledger, its penalty and count drop."""
        data = validated(ReasonInput, request.data)
        breach = ledger.waive_breach(self.get_object(), actor(request), data["reason"],
                                     expected_version=expected_version(request, data))
        return self._answer(breach)

    @extend_schema(request=ReasonInput, responses={200: BreachDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser confirms a recorded breach (a disputed one only when the contract has
        no supervisor)."""
        data = request.data if isinstance(request.data, dict) else {}
        breach = ledger.confirm_breach(self.get_object(), actor(request),
                                       str(data.get("reason", "") or ""),
                                       expected_version=expected_version(request, data))
        return self._answer(breach)

    @extend_schema(request=DecideBreachInput, responses={200: BreachDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """The supervisor decides a disputed breach: ``upheld`` true (confirmed) or false
        (waived), with the ``reason``."""
        data = validated(DecideBreachInput, request.data)
        breach = ledger.decide_breach(self.get_object(), actor(request),
                                      upheld=data["upheld"], reason=data["reason"],
                                      expected_version=expected_version(request, data))
        return self._answer(breach)

    @extend_schema(request={"multipart/form-data": ApplyPenaltyInput,
                            "application/json": ApplyPenaltyInput},
                   responses={201: BreachDetailSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="apply-penalty", url_name="apply-penalty",
            parser_classes=[JSONParser, MultiPartParser, FormParser])
    def apply_penalty(self, request: Request) -> Response:
        """ASM-04: the purchaser applies a penalty by clause (``rule`` code) within its
        range, with a reason and optionally a proof file (``evidence``)."""
        data = validated(ApplyPenaltyInput, request.data)
        contract = visible_contract(request, data["contract"])
        rule = PenaltyRule.objects.filter(contract=contract, code=data["rule"]).first()
        if rule is None:
            raise ValidationError({"rule": [_("%(value)s is not a penalty rule of this "
                                              "contract.") % {"value": data["rule"]}]})
        breach = ledger.apply_penalty(contract, actor(request), rule, data["percent"],
                                      data["occurred_at"], data["description"],
                                      data["reason"], evidence=data["evidence"])
        return self._answer(breach, status.HTTP_201_CREATED)

