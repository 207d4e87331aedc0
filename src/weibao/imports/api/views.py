"""``/api/imports/``: upload a file (multipart: contract, importer, file) → the validated job
with every row error; ``POST /api/imports/{id}/commit/`` with ``mode``; ``GET`` status and
progress. Scoped per contract (PLT-01); needs the importer's permission AND
``imports.add_importjob`` to upload or commit."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.core.api.mixins import AuditActorMixin
from weibao.imports import services
from weibao.imports.api.serializers import (
    CommitSerializer,
    ImportJobSerializer,
    UploadSerializer,
)
from weibao.imports.models import ImportJob
from weibao.imports.registry import get_importer
from weibao.imports.selectors import can_import, visible_jobs

__all__ = ["ImportJobViewSet"]


class ImportJobViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Import jobs of the caller's contracts (AST-10)."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = None
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[ImportJob]:
        jobs = visible_jobs(self.request.user)
        contract = self.request.query_params.get("contract")
        if contract:
            if not contract.isdigit():
                raise ValidationError({"contract": [_("Give a contract id.")]})
            jobs = jobs.filter(contract_id=int(contract))
        return jobs

    @extend_schema(parameters=[OpenApiParameter("contract", int, description="Contract id.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": UploadSerializer},
                   responses={201: ImportJobSerializer})
    def create(self, request: Request) -> Response:
        """Upload and validate a file; the job lists every row error. Long files validate in
        the background: poll the job until ``status`` is ``validated`` (or ``failed``)."""
        data = UploadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        contract, key = data.validated_data["contract"], data.validated_data["importer"]
        try:
            importer = get_importer(key)
        except KeyError:
            message = _("Unknown import type %(key)s.") % {"key": key}
            raise ValidationError({"importer": [message]}) from None
        if not can_import(request.user, importer, contract):
            raise PermissionDenied
        job = services.upload(contract, key, data.validated_data["file"], request.user)
        return Response(ImportJobSerializer(job, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitSerializer, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str | None = None) -> Response:
        """Write the rows, once: ``all_or_nothing`` (refused while any row has an error) or
        ``valid_rows``. A second commit answers 409."""
        job = self.get_object()
        importer = get_importer(job.importer)
        if not can_import(request.user, importer, job.contract):
            raise PermissionDenied
        data = CommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.commit(job, data.validated_data["mode"], request.user)
        return Response(ImportJobSerializer(job, context={"request": request}).data)
