"""Sign-in throttling and lockout (PLT-04). Every write is one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.security.models import LockKind, Lockout, LoginAttempt

__all__ = ["active_lockout", "record_attempt", "unlock"]


def _limits(kind: str) -> tuple[int, int]:
    """(failures that lock, window and lock length in minutes) of an account or an address."""
    minutes = int(getattr(settings, "WEIBAO_LOCKOUT_MINUTES", 15))
    if kind == LockKind.ACCOUNT:
        return int(getattr(settings, "WEIBAO_LOCKOUT_THRESHOLD", 5)), minutes
    return int(getattr(settings, "WEIBAO_LOCKOUT_ADDRESS_THRESHOLD", 20)), minutes


def _active(kind: str, key: str) -> Q:
    now = timezone.now()
    return (Q(kind=kind, key=key, released_at__isnull=True)
            & (Q(locked_until__isnull=True) | Q(locked_until__gt=now)))


def active_lockout(username: str, client_ip: str | None) -> Lockout | None:
    """The lockout that refuses this sign-in now, if any (the account's first)."""
    query = _active(LockKind.ACCOUNT, username.strip().lower())
    if client_ip:
        query |= _active(LockKind.ADDRESS, client_ip)
    return Lockout.objects.filter(query).order_by("kind").first()


def _maybe_lock(kind: str, key: str, attempts: Any) -> None:
    threshold, minutes = _limits(kind)
    if threshold <= 0:
        return
    now = timezone.now()
    since = now - timedelta(minutes=minutes or 24 * 60)
    last_release = (Lockout.objects.filter(kind=kind, key=key, released_at__isnull=False)
                    .order_by("-released_at").values_list("released_at", flat=True).first())
    last_lock = (Lockout.objects.filter(kind=kind, key=key)
                 .order_by("-locked_at").values_list("locked_at", flat=True).first())
    for moment in (last_release, last_lock):
        if moment and moment > since:
            since = moment
    if kind == LockKind.ACCOUNT:
        last_success = attempts.filter(succeeded=True).order_by("-at").values_list(
            "at", flat=True).first()
        if last_success and last_success > since:
            since = last_success
    failures = attempts.filter(succeeded=False, at__gt=since).count()
    if failures >= threshold and not Lockout.objects.filter(_active(kind, key)).exists():
        Lockout.objects.create(
            kind=kind, key=key, failures=failures,
            locked_until=now + timedelta(minutes=minutes) if minutes else None)


@transaction.atomic
def record_attempt(username: str, client_ip: str | None, *, user: Any = None,
                   succeeded: bool, reason: str = "", user_agent: str = "") -> LoginAttempt:
    """Record a sign-in attempt; a failure may lock the account and the client address."""
    key = username.strip().lower()[:150]
    attempt = LoginAttempt.objects.create(
        username=key, user=user, client_ip=client_ip or None, succeeded=succeeded,
        reason=reason[:40], user_agent=user_agent[:300])
    if not succeeded and reason != "locked":
        _maybe_lock(LockKind.ACCOUNT, key, LoginAttempt.objects.filter(username=key))
        if client_ip:
            _maybe_lock(LockKind.ADDRESS, client_ip,
                        LoginAttempt.objects.filter(client_ip=client_ip))
    return attempt


@transaction.atomic
def unlock(lockout_id: int, by: Any) -> Lockout:
    """An administrator releases a lockout (recorded in the audit log)."""
    if not by.has_perm("security.unlock_lockout"):
        raise ValidationError(_("You may not unlock accounts."))
    lockout = Lockout.objects.select_for_update().filter(pk=lockout_id).first()
    if lockout is None:
        raise ValidationError(_("No such lockout."))
    if lockout.released_at is not None:
        raise ValidationError(_("This lockout was already released."))
    lockout.released_at = timezone.now()
    lockout.released_by = by
    lockout.save(update_fields=["released_at", "released_by"])
    return lockout
