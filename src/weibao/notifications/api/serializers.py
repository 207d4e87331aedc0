"""Serializers of the notifications API. A channel's address and secret are write-only: the
API answers with the masked address and whether a secret is set, never the secret."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.notifications.choices import ChannelKind, PersonalChannel
from weibao.notifications.models import Channel, Delivery, Notification

__all__ = ["ChannelInput", "ChannelSerializer", "DeliverySerializer", "MarkReadInput",
           "NotificationSerializer", "PreferenceSerializer"]


def _slug(field: str) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field=field, read_only=True)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    contract: serializers.SlugRelatedField[Any] = _slug("number")
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "contract", "subject", "body", "link", "urgent", "created_at",
                  "read_at", "read"]
        read_only_fields = fields

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class MarkReadInput(serializers.Serializer[Any]):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                help_text="Notifications to mark read; absent: all of yours.")


class PreferenceSerializer(serializers.Serializer[Any]):
    channels = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(PersonalChannel.choices)),
        help_text='Per event kind (or "*" for every kind): e-mail and/or sms.')
    quiet_start = serializers.TimeField(allow_null=True, required=False)
    quiet_end = serializers.TimeField(allow_null=True, required=False)
    quiet_non_working_days = serializers.BooleanField(required=False, default=False)
    digest_hour = serializers.IntegerField(min_value=0, max_value=23, allow_null=True,
                                           required=False, default=None,
                                           help_text="Hour of the daily digest e-mail; null: "
                                                     "one e-mail per event.")


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    channel = serializers.CharField(source="channel.name", default="", read_only=True)
    contract: serializers.SlugRelatedField[Any] = _slug("number")

    class Meta:
        model = Delivery
        fields = ["id", "kind", "channel", "contract", "event_kind", "address", "subject",
                  "status", "attempts", "next_attempt_at", "last_error", "sent_at",
                  "created_at"]
        read_only_fields = fields


class ChannelSerializer(serializers.ModelSerializer[Channel]):
    contract: serializers.SlugRelatedField[Any] = _slug("number")
    organisation: serializers.SlugRelatedField[Any] = _slug("code")
    address = serializers.CharField(source="masked_address", read_only=True)
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = ["id", "name", "kind", "contract", "organisation", "address", "has_secret",
                  "events", "rate_per_minute", "active"]
        read_only_fields = fields

    def get_has_secret(self, obj: Channel) -> bool:
        return bool(obj.secret)


class ChannelInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(ChannelKind.choices)
    contract = serializers.CharField(required=False, allow_blank=True,
                                     help_text="The contract's number.")
    organisation = serializers.CharField(required=False, allow_blank=True,
                                         help_text="The organisation's code.")
    address = serializers.CharField(required=False, allow_blank=True, write_only=True)
    secret = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                   allow_null=True, default=None)
    events = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    rate_per_minute = serializers.IntegerField(min_value=0, max_value=10000, default=20)
    active = serializers.BooleanField(default=True)
