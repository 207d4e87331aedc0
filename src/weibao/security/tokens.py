"""API tokens stored hashed (PLT-04, PLT-05): a copy of the database yields no usable token.

DRF's ``Token`` keeps its 40-character key as the primary key. weibao stores there the first
160 bits of the SM3 digest of the key instead of the key itself: the key is shown once, when it
is issued, and every request's key is digested before it is looked up
(:mod:`weibao.core.api.authentication`). Every token the ORM creates is hashed on its way into
the database (``pre_save``) and the caller still reads the plain key on the instance it made
(``post_save``), so ``Token.objects.create(user=…).key`` keeps working, and deleting that
instance deletes the stored row (``pre_delete``); a token read back from the database only ever
holds the digest.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.core.crypto import digest

__all__ = ["ObtainTokenView", "connect", "hash_token", "issue_token"]

_PLAIN = "_weibao_plain_key"


def hash_token(key: str) -> str:
    """The stored form of a token key: 40 hex digits of its SM3 digest."""
    return digest(key.encode("utf-8"), "sm3")[:40]


def _hash_on_create(sender: Any, instance: Token, raw: bool = False, **kwargs: Any) -> None:
    if raw or not instance._state.adding:
        return
    if not instance.key:
        instance.key = Token.generate_key()
    setattr(instance, _PLAIN, instance.key)
    instance.key = hash_token(instance.key)


def _plain_after_create(sender: Any, instance: Token, created: bool = False,
                        **kwargs: Any) -> None:
    plain = getattr(instance, _PLAIN, None)
    if plain is not None and created:
        instance.key = plain


def _stored_before_delete(sender: Any, instance: Token, **kwargs: Any) -> None:
    """The instance that created a token still holds the plain key: delete the stored row."""
    plain = getattr(instance, _PLAIN, None)
    if plain is not None and instance.key == plain:
        instance.key = hash_token(plain)


def connect() -> None:
    from django.db.models.signals import post_save, pre_delete, pre_save

    pre_save.connect(_hash_on_create, sender=Token, dispatch_uid="security.token_hash")
    post_save.connect(_plain_after_create, sender=Token, dispatch_uid="security.token_plain")
    pre_delete.connect(_stored_before_delete, sender=Token,
                       dispatch_uid="security.token_delete")


@transaction.atomic
def issue_token(user: Any) -> str:
    """A new API token for ``user``, replacing the previous one; the plain key is returned
    once and never stored."""
    Token.objects.filter(user=user).delete()
    return str(Token.objects.create(user=user).key)


class ObtainTokenView(ObtainAuthToken):
    """``POST /api/auth/token/`` with user name and password: a new token (the previous one of
    the user stops working), refused while the account or the client address is locked."""

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from django.utils.translation import gettext as _
        from rest_framework.exceptions import AuthenticationFailed

        from weibao.core.middleware import client_address
        from weibao.security.services import active_lockout, record_attempt

        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username") or "")
        ip = client_address(request._request)
        agent = request.headers.get("User-Agent", "")
        if username and active_lockout(username, ip) is not None:
            record_attempt(username, ip, succeeded=False, reason="locked", user_agent=agent)
            raise AuthenticationFailed(_("Too many failed sign-ins: this account or your "
                                         "address is locked."), code="locked")
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            record_attempt(username, ip, succeeded=False, reason="bad_credentials",
                           user_agent=agent)
            serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        record_attempt(username, ip, user=user, succeeded=True, reason="api_token",
                       user_agent=agent)
        return Response({"token": issue_token(user)})
