"""Sign-in, login history and the lockout page (PLT-04)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from weibao.security.forms import LockoutAuthenticationForm
from weibao.security.models import Lockout, LoginAttempt
from weibao.security.services import unlock
from weibao.utils.views import PermissionMixin

__all__ = ["LockoutListView", "LoginHistoryView", "LoginView", "MyLoginHistoryView",
           "UnlockView"]

_PAGE = 200


class LoginView(auth_views.LoginView):
    """Django's login view with lockout and the login history."""

    form_class = LockoutAuthenticationForm
    template_name = "security/login.html"
    redirect_authenticated_user = True


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
