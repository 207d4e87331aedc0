"""The assessment cycle's steps over the API (ASM-06, PAY-03):
``POST /api/assessment/assessments/`` creates one for a period, ``…/{id}/compute``,
``…/{id}/submit-review`` (the vendor's manager), ``…/{id}/confirm`` (the purchaser, with a
note per line), ``…/{id}/finalise``, ``GET …/{id}/settlement``; per line
``/api/assessment/lines/{id}/enter`` (multipart: value, points or met with the proof),
``…/review`` (agree or dispute, with the vendor's comment), ``…/decide`` (the supervisor)
and ``GET …/evidence`` (the records behind the value). Each calls its service in
``weibao.assessment.services.cycle``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assessment.api.actions import ERRORS, IF_MATCH
from weibao.assessment.api.serializers import (
    AssessmentDetailSerializer,
    ConfirmInput,
    CreateAssessmentInput,
    DecideLineInput,
    LineSerializer,
    ManualEntryInput,
    ReviewLineInput,
    VersionInput,
    validated,
)
from weibao.assessment.api.views import AssessmentReadViewSet, LineReadViewSet
from weibao.assessment.models import Assessment, AssessmentLine
from weibao.assessment.services import cycle
from weibao.assessment.views.evidence import evidence_rows
from weibao.assessment.views.pages import download
from weibao.maintenance.api.common import actor, expected_version, visible_contract

__all__ = ["AssessmentActions", "LineActions", "settlement_data"]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def settlement_data(assessment: Assessment) -> dict[str, Any]:
    """PAY-03 figures as JSON (amounts in yuan as decimal strings)."""
    from weibao.assessment.services.settlement import settlement

    figures = settlement(assessment.contract, assessment)
    return {
        "contract": assessment.contract.number, "assessment": assessment.pk,
        "projected": figures.projected, "contract_amount": _money(figures.contract_amount),
        "factor": _money(figures.factor), "penalties": _money(figures.penalties),
        "final_price": _money(figures.final_price), "paid": _money(figures.paid),
        "outstanding": _money(figures.outstanding),
        "last_instalment": _money(figures.last_instalment),
        "milestones": [{"sequence": line.milestone.sequence, "name": line.milestone.name,
                        "amount": _money(line.amount), "paid": _money(line.paid),
                        "to_pay": _money(line.to_pay), "pending": str(line.pending or ""),
                        "is_remainder": line.is_remainder} for line in figures.milestones],
    }


class AssessmentActions(AssessmentReadViewSet):
    action_permissions = {
        "create": "assessment.add_assessment", "compute": "assessment.add_assessment",
        "submit_review": "assessment.review_assessment",
        "confirm": "assessment.confirm_assessment", "finalise": "assessment.confirm_assessment",
        "settlement": "assessment.view_assessment",
    }

    def _answer(self, assessment: Assessment, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(AssessmentDetailSerializer(
            fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=CreateAssessmentInput,
                   responses={201: AssessmentDetailSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """The purchaser starts an assessment of a period (draft); ``is_final``: the final
        assessment of the whole service period, which prices the contract (PAY-03)."""
        data = validated(CreateAssessmentInput, request.data)
        contract = visible_contract(request, data["contract"])
        assessment = cycle.create_assessment(contract, actor(request), data["period_start"],
                                             data["period_end"], is_final=data["is_final"])
        return self._answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=VersionInput, responses={200: AssessmentDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        """(Re)compute a draft from the records: the ledger is synchronised first, then every
        item is measured; a final assessment is refused (409)."""
        data = validated(VersionInput, request.data)
        assessment = cycle.compute(self.get_object(), actor(request),
                                   expected_version=expected_version(request, data))
        return self._answer(assessment)

    @extend_schema(request=VersionInput, responses={200: AssessmentDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="submit-review", url_name="submit-review")
    def submit_review(self, request: Request, pk: str | None = None) -> Response:
        """The vendor's manager submits the review of every line (draft → reviewed)."""
        data = validated(VersionInput, request.data)
        assessment = cycle.submit_review(self.get_object(), actor(request),
                                         expected_version=expected_version(request, data))
        return self._answer(assessment)

    @extend_schema(request=ConfirmInput, responses={200: AssessmentDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser confirms the reviewed assessment, with a note per line id
        (``notes``); the vendor's comments stay as written. A contract without a supervisor:
        the purchaser decides the disputed lines here (``decisions``: {line id: {points or
        met, decision}})."""
        data = validated(ConfirmInput, request.data)
        try:
            notes = {int(key): text for key, text in data["notes"].items()}
        except ValueError:
            from django.core.exceptions import ValidationError
            raise ValidationError({"notes": [_("Name each line by its id.")]}) from None
        try:
            decisions = {int(key): dict(value) for key, value in data["decisions"].items()}
        except (TypeError, ValueError):
            from django.core.exceptions import ValidationError
            raise ValidationError({"decisions": [_("Name each line by its id.")]}) from None
        assessment = cycle.confirm(self.get_object(), actor(request), notes=notes,
                                   decisions=decisions or None,
                                   expected_version=expected_version(request, data))
        return self._answer(assessment)

    @extend_schema(request=VersionInput, responses={200: AssessmentDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str | None = None) -> Response:
        """Final: every disputed line decided; the inputs are frozen in a snapshot with its
        SM3 digest; the contract's final assessment records its final-assessment event."""
        data = validated(VersionInput, request.data)
        assessment = cycle.finalise(self.get_object(), actor(request),
                                    expected_version=expected_version(request, data))
        return self._answer(assessment)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def settlement(self, request: Request, pk: str | None = None) -> Response:
        """PAY-03: final price = amount × factor − penalties, paid so far, the last
        instalment and what each remaining milestone should pay (a projection while the
        assessment is not final)."""
        return Response(settlement_data(self.get_object()))


class LineActions(LineReadViewSet):
    action_permissions = {
        "enter": "assessment.change_assessmentline", "review": "assessment.review_assessment",
        "decide": "assessment.decide_assessment", "evidence": "assessment.view_assessmentline",
        "proof": "assessment.view_assessmentline",
    }

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def proof(self, request: Request, pk: str | None = None) -> FileResponse:
        """Download the proof of a manual entry."""
        return download(self.get_object().proof)

    def _answer(self, line: AssessmentLine) -> Response:
        fresh = self.get_queryset().get(pk=line.pk)
        return Response(LineSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request={"multipart/form-data": ManualEntryInput,
                            "application/json": ManualEntryInput},
                   responses={200: LineSerializer, **ERRORS}, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser,
                                                           FormParser])
    def enter(self, request: Request, pk: str | None = None) -> Response:
        """The purchaser enters a manual value, points or met with its ``proof`` file and a
        ``note`` on how it was established."""
        data = validated(ManualEntryInput, request.data)
        line = cycle.enter_manual(self.get_object(), actor(request), value=data["value"],
                                  points=data["points"], met=data["met"], proof=data["proof"],
                                  note=data["note"],
                                  expected_version=expected_version(request, data))
        return self._answer(line)

    @extend_schema(request=ReviewLineInput, responses={200: LineSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """The vendor's manager agrees with the line or disputes it, with a comment."""
        data = validated(ReviewLineInput, request.data)
        line = cycle.review_line(self.get_object(), actor(request), agree=data["agree"],
                                 comment=data["comment"],
                                 expected_version=expected_version(request, data))
        return self._answer(line)

    @extend_schema(request=DecideLineInput, responses={200: LineSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """The supervisor decides a disputed line: ``points`` (weighted) or ``met``
        (criterion), with the ``decision``."""
        data = validated(DecideLineInput, request.data)
        line = cycle.decide_line(self.get_object(), actor(request), points=data["points"],
                                 met=data["met"], decision=data["decision"],
                                 expected_version=expected_version(request, data))
        return self._answer(line)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """The records behind the line's value — tickets, SLA stages, visits, reports or
        breaches — each with ``meets`` (counted in the numerator) and its page."""
        line = self.get_object()
        rows = evidence_rows(line, line.assessment)
        return Response({"line": line.pk, "numerator": line.numerator,
                         "denominator": line.denominator,
                         "records": [{**row, "when": row["when"].isoformat()
                                      if row["when"] else None} for row in rows]})
