"""Writes of the notifications domain: the fan-out of events to notifications and deliveries,
reading, preferences, channels and a dead letter sent again. Every function is one
transaction; the sending itself is in :mod:`weibao.notifications.delivery`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.models import User
from weibao.notifications.choices import ChannelKind, DeliveryStatus, PersonalChannel
from weibao.notifications.events import Event, get
from weibao.notifications.models import Channel, Delivery, Notification, Preference
from weibao.notifications.quiet import release_time
from weibao.notifications.recipients import Resolver

__all__ = ["FanOut", "channels_for_contract", "fan_out", "mark_all_read", "mark_read",
           "retry_delivery", "save_channel", "save_preferences"]

_BATCH = 1000


class FanOut:
    """What one fan-out created: notifications and the deliveries due now."""

    def __init__(self) -> None:
        self.notifications = 0
        self.deliveries = 0
        self.due: list[int] = []


def channels_for_contract(contract_id: int) -> list[Channel]:
    """The contract's own channels and those of the organisations party to it."""
    from weibao.contracts.models import ContractParty

    orgs = ContractParty.objects.filter(contract_id=contract_id).values("organisation_id")
    return list(Channel.objects.filter(Q(contract_id=contract_id) | Q(organisation_id__in=orgs),
                                       active=True).order_by("pk"))


