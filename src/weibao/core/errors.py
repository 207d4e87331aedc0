"""Domain errors raised by services; views, API and commands turn them into user messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError

__all__ = ["ConflictError", "ServiceError"]


class ServiceError(ValidationError):
    """A rule was broken; nothing was written. ``message_dict`` names the fields when known."""


class ConflictError(ServiceError):
    """The request conflicts with the current state (answered with HTTP 409)."""
