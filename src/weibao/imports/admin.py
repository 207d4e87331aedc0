"""Import jobs in the Django admin: read-only, limited to the user's contracts (PLT-01)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from weibao.contracts.selectors import scope_to_user
from weibao.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "contract", "importer", "original_name", "status", "mode",
                    "total_rows", "error_rows", "written"]
    list_filter = ["status", "importer"]
    search_fields = ["original_name", "contract__number"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_user(super().get_queryset(request), request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
