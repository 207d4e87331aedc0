"""Choices of the notifications domain: channel kinds, delivery states, recipient selectors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ChannelKind", "DeliveryStatus", "PersonalChannel", "Recipient"]


class ChannelKind(models.TextChoices):
    """Where a notification goes besides the in-app centre."""

    EMAIL = "email", _("E-mail (SMTP)")
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    WECOM_APP = "wecom_app", _("WeCom application message (企业微信应用消息)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")
    WEBHOOK = "webhook", _("Signed webhook")
    SMS = "sms", _("SMS gateway (短信)")

    @classmethod
    def group_kinds(cls) -> list[str]:
        """Channels that post once per event to a group, not once per person."""
        return [cls.WECOM, cls.WECOM_APP, cls.DINGTALK, cls.WEBHOOK]


class PersonalChannel(models.TextChoices):
    """The channels a person chooses per event kind in their preferences (the notification
    centre always receives)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead letter")


class Recipient(models.TextChoices):
    """Who a rule (or an event kind's default) names, besides roles and organisations."""

    ASSIGNEE = "assignee", _("Assigned engineer")
    ON_DUTY = "on_duty", _("On duty")
    REPORTER = "reporter", _("Reporter")
    SUBJECT = "subject", _("The person the event is about")
