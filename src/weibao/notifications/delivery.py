"""Sending a delivery: claimed under a row lock so a retried or duplicated task never sends
twice, a per-channel rate limit in the cache (Redis in production), retries with
exponential back-off, and the dead-letter status after the last attempt."""

from __future__ import annotations

import contextlib
import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from weibao.notifications.choices import DeliveryStatus
from weibao.notifications.clients import ChannelError, send
from weibao.notifications.models import Delivery

__all__ = ["backoff", "deliver", "deliver_many", "due_deliveries", "max_attempts",
           "release_stale_leases"]

log = logging.getLogger(__name__)

OPEN = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
LEASE = datetime.timedelta(minutes=2)

def email_rate_per_minute() -> int:
    """Personal e-mail (no channel row) shares one limit: the SMTP relay's (0: none)."""
    return int(getattr(settings, "WEIBAO_NOTIFY_EMAIL_PER_MINUTE", 120))


def max_attempts() -> int:
    return int(getattr(settings, "WEIBAO_NOTIFY_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most 6 hours."""
    base = float(getattr(settings, "WEIBAO_NOTIFY_BACKOFF_SECONDS", 60))
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _rate_allows(delivery: Delivery, now: datetime.datetime) -> datetime.datetime | None:
    """None when the channel may send now, else the start of the next minute."""
    limit = delivery.channel.rate_per_minute if delivery.channel else email_rate_per_minute()
    if not limit:
        return None
    window = int(now.timestamp() // 60)
    key = f"notifications:rate:{delivery.channel_id or 'email'}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        used = 1
    if used <= limit:
        return None
    return datetime.datetime.fromtimestamp((window + 1) * 60, tz=datetime.UTC)


def deliver(pk: int, now: datetime.datetime | None = None, mail: Any = None) -> str:
    """Send one delivery if it is open and due; returns its status afterwards (or
    ``deferred`` when the channel's rate limit holds it to the next minute)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (Delivery.objects.select_for_update(of=("self",)).select_related("channel")
               .filter(pk=pk).first())
        if row is None:
            return "missing"
        if row.status not in OPEN or row.next_attempt_at > now:
            return row.status
        later = _rate_allows(row, now)
        if later is not None:
            Delivery.objects.filter(pk=pk, status__in=OPEN).update(next_attempt_at=later)
            return "deferred"
        # The conditional update is the claim: of two workers (or a task and its retry) only
        # one changes the row, on SQLite as on PostgreSQL.
        claimed = Delivery.objects.filter(pk=pk, status__in=OPEN).update(
            status=DeliveryStatus.SENDING, lease_until=now + LEASE,
            attempts=F("attempts") + 1)
        if not claimed:
            return row.status
    row.refresh_from_db()
    try:
        send(row, mail)
    except ChannelError as error:
        return _failed(row, str(error))
    except Exception as error:  # a bug in a client must not leave the row claimed
        log.exception("delivery %s", pk)
        return _failed(row, f"{type(error).__name__}")
    Delivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error="")
    return DeliveryStatus.SENT


def deliver_many(pks: list[int]) -> dict[str, int]:
    """Send a batch (one worker task), sharing one SMTP connection; counts by outcome."""
    from django.core.mail import get_connection

    outcomes: dict[str, int] = {}
    mail = get_connection(fail_silently=False)
    try:
        for pk in pks:
            outcome = deliver(pk, mail=mail)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        with contextlib.suppress(Exception):  # the server may have dropped it already
            mail.close()
    return outcomes


def _failed(row: Delivery, message: str) -> str:
    now = timezone.now()
    dead = row.attempts >= max_attempts()
    status = DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
    Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING).update(
        status=status, lease_until=None, last_error=message[:1000],
        next_attempt_at=now if dead else now + backoff(row.attempts))
    if dead:
        log.warning("delivery %s dead after %s attempts: %s", row.pk, row.attempts, message)
    return status


def release_stale_leases(now: datetime.datetime | None = None) -> int:
    """A worker stopped while sending: its deliveries are retried (or dead)."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=now)
    dead = stale.filter(attempts__gte=max_attempts()).update(
        status=DeliveryStatus.DEAD, lease_until=None, last_error="worker stopped while sending")
    return dead + stale.update(status=DeliveryStatus.FAILED, lease_until=None,
                               next_attempt_at=now, last_error="worker stopped while sending")


def due_deliveries(now: datetime.datetime | None = None, limit: int = 5000) -> list[int]:
    now = now or timezone.now()
    return list(Delivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
