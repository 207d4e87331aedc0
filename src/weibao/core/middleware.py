"""Who the client is, and where the back office answers (PLT-03, PLT-08).

weibao runs behind a reverse proxy (nginx, docs/install.md), so ``REMOTE_ADDR`` is the proxy's
address and the client's is in ``X-Forwarded-For`` — a header any client can also send.
``WEIBAO_TRUSTED_PROXIES`` says whose forwarded address is believed: the client address is
computed once per request (:func:`client_address`, kept as ``request.client_ip``) and both
the audit log and the back-office network check use it. With no trusted proxy (the default)
the header is ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any, cast

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _

__all__ = ["ADMIN_PATHS", "AdminNetworkMiddleware", "AuditMiddleware",
           "ClientAddressMiddleware", "DefaultLanguageMiddleware", "client_address"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_UNSET = object()
#: The back office: the Django admin and weibao's user and organisation management.
ADMIN_PATHS = ("/admin/", "/manage/")


def _networks(values: list[str]) -> list[Network]:
    return _parsed_networks(tuple(values))


@functools.lru_cache(maxsize=16)
def _parsed_networks(values: tuple[str, ...]) -> list[Network]:
    return [ipaddress.ip_network(value, strict=False) for value in values]


def _parse(value: str) -> Address | None:
    """An address as a proxy writes it (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443``,
    ``2001:db8::1``), IPv4-mapped IPv6 as IPv4; None when it is no address."""
    text = value.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _within(address: Address, networks: list[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, computed once per request and kept as ``request.client_ip``.

    ``REMOTE_ADDR`` unless it is one of ``WEIBAO_TRUSTED_PROXIES``; then ``X-Forwarded-For`` is
    read from the right (each proxy appends the address it received the request from),
    skipping trusted proxies: the first address that is not one is the client. Entries left of
    it were written by the client and are never believed. None when the address that would be
    believed is not an address at all (nothing can be said about the client).
    """
    cached: object = getattr(request, "client_ip", _UNSET)
    if cached is not _UNSET:
        return cast("str | None", cached)
    trusted = _networks(settings.WEIBAO_TRUSTED_PROXIES)
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if address is not None and trusted and _within(address, trusted) and forwarded.strip():
        for hop in reversed(forwarded.split(",")):
            address = _parse(hop)
            if address is None or not _within(address, trusted):
                break
    client = None if address is None else str(address)
    request.client_ip = client  # type: ignore[attr-defined]
    return client


class ClientAddressMiddleware:
    """Computes ``request.client_ip`` first, for every later middleware and view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        client_address(request)
        return self.get_response(request)


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the client address weibao believes (PLT-03).

    django-auditlog takes the first ``X-Forwarded-For`` entry as is — whatever the client
    wrote; here the address and port come from the trusted proxy chain only."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        header = "X-Forwarded-Port" if _via_trusted_proxy(request) else None
        value: Any = request.headers.get(header) if header else request.META.get("REMOTE_PORT")
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


def _via_trusted_proxy(request: HttpRequest) -> bool:
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    trusted = _networks(settings.WEIBAO_TRUSTED_PROXIES)
    return address is not None and _within(address, trusted)


class AdminNetworkMiddleware:
    """PLT-08: the back office (:data:`ADMIN_PATHS`) answers only to clients on
    ``WEIBAO_ADMIN_NETWORKS``, judged by the client address (not the proxy's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ADMIN_PATHS) and not self._trusted(request):
            return HttpResponseForbidden(
                _("The administration back office is not reachable from this network.")
            )
        return self.get_response(request)

    def _trusted(self, request: HttpRequest) -> bool:
        client = client_address(request)
        address = _parse(client) if client else None
        return address is not None and _within(
            address, _networks(settings.WEIBAO_ADMIN_NETWORKS))


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the person chose otherwise (language cookie or ?language=).

    Django's LocaleMiddleware follows the browser's Accept-Language; an intranet PC set up in
    English would then show English to a Chinese user. weibao's default is zh-hans.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
