"""``/api/tickets/``: create (idempotent), read, and every lifecycle step as its own endpoint
(``POST /api/tickets/{id}/acknowledge`` …). An illegal step or a stale version answers 409 with
the allowed steps and the current version."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.assets.models import Asset
from weibao.contracts.selectors import visible_contracts
from weibao.core.api.mixins import AuditActorMixin
from weibao.core.choices import Role
from weibao.core.models import User
from weibao.tickets import services
from weibao.tickets.api.idempotency import idempotent
from weibao.tickets.api.serializers import (
    AssignSerializer,
    ClaimDecisionSerializer,
    LevelSerializer,
    PauseSerializer,
    PrioritySerializer,
    ProgressSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    TransitionSerializer,
    validated,
)
from weibao.tickets.filtersets import TicketFilterSet
from weibao.tickets.models import Ticket, TicketEvent, TicketStage
from weibao.tickets.selectors import reporting_site, reporting_type
from weibao.tickets.workflow import ACTIONS

__all__ = ["TRANSITION_ACTIONS", "TicketViewSet"]

# Steps of the fault report (TKT-06) go through its own endpoints (``api/work.py``): submitting,
# approving with a signature or rejecting changes the report and the ticket together.
REPORT_ACTIONS = ("submit_report", "verify", "reject_report")
TRANSITION_ACTIONS = tuple(code for code in ACTIONS if code not in REPORT_ACTIONS)


# The timeline with who did and who decided each step, in two queries.
_EVENTS = Prefetch("events", TicketEvent.objects.select_related("actor", "claim_decided_by"))


def _actor(request: Request) -> User:
    """The authenticated caller (the permission classes let no anonymous caller through)."""
    return cast(User, request.user)


class TicketViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Tickets of the caller's contracts (PLT-01); site staff see their own site's."""

    queryset = Ticket.objects.all()
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    ordering_fields = ["next_due_at", "reported_at", "number", "state"]
    ordering = ["-reported_at"]

    def get_queryset(self) -> QuerySet[Ticket]:
        queryset = (Ticket.objects.visible_to(self.request.user)
                    .select_related("contract", "ticket_type", "site", "assignee")
                    .prefetch_related(Prefetch("stages", TicketStage.objects.order_by("order"))))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(_EVENTS)
        return queryset

    def get_serializer_class(self) -> Any:
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    def _answer(self, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related(_EVENTS).get(pk=ticket.pk)
        return Response(TicketDetailSerializer(fresh).data, status=code)

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer})
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a fault or request (TKT-01). Send an ``Idempotency-Key`` header so a retry
        never creates a second ticket. The answer is the ticket as the list shows it, SLA
        stages included; its timeline is at ``GET /api/tickets/{id}/``."""
        if not request.user.has_perm("tickets.add_ticket"):
            self.permission_denied(request)
        data = validated(TicketCreateSerializer, request.data)
        # The usual case: the type, with its contract, among the caller's contracts.
        ticket_type = reporting_type(request.user, data["contract"], data["ticket_type"])
        errors: dict[str, str] = {}
        if ticket_type is None:
            contract = get_object_or_404(visible_contracts(request.user),
                                         number=data["contract"])
            errors["ticket_type"] = _("%(value)s is not a ticket type of this contract.") % {
                "value": data["ticket_type"]}
        else:
            contract = ticket_type.contract
        site = None
        if data["site"]:
            site = reporting_site(contract.pk, data["site"])
            if site is None:
                errors["site"] = _("%(value)s is not a site of this contract.") % {
                    "value": data["site"]}
        assets: list[Asset] = []
        if data["assets"]:
            # In the assets' own order, as ``ticket.assets.all()`` reads them later: the first
            # decides the asset type the SLA selects on, now and on every later evaluation.
            assets = list(Asset.objects.select_related("asset_type__parent")
                          .filter(contract=contract, pk__in=data["assets"]))
            if len(assets) != len(set(data["assets"])):
                errors["assets"] = _("Some assets are not assets of this contract.")
        if errors:
            raise ValidationError(errors)
        assert ticket_type is not None
        ticket = services.create_ticket(services.TicketInput(
            contract=contract, ticket_type=ticket_type, title=data["title"],
            description=data["description"], channel=data["channel"], scope=data["scope"],
            site=site, assets=assets, reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"], reported_at=data["reported_at"],
            priority=data["priority"], priority_reason=data["priority_reason"]),
            actor=_actor(request))
        # Everything the answer shows is in memory: no query to present it.
        response = Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/tickets/{ticket.pk}/"
        return response

    @extend_schema(request=TransitionSerializer, responses={200: TicketDetailSerializer})
    @idempotent
    def step(self, request: Request, pk: str, step: str) -> Response:
        """One lifecycle step (TKT-04): acknowledge, start_remote, request_onsite, depart,
        arrive, contain, restore, submit_report, verify, reject_report, close, reopen."""
        ticket = self.get_object()
        data = validated(TransitionSerializer, request.data)
        ticket = services.transition(ticket, step, _actor(request), at=data["at"],
                                     comment=data["comment"], expected_version=data["version"],
                                     location=data["location"])
        return self._answer(ticket)

    @extend_schema(request=PauseSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def pause(self, request: Request, pk: str) -> Response:
        """SLA-09: pause the clocks in a state the contract allows."""
        data = validated(PauseSerializer, request.data)
        ticket = services.pause(self.get_object(), data["state"], data["reason"], _actor(request),
                                at=data["at"], expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=TransitionSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def resume(self, request: Request, pk: str) -> Response:
        data = validated(TransitionSerializer, request.data)
        ticket = services.resume(self.get_object(), _actor(request), at=data["at"],
                                 expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=AssignSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Dispatch to an engineer of the contract's vendor (TKT-05). A name that is not one of
        them — unknown, or a user of any other organisation — gets the same answer, so the
        endpoint tells nothing about who exists elsewhere."""
        ticket = self.get_object()
        if not _actor(request).has_perm("tickets.assign_ticket", ticket):
            raise PermissionDenied(_("Your role may not do this."))
        data = validated(AssignSerializer, request.data)
        engineer = None
        if data["assignee"]:
            vendor = ticket.contract.vendor
            engineer = None if vendor is None else User.objects.filter(
                username=data["assignee"], organisation_id=vendor.organisation_id,
                is_active=True, role__in=[Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER]).first()
            if engineer is None:
                raise ValidationError({"assignee": _(
                    "%(name)s is not an engineer of this contract's vendor.")
                    % {"name": data["assignee"]}})
        ticket = services.assign(ticket, engineer, _actor(request),
                                 comment=data["comment"], expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=ProgressSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def progress(self, request: Request, pk: str) -> Response:
        """处理期间通报进展: the vendor's engineer reports progress (no state change); counts
        for a recurring stage such as "every 30 minutes while open"."""
        data = validated(ProgressSerializer, request.data)
        ticket = services.progress_update(self.get_object(), _actor(request), data["comment"],
                                          at=data["at"], expected_version=data["version"])
        return self._answer(ticket)

    def _decide(self, request: Request, event_pk: str, confirm: bool) -> Response:
        ticket = self.get_object()
        event = get_object_or_404(TicketEvent.objects.filter(ticket=ticket), pk=event_pk)
        data = validated(ClaimDecisionSerializer, request.data)
        ticket = services.decide_claim(event, confirm, _actor(request),
                                       comment=data["comment"],
                                       expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=ClaimDecisionSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"events/(?P<event_pk>\d+)/confirm")
    def confirm_time(self, request: Request, pk: str, event_pk: str) -> Response:
        """The purchaser confirms the time the vendor claimed for a step (entered later than
        ``WEIBAO_BACKDATE_TOLERANCE_MINUTES``): the SLA counts it from now on."""
        return self._decide(request, event_pk, True)

    @extend_schema(request=ClaimDecisionSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"], url_path=r"events/(?P<event_pk>\d+)/reject")
    def reject_time(self, request: Request, pk: str, event_pk: str) -> Response:
        """The purchaser rejects a claimed time (``comment`` says why): the entry time
        stays."""
        return self._decide(request, event_pk, False)

    @extend_schema(request=TransitionSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """An engineer takes the ticket; if someone else already has it: 409."""
        data = validated(TransitionSerializer, request.data)
        ticket = services.accept(self.get_object(), _actor(request),
                                 expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=PrioritySerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"], url_path="raise-priority")
    def raise_priority(self, request: Request, pk: str) -> Response:
        """TKT-03: the purchaser raises the priority, with a reason."""
        data = validated(PrioritySerializer, request.data)
        ticket = services.raise_priority(self.get_object(), _actor(request), data["reason"],
                                         expected_version=data["version"])
        return self._answer(ticket)

    @extend_schema(request=LevelSerializer, responses={200: TicketDetailSerializer})
    @action(detail=True, methods=["post"], url_path="fault-level")
    def fault_level(self, request: Request, pk: str) -> Response:
        """TKT-03: the purchaser overrides the classified fault level, with a reason."""
        data = validated(LevelSerializer, request.data)
        ticket = services.override_level(self.get_object(), _actor(request), data["level"],
                                         data["reason"], expected_version=data["version"])
        return self._answer(ticket)
