"""The TOTP second factor: enrolment, confirmation, removal and the check at sign-in (PLT-04).
Every write is one transaction; the device row is locked while a code is checked, so a code
cannot be used twice by two concurrent sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.crypto import decrypt, encrypt
from weibao.security import totp
from weibao.security.models import TotpDevice

__all__ = [
    "check_code",
    "confirm_device",
    "has_second_factor",
    "pending_secret",
    "remove_device",
    "start_enrolment",
]

_CONTEXT = "security.totp"


def has_second_factor(user: Any) -> bool:
    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


@transaction.atomic
def start_enrolment(user: Any) -> str:
    """A new unconfirmed secret for ``user`` (returned in clear once, kept encrypted); a
    confirmed authenticator must be removed first."""
    device = TotpDevice.objects.select_for_update().filter(user_id=user.pk).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationError(_("An authenticator is already set up; remove it first."))
    secret = totp.new_secret()
    if device is None:
        TotpDevice.objects.create(user=user, secret=encrypt(secret, context=_CONTEXT))
    else:
        device.secret = encrypt(secret, context=_CONTEXT)
        device.last_step = -1
        device.save(update_fields=["secret", "last_step"])
    return secret


def pending_secret(user: Any) -> str | None:
    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    return decrypt(device.secret, context=_CONTEXT) if device is not None else None


@transaction.atomic
def confirm_device(user: Any, code: str) -> TotpDevice:
    device = TotpDevice.objects.select_for_update().filter(user_id=user.pk).first()
    if device is None or device.confirmed_at is not None:
        raise ValidationError(_("Start the set-up of an authenticator first."))
    step = totp.verify(decrypt(device.secret, context=_CONTEXT), code, after=device.last_step)
    if step is None:
        raise ValidationError({"code": _("The code is wrong or expired.")})
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    return device


@transaction.atomic
def check_code(user: Any, code: str) -> bool:
    """At sign-in: is ``code`` the user's current one-time password (not used before)?"""
    device = (TotpDevice.objects.select_for_update()
              .filter(user_id=user.pk, confirmed_at__isnull=False).first())
    if device is None:
        return False
    step = totp.verify(decrypt(device.secret, context=_CONTEXT), code, after=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


@transaction.atomic
def remove_device(user: Any, by: Any) -> None:
    """The user removes their authenticator, or an administrator does (a lost phone)."""
    if by.pk != user.pk and not by.has_perm("security.delete_totpdevice"):
        raise ValidationError(_("You may not remove another user's authenticator."))
    deleted, _rows = TotpDevice.objects.filter(user_id=user.pk).delete()
    if not deleted:
        raise ValidationError(_("No authenticator is set up."))
