"""The back office (trusted networks only): channels with their address masked and their
secret never shown (set them through the API or ``weibao`` shell: they are encrypted), and the
delivery log read-only. Sending a dead letter again is on the delivery log page."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from weibao.notifications.models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "contract", "organisation", "masked_address", "active")
    list_filter = ("kind", "active")
    fields = ("name", "kind", "contract", "organisation", "masked_address", "events",
              "rate_per_minute", "active")
    readonly_fields = ("masked_address",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an address and a secret are entered through the service (encrypted)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "address", "subject", "status",
                    "attempts", "next_attempt_at")
    list_filter = ("status", "kind")
    search_fields = ("subject", "key")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
