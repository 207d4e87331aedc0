"""Notifications (通知), their deliveries, the channels they go out by, the people's
preferences and the contract's recipient rules."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.crypto import decrypt, encrypt
from weibao.core.models import Organisation
from weibao.notifications.choices import ChannelKind, DeliveryStatus

__all__ = ["Channel", "Delivery", "Escalation", "Notification", "Preference", "RecipientRule",
           "SourceCursor"]


class Notification(models.Model):
    """One event told to one person: the row of their notification centre (通知中心)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("event"), max_length=60)
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="+")
    # The event's identity (e.g. ``sla.warning:alert-17``): a person hears of it once.
    event_key = models.CharField(_("event key"), max_length=120)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["event_key", "recipient"],
                                               name="notification_once_per_person")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class Channel(models.Model):
    """Where a contract's (or an organisation's) notifications go besides the centre: a group
    mailbox, a WeCom or DingTalk group robot, a signed webhook or the SMS gateway. The
    address (a robot's URL holds its key) and the secret are stored encrypted (PLT-05)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="+",
        help_text=_("A channel of an organisation serves every contract it is party to."))
    address = models.TextField(_("address (encrypted)"), blank=True)
    secret = models.TextField(_("secret (encrypted)"), blank=True)
    events = models.JSONField(_("events"), default=list, blank=True,
                              help_text=_("Event kinds sent here; empty: every event."))
    rate_per_minute = models.PositiveIntegerField(
        _("messages per minute"), default=20,
        help_text=_("DingTalk robots accept 20 messages a minute, WeCom robots 20."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        constraints = [models.CheckConstraint(
            condition=models.Q(contract__isnull=False) | models.Q(organisation__isnull=False),
            name="channel_has_an_owner")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def set_address(self, value: str) -> None:
        self.address = encrypt(value, context="notifications.channel.address") if value else ""

    def set_secret(self, value: str) -> None:
        self.secret = encrypt(value, context="notifications.channel.secret") if value else ""

    def plain_address(self) -> str:
        return (decrypt(self.address, context="notifications.channel.address")
                if self.address else "")

    def plain_secret(self) -> str:
        return decrypt(self.secret, context="notifications.channel.secret") if self.secret else ""

    def masked_address(self) -> str:
        """What the pages show: the host and nothing of the key."""
        from urllib.parse import urlsplit

        value = self.plain_address()
        if "@" in value and "://" not in value:
            name, _sep, domain = value.partition("@")
            return f"{name[:1]}***@{domain}"
        parts = urlsplit(value)
        return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else "…"

    def wants(self, kind: str) -> bool:
        return self.active and (not self.events or kind in self.events)


class Delivery(models.Model):
    """One message to one channel: a person's e-mail or SMS, or a group channel's post.
    ``key`` makes it unique per event, channel and person, so a repeated fan-out or a retried
    task never sends it twice."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    notification = models.ForeignKey(Notification, verbose_name=_("notification"),
                                     on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="deliveries")
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="deliveries")
    kind = models.CharField(_("channel kind"), max_length=20, choices=ChannelKind.choices)
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="+")
    event_kind = models.CharField(_("event"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(_("sending until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        permissions = [("retry_delivery", _("Can send a failed delivery again"))]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} [{self.status}]"


class Preference(models.Model):
    """A person's channels per event kind and quiet hours (免打扰). The notification centre
    always receives; e-mail and SMS follow ``channels`` (``{"*": [...], kind: [...]}``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="notification_preference")
    channels = models.JSONField(_("channels per event"), default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    quiet_non_working_days = models.BooleanField(
        _("quiet on days off"), default=False,
        help_text=_("Weekends and holidays of the national working calendar (调休 included)."))
    digest_hour = models.PositiveSmallIntegerField(
        _("daily digest at"), null=True, blank=True,
        help_text=_("Hour (0–23) of one daily e-mail listing the notifications instead of an "
                    "e-mail per event; urgent ones still go at once."))
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def channels_for(self, kind: str) -> list[str]:
        chosen: Any = self.channels.get(kind, self.channels.get("*"))
        return list(chosen) if chosen is not None else list(DEFAULT_CHANNELS)


DEFAULT_CHANNELS = ("email",)


class RecipientRule(models.Model):
    """One rule of the contract spec's ``notifications`` section: who hears of which events."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="notification_rules")
    position = models.PositiveSmallIntegerField(_("position"))
    events = models.JSONField(_("events"), default=list)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    parties = models.JSONField(_("parties"), default=list, blank=True)
    organisations = models.JSONField(_("organisations"), default=list, blank=True)
    recipients = models.JSONField(_("people of the event"), default=list, blank=True)
    users = models.JSONField(_("user names"), default=list, blank=True)

    class Meta:
        ordering = ["contract", "position"]
        verbose_name = _("recipient rule")
        verbose_name_plural = _("recipient rules")

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.position}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}


class Escalation(models.Model):
    """One step of the spec's ``notifications.escalations``: a ticket still not acknowledged
    ``after_minutes`` after its report is told to these recipients (升级通知)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="notification_escalations")
    position = models.PositiveSmallIntegerField(_("position"))
    after_minutes = models.PositiveIntegerField(_("after minutes without acknowledgement"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    parties = models.JSONField(_("parties"), default=list, blank=True)
    organisations = models.JSONField(_("organisations"), default=list, blank=True)
    recipients = models.JSONField(_("people of the event"), default=list, blank=True)
    users = models.JSONField(_("user names"), default=list, blank=True)

    class Meta:
        ordering = ["contract", "after_minutes", "position"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.contract_id} +{self.after_minutes} min"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}


class SourceCursor(models.Model):
    """How far a sweep over another app's records (SLA alerts) has published events."""

    name = models.CharField(max_length=60, unique=True)
    position = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("event source cursor")
        verbose_name_plural = _("event source cursors")

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"
