"""Behaviour shared by every API view."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

__all__ = ["AuditActorMixin"]


class AuditActorMixin:
    """PLT-03: a token-authenticated caller is the actor of the audit entries it causes.

    The audit middleware runs before DRF authenticates a token, so it sees an anonymous user;
    once DRF has authenticated the request, fill the actor into the middleware's context.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.user and request.user.is_authenticated:
            from auditlog.context import auditlog_value

            current = auditlog_value.get(None)
            if current is not None and current.get("actor") is None:
                current["actor"] = request.user
