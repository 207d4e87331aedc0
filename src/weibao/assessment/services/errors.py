"""Errors of the assessment services; the API answers a conflict with 409."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from weibao.core.errors import ConflictError

__all__ = ["AssessmentConflict", "StaleRecord", "lock_current"]

M = TypeVar("M", bound=models.Model)


class AssessmentConflict(ConflictError):
    """The request is valid but conflicts with the assessment's or the breach's state
    (HTTP 409): a final assessment is frozen, a line is not disputed, …"""

    def __init__(self, message: str, *, version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.version = version


class StaleRecord(AssessmentConflict):
    """Someone else changed the assessment or the breach since the caller read it."""


def lock_current(model: type[M], record: M | int, expected_version: int | None,
                 message: Any) -> M:
    """``record`` locked for this transaction (with its contract), refused with ``message``
    (formatted with ``current`` and ``expected``) when its version is no longer the one the
    caller read."""
    pk = record if isinstance(record, int) else record.pk
    locked = (model._default_manager.select_for_update(of=("self",))
              .select_related("contract").get(pk=pk))
    current = locked.version  # type: ignore[attr-defined]
    if expected_version is not None and current != expected_version:
        raise StaleRecord(str(message) % {"current": current, "expected": expected_version},
                          version=current)
    return locked
