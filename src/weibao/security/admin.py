"""The back office (trusted networks only): an administrator removes the authenticator of a
user who lost their phone; the user sets a new one up after signing in."""

from django.contrib import admin

from weibao.security.models import TotpDevice


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "confirmed_at", "created_at")
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = ("user", "confirmed_at", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False
