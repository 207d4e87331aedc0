"""Response headers (PLT-08) and the absolute session timeout (PLT-04).

The idle timeout is Django's: ``SESSION_COOKIE_AGE`` (``WEIBAO_SESSION_MINUTES``) renewed on
every request. The absolute one ends a session ``WEIBAO_SESSION_ABSOLUTE_HOURS`` after the
sign-in however busy it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

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
        return self.get_response(request)


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
