"""Django admin (PLT-08: reachable only from trusted networks; administrators only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from weibao.core.models import Organisation, User, WorkerHeartbeat

admin.site.site_header = _("weibao administration")
admin.site.site_title = _("weibao")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("weibao"), {"fields": ("organisation", "role", "phone")}),
    )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]
