"""Password lifecycle (PLT-04): history of the last N, forced change after a password set by
someone else, expiry after ``WEIBAO_PASSWORD_MAX_AGE_DAYS``.

Django marks a user whose password was just set (``set_password`` keeps ``_password``); on the
save that follows, :func:`_password_saved` records the hash in the history and the state. The
signed-in user of the request (``SessionLimitMiddleware``) tells a user's own
change from an administrator's: a password set by another person must be changed at the next
sign-in. Accounts made outside a request (the demo, ``createsuperuser``) are not forced.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext

from weibao.security.models import PasswordHistory, PasswordState

__all__ = ["HistoryValidator", "connect", "must_change_password"]


def _history_length() -> int:
    return int(getattr(settings, "WEIBAO_PASSWORD_HISTORY", 5))


def _actor() -> Any:
    from weibao.security.middleware import REQUEST_USER

    user = REQUEST_USER.get()
    return user if user is not None and user.is_authenticated else None


def _password_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False,
                    **kwargs: Any) -> None:
    if raw or getattr(instance, "_password", None) is None or not instance.has_usable_password():
        return
    actor = _actor()
    by_other = actor is not None and getattr(actor, "pk", None) != instance.pk
    PasswordState.objects.update_or_create(
        user_id=instance.pk, defaults={"must_change": by_other, "changed_at": timezone.now()})
    keep = _history_length()
    if keep > 0:
        PasswordHistory.objects.create(user_id=instance.pk, password=instance.password)
        old = PasswordHistory.objects.filter(user_id=instance.pk).values_list(
            "pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    post_save.connect(_password_saved, sender=get_user_model(),
                      dispatch_uid="security.password_saved")


def must_change_password(user: Any) -> bool:
    """Set by someone else, or older than ``WEIBAO_PASSWORD_MAX_AGE_DAYS`` (0: never)."""
    state = PasswordState.objects.filter(user_id=user.pk).first()
    if state is None:
        return False
    if state.must_change:
        return True
    days = int(getattr(settings, "WEIBAO_PASSWORD_MAX_AGE_DAYS", 0))
    return bool(days and state.changed_at
                and state.changed_at < timezone.now() - timedelta(days=days))


class HistoryValidator:
    """The new password is none of the last ``WEIBAO_PASSWORD_HISTORY`` ones."""

    def validate(self, password: str, user: Any = None) -> None:
        keep = _history_length()
        if user is None or not getattr(user, "pk", None) or keep <= 0:
            return
        hashes = PasswordHistory.objects.filter(user_id=user.pk).values_list(
            "password", flat=True)[:keep]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        keep = _history_length()
        return ngettext("Your password must differ from your last password.",
                        "Your password must differ from your last %(n)d passwords.",
                        keep) % {"n": keep} if keep > 0 else ""
