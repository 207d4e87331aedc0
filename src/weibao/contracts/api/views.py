"""``/api/contracts/`` and ``/api/contract-spec/``. Views parse, call a service, answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from weibao.contracts import services
from weibao.contracts.api.serializers import (
    AmendmentSerializer,
    BondSerializer,
    ContractEventSerializer,
    ContractSerializer,
    ContractWriteSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    InvoiceSerializer,
    MilestoneSerializer,
    MilestoneStateSerializer,
    PaymentSerializer,
)
from weibao.contracts.filtersets import ContractFilterSet
from weibao.contracts.models import Contract, Invoice, Payment
from weibao.contracts.selectors import milestone_schedule, visible_contracts
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_text
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.registry import build_schema
from weibao.contracts.spec.validate import validate_text
from weibao.contracts.views.contracts import contract_history
from weibao.core.api.errors import error_body
from weibao.core.api.mixins import AuditActorMixin
from weibao.core.api.parsers import TextParser, YamlTextParser
from weibao.core.api.permissions import RolePermission
from weibao.core.audit import audit_action

__all__ = ["ContractSpecSchemaView", "ContractSpecViewSet", "ContractViewSet"]


class ContractViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.GenericViewSet):
    """Contracts the caller's organisation is party to (PLT-01); others answer 404."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    ordering_fields = ["number", "start_date", "end_date", "amount"]
    ordering = ["-start_date", "number"]

    def get_queryset(self) -> QuerySet[Contract]:
        return (visible_contracts(self.request.user)
                .select_related("previous")
                .prefetch_related("parties__organisation", "parties__contacts"))

    def get_permissions(self) -> list[BasePermission]:
        if self.action in {"list", "retrieve", "create", "update", "partial_update"}:
            return [RolePermission()]
        return [IsAuthenticated()]

    def get_serializer_class(self) -> Any:
        return ContractWriteSerializer if self.action == "create" else ContractSerializer

    def require(self, perm: str, contract: Contract) -> None:
        if not self.request.user.has_perm(f"contracts.{perm}", contract):
            raise PermissionDenied

    @extend_schema(request=ContractWriteSerializer, responses={201: ContractSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ContractWriteSerializer(data=request.data,
                                             context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contract = services.create_contract(services.ContractInput(**serializer.validated_data),
                                            actor=request.user)  # type: ignore[arg-type]
        body = ContractSerializer(contract, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contract = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = ContractSerializer(contract, data=request.data, partial=partial,
                                        context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contract = services.update_contract(contract, dict(serializer.validated_data),
                                            actor=request.user)  # type: ignore[arg-type]
        return Response(ContractSerializer(contract, context=self.get_serializer_context()).data)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneStateSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def milestones(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_paymentmilestone", contract)
            serializer = MilestoneSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.save_milestone(contract, services.MilestoneInput(
                **{"percent": None, **serializer.validated_data}))
        self.require("view_paymentmilestone", contract)
        data = [
            {"milestone": s.milestone, "amount": s.amount, "amount_pending": s.amount_pending,
             "invoiced": s.invoiced, "paid": s.paid, "due_date": s.due_date,
             "waiting_for": s.waiting_for, "rule": s.rule, "status": s.status}
            for s in milestone_schedule(contract)
        ]
        return Response(MilestoneStateSerializer(data, many=True).data,
                        status=201 if request.method == "POST" else 200)

    @extend_schema(request=ContractEventSerializer, responses=ContractEventSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        """Dated contract events payments wait for (PAY-01, PAY-03); POST records one by hand
        (the same kind, budget year or deliverable again corrects it)."""
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_contractevent", contract)
            serializer = ContractEventSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            event = services.record_contract_event(
                contract, actor=request.user,  # type: ignore[arg-type]
                **serializer.validated_data)
            return Response(ContractEventSerializer(event).data, status=201)
        self.require("view_contractevent", contract)
        events = contract.events.select_related("entered_by").order_by("occurred_on", "id")
        return Response(ContractEventSerializer(events, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"events/(?P<event_pk>\d+)")
    def delete_event(self, request: Request, pk: str | None = None,
                     event_pk: str | None = None) -> Response:
        """Withdraw an event recorded by mistake."""
        contract = self.get_object()
        self.require("delete_contractevent", contract)
        event = contract.events.filter(pk=event_pk).first()
        if event is None:
            raise Http404
        services.delete_contract_event(event)
        return Response(status=204)

    @extend_schema(request=BondSerializer, responses=BondSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def bonds(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_performancebond", contract)
            serializer = BondSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            bond = services.record_bond(contract, **serializer.validated_data)
            return Response(BondSerializer(bond).data, status=201)
        self.require("view_performancebond", contract)
        return Response(BondSerializer(contract.bonds.all(), many=True).data)

    @extend_schema(request=InvoiceSerializer, responses=InvoiceSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def invoices(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_invoice", contract)
            serializer = InvoiceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            milestone = data.pop("milestone")
            if milestone.contract_id != contract.pk:
                raise ValidationError({"milestone": ["The milestone belongs to another contract."]})
            invoice = services.record_invoice(milestone, **data)
            return Response(InvoiceSerializer(invoice).data, status=201)
        self.require("view_invoice", contract)
        invoices = Invoice.objects.filter(milestone__contract=contract)
        return Response(InvoiceSerializer(invoices, many=True).data)

    @extend_schema(request=PaymentSerializer, responses=PaymentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_payment", contract)
            serializer = PaymentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            milestone = data.pop("milestone")
            if milestone.contract_id != contract.pk:
                raise ValidationError({"milestone": ["The milestone belongs to another contract."]})
            payment = services.record_payment(milestone, **data)
            return Response(PaymentSerializer(payment).data, status=201)
        self.require("view_payment", contract)
        payments = Payment.objects.filter(milestone__contract=contract)
        return Response(PaymentSerializer(payments, many=True).data)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer},
                   responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_contractdocument", contract)
            serializer = DocumentUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            document = services.upload_document(
                contract, doc_type=data["doc_type"], title=data["title"], upload=data["file"],
                actor=request.user, notes=data["notes"])  # type: ignore[arg-type]
            return Response(DocumentSerializer(document).data, status=201)
        self.require("view_contractdocument", contract)
        return Response(DocumentSerializer(contract.documents.all(), many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse()})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_pk>\d+)/download")
    def download(self, request: Request, pk: str | None = None,
                 document_pk: str | None = None) -> FileResponse:
        contract = self.get_object()
        self.require("view_contractdocument", contract)
        document = contract.documents.filter(pk=document_pk).first()
        if document is None or not document.file:
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=(document.file.name or "").rsplit("/", 1)[-1])

    @extend_schema(request=AmendmentSerializer, responses=AmendmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def amendments(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        if request.method == "POST":
            self.require("add_amendment", contract)
            serializer = AmendmentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            amendment = services.save_amendment(contract, **serializer.validated_data)
            return Response(AmendmentSerializer(amendment).data, status=201)
        self.require("view_amendment", contract)
        return Response(AmendmentSerializer(contract.amendments.all(), many=True).data)

    @extend_schema(responses={200: OpenApiResponse(description="Audit log entries")})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        self.require("view_contract", contract)
        return Response([
            {"timestamp": e.timestamp, "action": audit_action(e.action),
             "model": e.content_type.model, "object_id": e.object_pk,
             "object": e.object_repr, "actor": str(e.actor) if e.actor else None,
             "remote_addr": e.remote_addr, "changes": e.changes_dict}
            for e in contract_history(contract, request.user)
        ])

    @extend_schema(responses={(200, "application/yaml"): OpenApiResponse()})
    @action(detail=True, methods=["get"])
    def spec(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        self.require("export_spec", contract)
        return Response(export_text(contract), content_type="application/yaml; charset=utf-8")


def _spec_text(request: Request) -> str:
    if isinstance(request.data, str):
        return request.data
    data: Any = request.data
    if hasattr(data, "get") and "text" in data:
        return str(data["text"])
    if "file" in request.FILES:
        return request.FILES["file"].read().decode("utf-8", errors="replace")
    return request.body.decode("utf-8", errors="replace")


def _spec_error_response(exc: SpecInvalid) -> Response:
    body = error_body(
        "The contract spec is not valid; nothing was written.", "spec_invalid",
        {}, spec_errors=[{"path": e.path, "code": e.code, "message": e.message(),
                          "message_zh": e.message("zh-hans"), "message_en": e.message("en")}
                         for e in exc.errors])
    return Response(body, status=400)


class ContractSpecSchemaView(APIView):
    """The published JSON Schema of the contract spec (public documentation)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: OpenApiResponse(description="JSON Schema")})
    def get(self, request: Request) -> Response:
        return Response(build_schema())


class ContractSpecViewSet(AuditActorMixin, viewsets.ViewSet):
    """Validate or import a YAML spec: body is the YAML text, ``{"text": ...}`` or a file."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, YamlTextParser, TextParser, MultiPartParser, FormParser]

    @extend_schema(request={"application/yaml": str}, responses={200: OpenApiResponse()})
    @action(detail=False, methods=["post"])
    def validate(self, request: Request) -> Response:
        try:
            data = validate_text(_spec_text(request))
        except SpecInvalid as exc:
            return _spec_error_response(exc)
        return Response({"valid": True, "number": data["contract"]["number"]})

    @extend_schema(request={"application/yaml": str}, responses={200: ContractSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request: Request) -> Response:
        if not request.user.has_perm("contracts.import_spec"):
            raise PermissionDenied
        try:
            result = import_text(_spec_text(request), actor=request.user)  # type: ignore[arg-type]
        except SpecInvalid as exc:
            return _spec_error_response(exc)
        body = ContractSerializer(result.contract, context={"request": request}).data
        return Response(body, status=201 if result.created else 200)
