"""Sign-in, login history and the lockout page (PLT-04)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from weibao.core.middleware import client_address
from weibao.security.forms import LockoutAuthenticationForm
from weibao.security.models import Lockout, LoginAttempt
from weibao.security.second_factor import (
    check_code,
    confirm_device,
    has_second_factor,
    pending_secret,
    remove_device,
    start_enrolment,
)
from weibao.security.services import active_lockout, record_attempt, unlock
from weibao.security.totp import provisioning_uri, qr_svg
from weibao.utils.views import PermissionMixin

__all__ = ["AuditChainView", "LockoutListView", "LoginHistoryView", "LoginView",
           "MyLoginHistoryView", "TotpLoginView", "TotpSetupView", "UnlockView"]

_PAGE = 200
PENDING_USER = "security_pending_user"
PENDING_BACKEND = "security_pending_backend"


class LoginView(auth_views.LoginView):
    """Django's login view with lockout, the login history and the second factor: a user with
    an authenticator is signed in only after the one-time code (:class:`TotpLoginView`)."""

    form_class = LockoutAuthenticationForm
    template_name = "security/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not has_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_BACKEND] = user.backend
        target = reverse("security:totp-login")
        next_url = self.get_redirect_url()
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}"
                                    if next_url else target)


class TotpLoginView(View):
    """The second step of a sign-in: the authenticator's code (PLT-04)."""

    template = "security/totp_login.html"

    def _pending(self, request: HttpRequest) -> Any:
        pk = request.session.get(PENDING_USER)
        return get_user_model().objects.filter(pk=pk, is_active=True).first() if pk else None

    def get(self, request: HttpRequest) -> HttpResponse:
        if self._pending(request) is None:
            return HttpResponseRedirect(reverse("login"))
        return render(request, self.template, {"next": request.GET.get("next", "")})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self._pending(request)
        if user is None:
            return HttpResponseRedirect(reverse("login"))
        ip = client_address(request)
        agent = request.headers.get("User-Agent", "")
        if active_lockout(user.username, ip) is not None or not check_code(
                user, request.POST.get("code", "")):
            record_attempt(user.username, ip, user=user, succeeded=False, reason="bad_code",
                           user_agent=agent)
            return render(request, self.template, {
                "next": request.POST.get("next", ""),
                "error": _("The code is wrong or expired.")}, status=200)
        backend = request.session.get(PENDING_BACKEND)
        login(request, user, backend=backend)
        record_attempt(user.username, ip, user=user, succeeded=True, reason="second_factor",
                       user_agent=agent)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                               require_https=request.is_secure()):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(next_url)


class TotpSetupView(LoginRequiredMixin, View):
    """Each user sets up or removes their own authenticator."""

    template = "security/totp_setup.html"

    def _page(self, request: HttpRequest, error: str = "") -> HttpResponse:
        user = request.user
        secret = pending_secret(user)
        uri = provisioning_uri(secret, user.get_username()) if secret else ""
        return render(request, self.template, {
            "title": _("Two-step sign-in"), "enabled": has_second_factor(user),
            "secret": secret, "error": error,
            "uri": uri, "qr_svg": mark_safe(qr_svg(uri)) if uri else "",  # noqa: S308
            "required": _totp_required(user)})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == "start":
                start_enrolment(request.user)
            elif action == "confirm":
                confirm_device(request.user, request.POST.get("code", ""))
                messages.success(request, _("Two-step sign-in is on."))
            elif action == "remove":
                if _totp_required(request.user):
                    raise ValidationError(_("Administrators must keep an authenticator."))
                remove_device(request.user, request.user)
                messages.success(request, _("Two-step sign-in is off."))
        except ValidationError as error:
            return self._page(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("security:totp"))


def _totp_required(user: Any) -> bool:
    return bool(getattr(settings, "WEIBAO_REQUIRE_TOTP_FOR_ADMINS", False)) and bool(
        getattr(user, "is_administrator", False))


class MyLoginHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "security/login_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        attempts = LoginAttempt.objects.filter(user_id=cast(int, self.request.user.pk))[
            :_PAGE]
        return {**super().get_context_data(**kwargs), "attempts": attempts,
                "title": _("My sign-ins"), "everyone": False}


class LoginHistoryView(PermissionMixin, TemplateView):
    permission_required = "security.view_loginattempt"
    template_name = "security/login_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        attempts = LoginAttempt.objects.select_related("user")
        query = self.request.GET.get("q", "").strip()
        if query:
            attempts = (attempts.filter(client_ip=query) if _is_ip(query)
                        else attempts.filter(username__icontains=query.lower()))
        failed = self.request.GET.get("failed") == "1"
        if failed:
            attempts = attempts.filter(succeeded=False)
        return {**super().get_context_data(**kwargs), "attempts": attempts[:_PAGE],
                "title": _("Sign-in history"), "everyone": True, "q": query,
                "failed": failed}


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class LockoutListView(PermissionMixin, TemplateView):
    permission_required = "security.view_lockout"
    template_name = "security/lockouts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lockouts = Lockout.objects.select_related("released_by")[:_PAGE]
        return {**super().get_context_data(**kwargs), "lockouts": lockouts,
                "title": _("Lockouts"),
                "can_unlock": self.request.user.has_perm("security.unlock_lockout")}


class UnlockView(PermissionMixin, View):
    permission_required = "security.unlock_lockout"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            lockout = unlock(pk, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(what)s is unlocked.") % {"what": str(lockout)})
        return HttpResponseRedirect(reverse("security:lockouts"))


class AuditChainView(PermissionMixin, TemplateView):
    """Administrators verify the audit chain (PLT-03)."""

    permission_required = "security.view_auditseal"
    template_name = "security/audit_chain.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from weibao.security.audit_chain import verify_chain

        return {**super().get_context_data(**kwargs), "title": _("Audit chain"),
                "report": verify_chain()}
