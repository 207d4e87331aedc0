"""The engineer's steps of a visit (PM-01, PM-02, PM-08, AST-08, SPR-02), each its own
endpoint under ``/api/maintenance/visits/{id}/``: ``check-in``, ``results``, ``photos``,
``parts``, ``open-ticket``, ``submit`` and ``correct``; each calls its service in
``weibao.maintenance.services.visits``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.maintenance.api.common import actor, expected_version
from weibao.maintenance.api.serializers import (
    AnswersInput,
    CheckInInput,
    CorrectInput,
    OpenTicketInput,
    PartsInput,
    PhotoInput,
    SheetSerializer,
    SubmitInput,
    VisitDetailSerializer,
    validated,
)
from weibao.maintenance.api.visits import ERRORS, IF_MATCH, VisitReadViewSet
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import VisitSheet
from weibao.maintenance.services import visits as work
from weibao.spares.models import PartType, Warehouse

__all__ = ["VisitWork"]

_IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="A retry with the same key answers the first sheet again")


class VisitWork(VisitReadViewSet):
    """Doing a visit on a phone: the assigned engineer (or the vendor's manager)."""

    @extend_schema(request=CheckInInput, responses={200: VisitDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str | None = None) -> Response:
        """Arrive: the time (default now) and, optionally, where."""
        data = validated(CheckInInput, request.data)
        visit = work.check_in(self.get_object(), actor(request), at=data["at"],
                              latitude=data["latitude"], longitude=data["longitude"],
                              expected_version=expected_version(request, data))
        return self._answer(visit)

    @extend_schema(request=AnswersInput, responses={200: VisitDetailSerializer, **ERRORS},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post", "patch"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Save some answers (the rest stay as they are); each is checked against its item."""
        data = validated(AnswersInput, request.data)
        visit = work.record_results(self.get_object(), actor(request), data["answers"],
                                    expected_version=expected_version(request, data))
        return self._answer(visit)

    @extend_schema(request={"multipart/form-data": PhotoInput},
                   responses={201: VisitDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Add a photo (``image``), for one item (``item_code``) or the visit; the server
        resizes it and strips its metadata."""
        data = validated(PhotoInput, request.data)
        visit = self.get_object()
        work.add_photo(visit, actor(request), upload=data["image"],
                       item_code=data["item_code"], caption=data["caption"])
        return self._answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=PartsInput, responses={201: VisitDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def parts(self, request: Request, pk: str | None = None) -> Response:
        """Parts used at the visit, issued from the spare-parts ledger (SPR-02)."""
        visit = self.get_object()
        data = validated(PartsInput, request.data)
        errors: dict[str, str] = {}
        warehouse = Warehouse.objects.filter(contract=visit.contract,
                                             code=data["warehouse"]).first()
        if warehouse is None:
            errors["warehouse"] = _("%(value)s is not a warehouse of this contract.") % {
                "value": data["warehouse"]}
        part_type = PartType.objects.filter(contract=visit.contract,
                                            code=data["part_type"]).first()
        if part_type is None:
            errors["part_type"] = _("%(value)s is not a part type of this contract.") % {
                "value": data["part_type"]}
        if errors:
            raise ValidationError(errors)
        assert warehouse is not None and part_type is not None
        work.issue_visit_parts(visit, actor(request), warehouse=warehouse,
                               part_type=part_type, quantity=data["quantity"],
                               reason=data["reason"])
        return self._answer(visit, status.HTTP_201_CREATED)

    @extend_schema(request=OpenTicketInput, responses={200: VisitDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="open-ticket")
    def open_ticket(self, request: Request, pk: str | None = None) -> Response:
        """PM-08: open a ticket for an abnormal result, linked to it (once: a second call
        finds the same ticket)."""
        visit = self.get_object()
        data = validated(OpenTicketInput, request.data)
        ticket_type = None
        if data["ticket_type"]:
            from weibao.tickets.models import TicketType

            ticket_type = TicketType.objects.filter(contract=visit.contract,
                                                    code=data["ticket_type"]).first()
            if ticket_type is None:
                raise ValidationError({"ticket_type": _(
                    "%(value)s is not a ticket type of this contract.")
                    % {"value": data["ticket_type"]}})
        work.open_ticket(visit, actor(request), item_code=data["item_code"],
                         ticket_type=ticket_type, description=data["description"])
        return self._answer(visit)

    @extend_schema(request=SubmitInput, responses={201: SheetSerializer, **ERRORS},
                   parameters=[IF_MATCH, _IDEMPOTENCY_KEY])
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Finish the visit: completeness is checked, the site's staff sign on the screen
        (``signature``, ``signer_name``), the signed sheet (version 1) is made. A retry with
        the same ``Idempotency-Key`` answers the same sheet and makes nothing new."""
        data = validated(SubmitInput, request.data)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise ValidationError({"Idempotency-Key": _(
                "The Idempotency-Key is longer than 100 characters.")})
        visit = self.get_object()
        # A done visit answering a known key is the first answer again (an unknown key on a
        # done visit is a 409 from the service).
        replayed = bool(key) and visit.status == VisitStatus.DONE
        sheet = work.submit_visit(visit, actor(request), signature=data["signature"] or None,
                                  signer_name=data["signer_name"], idempotency_key=key,
                                  expected_version=expected_version(request, data))
        response = _sheet_answer(sheet)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(request=CorrectInput, responses={201: SheetSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        """Correct a done visit's answers: a new sheet version with the reason and the
        changes; earlier versions stay as they were signed."""
        data = validated(CorrectInput, request.data)
        sheet = work.correct_sheet(self.get_object(), actor(request), answers=data["answers"],
                                   reason=data["reason"])
        return _sheet_answer(sheet)


def _sheet_answer(sheet: VisitSheet) -> Response:
    fresh = VisitSheet.objects.select_related("created_by").get(pk=sheet.pk)
    return Response(SheetSerializer(fresh).data, status=status.HTTP_201_CREATED)

