"""The login form refusing locked accounts and addresses (PLT-04)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from weibao.core.middleware import client_address
from weibao.security.services import active_lockout, record_attempt

__all__ = ["LockoutAuthenticationForm"]


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's form, plus: a locked account or client address is refused before the
    password is checked, and every attempt is recorded (login history, lockout counting)."""

    def clean(self) -> dict[str, Any]:
        request = self.request
        username = str(self.data.get("username") or "")
        ip = client_address(request) if request is not None else None
        agent = request.headers.get("User-Agent", "") if request is not None else ""
        if username and active_lockout(username, ip) is not None:
            record_attempt(username, ip, succeeded=False, reason="locked", user_agent=agent)
            raise forms.ValidationError(
                _("Too many failed sign-ins: this account or your address is locked. Try "
                  "again later or ask an administrator to unlock it."), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_attempt(username, ip, succeeded=False, reason="bad_credentials",
                           user_agent=agent)
            raise
        from weibao.security.second_factor import has_second_factor

        user = self.get_user()
        if not has_second_factor(user):  # else the code's step records the sign-in
            record_attempt(username, ip, user=user, succeeded=True, user_agent=agent)
        return cleaned
