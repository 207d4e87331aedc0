"""Serializers of the imports API (AST-10). Writes go through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.imports.choices import ImportMode
from weibao.imports.models import ImportJob

__all__ = ["CommitSerializer", "ImportJobSerializer", "UploadSerializer"]


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    row_errors = RowErrorSerializer(source="errors", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True,
                                       default="")

    class Meta:
        model = ImportJob
        fields = ["id", "contract", "importer", "original_name", "size", "status", "mode",
                  "background", "total_rows", "valid_rows", "error_rows", "written", "progress",
                  "percent", "row_errors", "failure", "created_by", "created_at", "validated_at",
                  "committed_at", "finished_at"]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.none())
    importer = serializers.CharField(max_length=40)
    file = serializers.FileField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # PLT-01: only the caller's contracts exist
            self.fields["contract"].queryset = visible_contracts(  # type: ignore[attr-defined]
                request.user)


class CommitSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ImportMode.choices)
