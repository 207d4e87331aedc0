"""API token authentication with the token's user kept per process.

Every API call authenticates; looking the token and its user up is a query per call. The
pair is kept for ``WEIBAO_CACHE_RECHECK_SECONDS`` (:mod:`weibao.core.stamped`): a token
deleted or a user deactivated stops working at once in the process that made the change and
within that interval in every other one."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from weibao.core.stamped import TimedCache

__all__ = ["TokenAuthentication", "forget_tokens"]

_tokens: TimedCache[str, tuple[Any, Token]] = TimedCache()


def forget_tokens(**kwargs: Any) -> None:
    """A token or a user changed in this process: look every token up again."""
    _tokens.expire()


def _lookup(key: str) -> tuple[Any, Token] | None:
    from weibao.security.tokens import hash_token  # tokens are stored hashed (PLT-04)

    token = Token.objects.select_related("user").filter(key=hash_token(key)).first()
    return (token.user, token) if token is not None else None


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        found = _tokens.get(key, lambda: _lookup(key))
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # Each request gets its own copy: per-request attributes never leak to the next.
        return copy.copy(user), token
