"""API of the work a ticket produces (TKT-06..09).

- ``/api/tickets/{id}/fault-report``: GET, PUT (save the draft); POST ``…/submit``,
  ``…/approve`` (``signature``: PNG data URL), ``…/reject`` (``reason``), ``…/parts`` (issue
  spare parts for the ticket).
- ``/api/tickets/{id}/satisfaction``: GET, POST (once per ticket).
- ``/api/tickets/{id}/return-visits``: GET, POST.
- ``/api/tickets/{id}/requirement-change``: GET, PUT (estimate, budget, design document as
  multipart); POST ``…/dispute``, ``…/decide``.
- ``/api/articles/``: the knowledge base, CRUD and search (``?q=``, ``?tag=``, ``?contract=``).

Every ticket is looked up within the caller's scope (PLT-01: another contract's ticket is a
404); errors use the project's format ``{message, code, errors}``; a step the ticket's state
does not allow answers 409 with ``allowed`` steps.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, re_path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weibao.contracts.selectors import visible_contracts
from weibao.core.api.mixins import AuditActorMixin
from weibao.core.models import User
from weibao.spares.models import PartType, Warehouse
from weibao.tickets import services
from weibao.tickets.api.idempotency import idempotent
from weibao.tickets.api.serializers import validated
from weibao.tickets.choices import ChangeDecision
from weibao.tickets.filtersets import ArticleFilterSet
from weibao.tickets.models import (
    Article,
    FaultReport,
    RequirementChange,
    ReturnVisit,
    Satisfaction,
    Ticket,
)

__all__ = ["ArticleViewSet", "urlpatterns"]


def _user(request: Request) -> User:
    return cast(User, request.user)


class _TicketWork(APIView):
    """Loads the ticket within the caller's scope; ``need`` checks the role's permission."""

    permission_classes = [IsAuthenticated]

    def ticket(self, request: Request, pk: str) -> Ticket:
        return get_object_or_404(Ticket.objects.visible_to(request.user)
                                 .select_related("contract", "ticket_type"), pk=pk)

    def need(self, request: Request, perm: str) -> None:
        if not request.user.has_perm(perm):
            raise PermissionDenied


# --- fault report (TKT-06) ------------------------------------------------------------------

class MovementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    warehouse = serializers.CharField(source="warehouse.code")
    part_type = serializers.CharField(source="part_type.code")
    quantity = serializers.SerializerMethodField()
    occurred_at = serializers.DateTimeField()

    def get_quantity(self, movement: Any) -> int:
        return -int(movement.quantity)


class ReportSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket_id")
    author = serializers.CharField(source="author.username", default=None)
    reviewer = serializers.CharField(source="reviewer.username", default=None)
    signed = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    movements = serializers.SerializerMethodField()

    class Meta:
        model = FaultReport
        fields = ["ticket", "status", "cause", "actions", "parts_used", "prevention", "author",
                  "submitted_at", "reviewer", "reviewed_at", "review_comment", "signer_name",
                  "signed", "pdf_url", "movements", "created_at", "updated_at"]

    def get_signed(self, report: FaultReport) -> bool:
        return bool(report.signature)

    def get_pdf_url(self, report: FaultReport) -> str:
        from django.urls import reverse

        return reverse("tickets:report-pdf", args=[report.ticket_id])

    def get_movements(self, report: FaultReport) -> list[dict[str, Any]]:
        return list(MovementSerializer(services.report_movements(report.ticket),
                                       many=True).data)


class ReportInput(serializers.Serializer):
    cause = serializers.CharField(allow_blank=True, default="")
    actions = serializers.CharField(allow_blank=True, default="")
    parts_used = serializers.CharField(allow_blank=True, default="")
    prevention = serializers.CharField(allow_blank=True, default="")


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="The ticket version you read (409 if stale).")


class ApproveInput(VersionInput):
    signature = serializers.CharField(help_text="The drawn signature: data:image/png;base64,…")
    signer_name = serializers.CharField(allow_blank=True, default="", max_length=60)
    comment = serializers.CharField(allow_blank=True, default="")


class RejectInput(VersionInput):
    reason = serializers.CharField(allow_blank=True, default="")


class PartsInput(serializers.Serializer):
    warehouse = serializers.CharField()
    part_type = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)
    proposal_reference = serializers.CharField(allow_blank=True, default="")


def _report_answer(ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
    report = FaultReport.objects.select_related("ticket", "author", "reviewer").get(
        ticket=ticket)
    return Response(ReportSerializer(report).data, status=code)


class FaultReportView(_TicketWork):
    @extend_schema(responses={200: ReportSerializer})
    def get(self, request: Request, pk: str) -> Response:
        self.need(request, "tickets.view_faultreport")
        ticket = self.ticket(request, pk)
        if not FaultReport.objects.filter(ticket=ticket).exists():
            from django.http import Http404

            raise Http404
        return _report_answer(ticket)

    @extend_schema(request=ReportInput, responses={200: ReportSerializer})
    def put(self, request: Request, pk: str) -> Response:
        """Save the draft (the engineer, after restoration)."""
        ticket = self.ticket(request, pk)
        services.save_report(ticket, _user(request), **validated(ReportInput, request.data))
        return _report_answer(ticket)


class FaultReportStepView(_TicketWork):
    """``POST …/fault-report/submit|approve|reject|parts``."""

    @extend_schema(request=ApproveInput, responses={200: ReportSerializer})
    @idempotent
    def post(self, request: Request, pk: str, step: str) -> Response:
        ticket = self.ticket(request, pk)
        user = _user(request)
        if step == "submit":
            data = validated(VersionInput, request.data)
            services.submit_report(ticket, user, expected_version=data["version"])
        elif step == "approve":
            data = validated(ApproveInput, request.data)
            services.approve_report(ticket, user, signature=data["signature"],
                                    signer_name=data["signer_name"], comment=data["comment"],
                                    expected_version=data["version"])
        elif step == "reject":
            data = validated(RejectInput, request.data)
            services.reject_report(ticket, user, reason=data["reason"],
                                   expected_version=data["version"])
        else:
            data = validated(PartsInput, request.data)
            warehouse = get_object_or_404(Warehouse, contract=ticket.contract,
                                          code=data["warehouse"])
            part_type = get_object_or_404(PartType, contract=ticket.contract,
                                          code=data["part_type"])
            movement = services.issue_parts(ticket, user, warehouse=warehouse,
                                            part_type=part_type, quantity=data["quantity"],
                                            proposal_reference=data["proposal_reference"])
            return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)
        return _report_answer(ticket)


# --- satisfaction and return visits (TKT-07) ------------------------------------------------

class SatisfactionSerializer(serializers.ModelSerializer):
    rated_by = serializers.CharField(source="rated_by.username", default=None)

    class Meta:
        model = Satisfaction
        fields = ["rating", "comment", "rated_by", "rated_at"]


class SatisfactionInput(serializers.Serializer):
    rating = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True, default="")


class SatisfactionView(_TicketWork):
    @extend_schema(responses={200: SatisfactionSerializer})
    def get(self, request: Request, pk: str) -> Response:
        self.need(request, "tickets.view_satisfaction")
        rated = get_object_or_404(Satisfaction, ticket=self.ticket(request, pk))
        return Response(SatisfactionSerializer(rated).data)

    @extend_schema(request=SatisfactionInput, responses={201: SatisfactionSerializer})
    @idempotent
    def post(self, request: Request, pk: str) -> Response:
        data = validated(SatisfactionInput, request.data)
        rated = services.rate_ticket(self.ticket(request, pk), _user(request), **data)
        return Response(SatisfactionSerializer(rated).data, status=status.HTTP_201_CREATED)


class ReturnVisitSerializer(serializers.ModelSerializer):
    visited_by = serializers.CharField(source="visited_by.username", default=None,
                                       read_only=True)

    class Meta:
        model = ReturnVisit
        fields = ["id", "visited_at", "method", "notes", "visited_by"]
        extra_kwargs = {"method": {"allow_blank": True, "default": ""},
                        "notes": {"allow_blank": True}}


class ReturnVisitView(_TicketWork):
    @extend_schema(responses={200: ReturnVisitSerializer(many=True)})
    def get(self, request: Request, pk: str) -> Response:
        self.need(request, "tickets.view_returnvisit")
        visits = ReturnVisit.objects.filter(ticket=self.ticket(request, pk))
        return Response(ReturnVisitSerializer(visits, many=True).data)

    @extend_schema(request=ReturnVisitSerializer, responses={201: ReturnVisitSerializer})
    @idempotent
    def post(self, request: Request, pk: str) -> Response:
        data = validated(ReturnVisitSerializer, request.data)
        visit = services.record_return_visit(self.ticket(request, pk), _user(request), **data)
        return Response(ReturnVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


# --- requirement changes (TKT-08) -----------------------------------------------------------

class ChangeSerializer(serializers.ModelSerializer):
    over_threshold = serializers.BooleanField(read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    design_document = serializers.SerializerMethodField()

    class Meta:
        model = RequirementChange
        fields = ["estimate_person_days", "threshold_person_days", "over_threshold", "budget",
                  "design_document", "decision", "disputed", "dispute_reason",
                  "supervisor_decision", "decided_by", "decided_at", "updated_at"]

    def get_design_document(self, change: RequirementChange) -> str | None:
        return change.design_document.url if change.design_document else None


class ChangeInput(serializers.Serializer):
    estimate_person_days = serializers.DecimalField(max_digits=8, decimal_places=1)
    budget = serializers.CharField(allow_blank=True, default="")
    design_document = serializers.FileField(required=False, allow_null=True, default=None)


class DisputeInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[ChangeDecision.INCLUDED, ChangeDecision.EXTRA,
                                                ChangeDecision.REJECTED])
    note = serializers.CharField(allow_blank=True, default="")


class RequirementChangeView(_TicketWork):
    @extend_schema(responses={200: ChangeSerializer})
    def get(self, request: Request, pk: str) -> Response:
        self.need(request, "tickets.view_requirementchange")
        change = get_object_or_404(RequirementChange, ticket=self.ticket(request, pk))
        return Response(ChangeSerializer(change).data)

    @extend_schema(request=ChangeInput, responses={200: ChangeSerializer})
    def put(self, request: Request, pk: str) -> Response:
        data = validated(ChangeInput, request.data)
        change = services.save_requirement_change(self.ticket(request, pk), _user(request),
                                                  **data)
        return Response(ChangeSerializer(change).data)


class RequirementChangeStepView(_TicketWork):
    @extend_schema(request=DecideInput, responses={200: ChangeSerializer})
    def post(self, request: Request, pk: str, step: str) -> Response:
        ticket = self.ticket(request, pk)
        if step == "dispute":
            change = services.dispute_change(ticket, _user(request),
                                             **validated(DisputeInput, request.data))
        else:
            change = services.decide_change(ticket, _user(request),
                                            **validated(DecideInput, request.data))
        return Response(ChangeSerializer(change).data)


# --- knowledge base (TKT-09) ----------------------------------------------------------------

class ArticleSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 default=list)
    tickets = serializers.SerializerMethodField()
    source_ticket = serializers.IntegerField(source="source_ticket_id", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "contract", "title", "problem", "cause", "solution", "tags",
                  "published", "source_ticket", "tickets", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"title": {"allow_blank": True}, "problem": {"allow_blank": True},
                        "solution": {"allow_blank": True}}

    def get_tickets(self, article: Article) -> list[int]:
        return [t.pk for t in article.tickets.all()]


class ArticleViewSet(AuditActorMixin, viewsets.ModelViewSet):
    """Knowledge articles of the caller's contracts; ``?q=`` needs every term to occur."""

    queryset = Article.objects.all()
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    ordering_fields = ["updated_at", "title"]
    ordering = ["-updated_at"]

    def get_queryset(self) -> QuerySet[Article]:
        from weibao.tickets.views.knowledge import visible_articles

        return visible_articles(self.request.user).prefetch_related("tickets")

    def _input(self, request: Request, data: Any) -> tuple[Any, services.ArticleInput]:
        data = validated(ArticleSerializer, data)
        contract = get_object_or_404(visible_contracts(request.user),
                                     number=data["contract"]["number"])
        return contract, services.ArticleInput(
            title=data.get("title", ""), problem=data.get("problem", ""),
            cause=data.get("cause", ""), solution=data.get("solution", ""),
            tags=data.get("tags", []), published=data.get("published", True))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contract, article_input = self._input(request, request.data)
        article = services.save_article(contract, article_input, _user(request))
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        data = request.data
        if kwargs.get("partial"):
            given: Any = request.data
            data = {**ArticleSerializer(article).data,
                    **(given.dict() if hasattr(given, "dict") else given)}
        contract, article_input = self._input(request, data)
        article = services.save_article(contract, article_input, _user(request),
                                        article=article)
        return Response(ArticleSerializer(article).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.delete_article(self.get_object(), _user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns: list[URLPattern] = [
    re_path(r"^tickets/(?P<pk>\d+)/fault-report/?$", FaultReportView.as_view(),
            name="ticket-fault-report"),
    re_path(r"^tickets/(?P<pk>\d+)/fault-report/(?P<step>submit|approve|reject|parts)/?$",
            FaultReportStepView.as_view(), name="ticket-fault-report-step"),
    re_path(r"^tickets/(?P<pk>\d+)/satisfaction/?$", SatisfactionView.as_view(),
            name="ticket-satisfaction"),
    re_path(r"^tickets/(?P<pk>\d+)/return-visits/?$", ReturnVisitView.as_view(),
            name="ticket-return-visits"),
    re_path(r"^tickets/(?P<pk>\d+)/requirement-change/?$", RequirementChangeView.as_view(),
            name="ticket-requirement-change"),
    re_path(r"^tickets/(?P<pk>\d+)/requirement-change/(?P<step>dispute|decide)/?$",
            RequirementChangeStepView.as_view(), name="ticket-requirement-change-step"),
]
