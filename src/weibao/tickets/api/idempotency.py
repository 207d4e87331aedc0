"""``Idempotency-Key``: a phone retrying on a bad network gets the first answer again instead
of creating a second ticket or repeating a step."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from weibao.core.api.errors import error_body
from weibao.tickets.services.idempotency import claim_idempotency_key, remember_answer

__all__ = ["idempotent"]

HEADER = "Idempotency-Key"


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view(self, request, *args, **kwargs)
        if len(key) > 100:
            return Response(error_body(_("The Idempotency-Key is longer than 100 characters."),
                                       "invalid"), status=status.HTTP_400_BAD_REQUEST)
        user = cast(Any, request.user)
        signature = f"{request.method} {request.path}"[:300]
        # The record and the work commit together (see claim_idempotency_key).
        with transaction.atomic():
            record, first = claim_idempotency_key(user, key, signature)
            if not first:
                if record.request != signature:
                    return Response(error_body(
                        _("This Idempotency-Key was used for another request (%(request)s).")
                        % {"request": record.request}, "conflict"),
                        status=status.HTTP_409_CONFLICT)
                response = Response(record.body, status=record.status_code)
                response["Idempotent-Replayed"] = "true"
                return response
            response = view(self, request, *args, **kwargs)
            if response.status_code < 300:
                remember_answer(record, response.status_code, response.data)
            else:
                transaction.set_rollback(True)
            return response
    return wrapper
