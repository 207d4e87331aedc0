"""Errors of maintenance services; the API answers a conflict with 409."""

from __future__ import annotations

from weibao.core.errors import ConflictError

__all__ = ["StaleVisit", "VisitConflict"]


class VisitConflict(ConflictError):
    """The request is valid but conflicts with the visit's current state (HTTP 409)."""

    def __init__(self, message: str, *, version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.version = version


class StaleVisit(VisitConflict):
    """Someone else changed the visit since the caller read it (optimistic locking)."""
