"""Response headers (PLT-08) and the absolute session timeout (PLT-04).

The idle timeout is Django's: ``SESSION_COOKIE_AGE`` (``WEIBAO_SESSION_MINUTES``) renewed on
every request. The absolute one ends a session ``WEIBAO_SESSION_ABSOLUTE_HOURS`` after the
sign-in however busy it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware", "SessionLimitMiddleware"]

#: No inline or foreign script; style attributes are allowed (Tabler and ECharts write them).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SESSION_STARTED = "weibao_signed_in_at"
MUST_CHANGE = "weibao_must_change_password"
#: The user of the request being served (None outside a request): who set a password.
REQUEST_USER: ContextVar[Any] = ContextVar("weibao_request_user", default=None)


class SecurityHeadersMiddleware:
    """Content-Security-Policy, and the headers Django's SecurityMiddleware leaves out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), "
                                                  "microphone=(), payment=()")
        return response


class SessionLimitMiddleware:
    """Signs a session out ``WEIBAO_SESSION_ABSOLUTE_HOURS`` after it signed in, and keeps an
    administrator without an authenticator on its set-up page when one is required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = REQUEST_USER.set(getattr(request, "user", None))
        try:
            return self._limit(request)
        finally:
            REQUEST_USER.reset(token)

    def _limit(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            limit = float(getattr(settings, "WEIBAO_SESSION_ABSOLUTE_HOURS", 12)) * 3600
            started = request.session.get(SESSION_STARTED)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED] = now
            elif limit > 0 and now - float(started) > limit:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if _must_enrol(request, user):
                return HttpResponseRedirect(reverse("security:totp"))
            if request.session.get(MUST_CHANGE) and _must_change(request, user):
                return HttpResponseRedirect(reverse("password_change"))
        return self.get_response(request)


def _must_change(request: HttpRequest, user: object) -> bool:
    """A password set by an administrator, or expired, must be changed before anything else
    (checked while the session is flagged; the flag drops once it is changed)."""
    allowed = (reverse("password_change"), reverse("password_change_done"), reverse("logout"),
               settings.STATIC_URL or "/static/", "/i18n/")
    if request.path.startswith(allowed):
        return False
    from weibao.security.passwords import must_change_password

    if must_change_password(user):
        return True
    del request.session[MUST_CHANGE]
    return False


def _must_enrol(request: HttpRequest, user: object) -> bool:
    """``WEIBAO_REQUIRE_TOTP_FOR_ADMINS``: an administrator without an authenticator may only
    set one up (or sign out)."""
    if not getattr(settings, "WEIBAO_REQUIRE_TOTP_FOR_ADMINS", False) or not getattr(
            user, "is_administrator", False):
        return False
    allowed = (reverse("security:totp"), reverse("logout"), settings.STATIC_URL or "/static/",
               "/i18n/")
    if request.path.startswith(allowed):
        return False
    from weibao.security.second_factor import has_second_factor

    return not has_second_factor(user)


def mark_signed_in(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """``user_logged_in`` receiver: the absolute timeout counts from this sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = time.time()
        from weibao.security.passwords import must_change_password

        user = kwargs.get("user")
        if user is not None and must_change_password(user):
            request.session[MUST_CHANGE] = True