def _chunks(items: list[Any], size: int = _BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fan_out(events: list[Event], now: datetime.datetime | None = None) -> FanOut:
    """Tell each event's recipients (the centre, and their e-mail or SMS by their
    preferences and quiet hours) and post it once to each group channel of its contract.
    Idempotent: a notification is unique per event and person, a delivery per event,
    channel and person, so running it again for the same events creates nothing."""
    now = now or timezone.now()
    result = FanOut()
    resolver = Resolver()
    channels: dict[int, list[Channel]] = {}
    rows: list[Notification] = []
    audience: dict[str, list[int]] = {}
    for event in events:
        get(event.kind)
        audience[event.key] = people = resolver.recipients(event)
        rows.extend(Notification(recipient_id=pk, kind=event.kind, contract_id=event.contract_id,
                                 event_key=event.key, subject=event.subject, body=event.body,
                                 link=event.link, urgent=event.urgent) for pk in people)
    deliveries: list[Delivery] = []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=_BATCH)
        result.notifications = len(rows)
        ids: dict[tuple[str, int], int] = {}
        for keys in _chunks(list(audience)):
            ids.update(((key, user), pk) for pk, key, user in Notification.objects.filter(
                event_key__in=keys).values_list("pk", "event_key", "recipient_id"))
        for event in events:
            if event.contract_id is not None and event.contract_id not in channels:
                channels[event.contract_id] = channels_for_contract(event.contract_id)
            deliveries.extend(_personal(event, audience[event.key], ids, resolver,
                                        channels.get(event.contract_id or 0, []), now))
            deliveries.extend(
                Delivery(key=f"{event.key}|ch{channel.pk}", channel=channel, kind=channel.kind,
                         contract_id=event.contract_id, event_kind=event.kind,
                         subject=event.subject, body=event.body, link=event.link,
                         next_attempt_at=now,
                         address=_app_recipients(resolver, audience[event.key])
                         if channel.kind == ChannelKind.WECOM_APP else "")
                for channel in channels.get(event.contract_id or 0, [])
                if channel.kind != ChannelKind.SMS and channel.wants(event.kind)
                and (channel.kind != ChannelKind.WECOM_APP or audience[event.key]))
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=_BATCH)
        result.deliveries = len(deliveries)
        for keys in _chunks([d.key for d in deliveries]):
            result.due.extend(Delivery.objects.filter(
                key__in=keys, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .order_by("pk").values_list("pk", flat=True))
    return result


def _app_recipients(resolver: Resolver, people: list[int]) -> str:
    """A WeCom application message goes to the event's recipients by their WeCom user id,
    which is their weibao user name (``touser`` is ``id1|id2``, at most 1,000)."""
    names = [user.username for pk in people if (user := resolver.person(pk)) is not None]
    return "|".join(names[:1000])[:200]


def _personal(event: Event, people: list[int], ids: dict[tuple[str, int], int],
              resolver: Resolver, channels: list[Channel],
              now: datetime.datetime) -> Iterable[Delivery]:
    sms = next((c for c in channels if c.kind == ChannelKind.SMS and c.wants(event.kind)), None)
    for pk in people:
        user = resolver.person(pk)
        notification = ids.get((event.key, pk))
        if user is None or notification is None:
            continue
        preference = getattr(user, "notification_preference", None) or Preference(user=user)
        chosen = preference.channels_for(event.kind)
        when = now if event.urgent else release_time(preference, now)
        common = {"notification_id": notification, "contract_id": event.contract_id,
                  "event_kind": event.kind, "subject": event.subject, "body": event.body,
                  "link": event.link, "next_attempt_at": when}
        digest = preference.digest_hour is not None and not event.urgent
        if PersonalChannel.EMAIL in chosen and user.email and not digest:
            yield Delivery(key=f"{event.key}|email|u{pk}", kind=ChannelKind.EMAIL,
                           address=user.email, **common)
        if PersonalChannel.SMS in chosen and user.phone and sms is not None:
            yield Delivery(key=f"{event.key}|sms|u{pk}", kind=ChannelKind.SMS, channel=sms,
                           address=user.phone, **common)


# ---------------------------------------------------------------------- the centre
@transaction.atomic
def mark_read(user: User, ids: Iterable[int]) -> int:
    """Mark the user's own notifications read (another person's are not touched)."""
    return Notification.objects.filter(recipient=user, pk__in=list(ids),
                                       read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


# ---------------------------------------------------------------------- preferences
@transaction.atomic
def save_preferences(user: User, *, channels: dict[str, list[str]],
                     quiet_start: datetime.time | None, quiet_end: datetime.time | None,
                     quiet_non_working_days: bool = False,
                     digest_hour: int | None = None) -> Preference:
    errors: dict[str, list[str]] = {}
    for kind, chosen in channels.items():
        if kind != "*":
            try:
                get(kind)
            except KeyError:
                errors.setdefault("channels", []).append(
                    _("Unknown event %(kind)s.") % {"kind": kind})
        unknown = set(chosen) - set(PersonalChannel.values)
        if unknown:
            errors.setdefault("channels", []).append(
                _("Unknown channel %(name)s.") % {"name": ", ".join(sorted(unknown))})
    if (quiet_start is None) != (quiet_end is None):
        errors["quiet_end"] = [_("Give both the start and the end of the quiet hours.")]
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = [_("The quiet hours end when they start.")]
    if digest_hour is not None and not 0 <= digest_hour <= 23:
        errors["digest_hour"] = [_("The digest hour is 0 to 23.")]
    if errors:
        raise ValidationError(errors)
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    if digest_hour is not None and preference.digest_hour is None:
        preference.last_digest_at = timezone.now()  # the first digest starts from now
    preference.digest_hour = digest_hour
    preference.channels = {kind: sorted(set(chosen)) for kind, chosen in channels.items()}
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.quiet_non_working_days = quiet_non_working_days
    preference.save()
    return preference


# ---------------------------------------------------------------------- channels
@transaction.atomic
def save_channel(actor: User, *, name: str, kind: str, contract: Any = None,
                 organisation: Any = None, address: str = "", secret: str | None = None,
                 events: list[str] | None = None, rate_per_minute: int = 20,
                 active: bool = True, channel: Channel | None = None) -> Channel:
    """Create or change a channel (administrators). ``secret`` None keeps the stored one:
    a secret is written, never shown again."""
    if not actor.has_perm("notifications.change_channel"):
        raise PermissionDenied(_("Only an administrator configures channels."))
    errors: dict[str, list[str]] = {}
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Unknown channel kind.")]
    if contract is None and organisation is None:
        errors["contract"] = [_("Give the contract or the organisation the channel serves.")]
    if not name.strip():
        errors["name"] = [_("Give the channel a name.")]
    if kind != ChannelKind.EMAIL and address and not address.startswith(("https://",
                                                                          "http://")):
        errors["address"] = [_("The address is the URL the robot or gateway gave.")]
    if kind == ChannelKind.EMAIL and address and "@" not in address:
        errors["address"] = [_("Give the mailbox address.")]
    for kind_name in events or []:
        try:
            get(kind_name)
        except KeyError:
            errors.setdefault("events", []).append(
                _("Unknown event %(kind)s.") % {"kind": kind_name})
    if errors:
        raise ValidationError(errors)
    target = channel or Channel()
    target.name, target.kind = name.strip()[:100], kind
    target.contract, target.organisation = contract, organisation
    target.events, target.rate_per_minute = list(events or []), rate_per_minute
    target.active = active
    if address or channel is None:
        target.set_address(address.strip())
    if secret is not None:
        target.set_secret(secret.strip())
    target.save()
    return target


@transaction.atomic
def retry_delivery(actor: User, delivery: Delivery | int) -> Delivery:
    """An administrator sends a dead-lettered or failed delivery again (attempts start over)."""
    if not actor.has_perm("notifications.retry_delivery"):
        raise PermissionDenied(_("Only an administrator sends a delivery again."))
    pk = delivery.pk if isinstance(delivery, Delivery) else int(delivery)
    row = Delivery.objects.select_for_update().get(pk=pk)
    if row.status not in (DeliveryStatus.DEAD, DeliveryStatus.FAILED):
        raise ValidationError(_("Only a failed or dead delivery is sent again."))
    row.status, row.attempts, row.next_attempt_at = DeliveryStatus.PENDING, 0, timezone.now()
    row.lease_until = None
    row.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until"])

    def send() -> None:
        from weibao.notifications.tasks import deliver_one

        deliver_one(row.pk)

    transaction.on_commit(send, robust=True)
    return row
