"""One error format for the whole API::

    {"message": "human readable summary", "code": "invalid", "errors": {"field": ["..."]}}

``errors`` is empty when the problem concerns no particular field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from weibao.core.errors import ConflictError

__all__ = ["error_body", "exception_handler"]


def error_body(message: str, code: str, errors: dict[str, list[str]] | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"message": message, "code": code, "errors": errors or {}, **extra}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "non_field_errors"
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(d, dict | list) for d in detail):
            out[prefix or "non_field_errors"] = [str(d) for d in detail]
        else:
            for i, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}[{i}]").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        message = "; ".join(str(m) for m in exc.messages)
        code = "conflict" if isinstance(exc, ConflictError) else "invalid"
        http = status.HTTP_409_CONFLICT if isinstance(exc, ConflictError) else 400
        # A conflict may say what is possible now (allowed transitions, current version).
        extra = {key: getattr(exc, key) for key in ("allowed", "version")
                 if getattr(exc, key, None) is not None}
        return Response(error_body(message, code, errors, **extra), status=http)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = _("The data sent is not valid.")
        response.data = error_body(message, "invalid", errors)
    else:
        detail = getattr(exc, "detail", "")
        error_code: Any = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(str(detail), str(error_code))
    return response
