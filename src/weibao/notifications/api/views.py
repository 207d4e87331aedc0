"""``/api/notifications/…``: the caller's own notifications (list, unread count, mark read),
their preferences, and for administrators the channels (secrets write-only) and the delivery
log with the retry of a dead letter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.contracts.models import Contract
from weibao.core.models import Organisation
from weibao.maintenance.api.common import ActionPermission, actor
from weibao.notifications import services
from weibao.notifications.api import serializers as s
from weibao.notifications.choices import DeliveryStatus
from weibao.notifications.models import Channel, Delivery, Notification, Preference

__all__ = ["ChannelViewSet", "DeliveryViewSet", "NotificationViewSet", "PreferenceViewSet"]

_COUNT = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
_MARKED = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """通知中心: only the caller's own notifications; ``?unread=true`` filters."""

    queryset = Notification.objects.none()
    serializer_class = s.NotificationSerializer
    permission_classes = [ActionPermission]
    default_permission = "notifications.view_notification"
    action_permissions = {"read": "notifications.change_notification"}

    def get_queryset(self) -> QuerySet[Notification]:
        rows = Notification.objects.filter(recipient=actor(self.request)).select_related(
            "contract")
        if self.request.query_params.get("unread") in ("1", "true"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(responses=_COUNT)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": Notification.objects.filter(
            recipient=actor(request), read_at__isnull=True).count()})

    @extend_schema(request=s.MarkReadInput, responses=_MARKED)
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        data = s.MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        marked = (services.mark_read(actor(request), ids) if ids is not None
                  else services.mark_all_read(actor(request)))
        return Response({"marked": marked})


class PreferenceViewSet(viewsets.ViewSet):
    """The caller's channels per event kind and quiet hours."""

    permission_classes = [ActionPermission]
    default_permission = "notifications.change_preference"

    @extend_schema(responses=s.PreferenceSerializer)
    def list(self, request: Request) -> Response:
        user = actor(request)
        preference = Preference.objects.filter(user=user).first() or Preference(user=user)
        return Response(s.PreferenceSerializer({
            "channels": preference.channels, "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
            "quiet_non_working_days": preference.quiet_non_working_days,
            "digest_hour": preference.digest_hour}).data)

    @extend_schema(request=s.PreferenceSerializer, responses=s.PreferenceSerializer)
    def create(self, request: Request) -> Response:
        data = s.PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.save_preferences(actor(request), channels=v["channels"],
                                  quiet_start=v.get("quiet_start"), quiet_end=v.get("quiet_end"),
                                  quiet_non_working_days=v.get("quiet_non_working_days", False),
                                  digest_hour=v.get("digest_hour"))
        return self.list(request)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The delivery log (administrators): ``?status=dead`` lists the dead letters."""

    queryset = Delivery.objects.all()
    serializer_class = s.DeliverySerializer
    permission_classes = [ActionPermission]
    default_permission = "notifications.retry_delivery"

    def get_queryset(self) -> QuerySet[Delivery]:
        rows = Delivery.objects.select_related("channel", "contract")
        wanted = self.request.query_params.get("status", "")
        return rows.filter(status=wanted) if wanted in DeliveryStatus.values else rows

    @extend_schema(request=None, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        row = services.retry_delivery(actor(request), self.get_object())
        row.refresh_from_db()
        return Response(s.DeliverySerializer(row).data)


class ChannelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Channels (administrators). The address and the secret are written, never read back."""

    queryset = Channel.objects.all()
    serializer_class = s.ChannelSerializer
    permission_classes = [ActionPermission]
    default_permission = "notifications.change_channel"

    def get_queryset(self) -> QuerySet[Channel]:
        return Channel.objects.select_related("contract", "organisation")

    def _save(self, request: Request, channel: Channel | None) -> Channel:
        data = s.ChannelInput(data=request.data)
        data.is_valid(raise_exception=True)
        v: dict[str, Any] = dict(data.validated_data)
        contract = (get_object_or_404(Contract, number=v.pop("contract"))
                    if v.get("contract") else v.pop("contract", None) or None)
        organisation = (get_object_or_404(Organisation, code=v.pop("organisation"))
                        if v.get("organisation") else v.pop("organisation", None) or None)
        return services.save_channel(actor(request), contract=contract,
                                     organisation=organisation, channel=channel, **v)

    @extend_schema(request=s.ChannelInput, responses={201: s.ChannelSerializer})
    def create(self, request: Request) -> Response:
        channel = self._save(request, None)
        return Response(s.ChannelSerializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ChannelInput, responses=s.ChannelSerializer)
    def update(self, request: Request, pk: str) -> Response:
        channel = self._save(request, self.get_object())
        return Response(s.ChannelSerializer(channel).data)
