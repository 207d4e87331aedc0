"""PLT-08: the Django admin back office answers only from trusted networks."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _

__all__ = ["AdminNetworkMiddleware", "DefaultLanguageMiddleware"]


class AdminNetworkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = [
            ipaddress.ip_network(net, strict=False) for net in settings.WEIBAO_ADMIN_NETWORKS
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and not self._trusted(request):
            return HttpResponseForbidden(
                _("The administration back office is not reachable from this network.")
            )
        return self.get_response(request)

    def _trusted(self, request: HttpRequest) -> bool:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in net for net in self.networks)


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the person chose otherwise (language cookie or ?language=).

    Django's LocaleMiddleware follows the browser's Accept-Language; an intranet PC set up in
    English would then show English to a Chinese user. weibao's default is zh-hans.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
