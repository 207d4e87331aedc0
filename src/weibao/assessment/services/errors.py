"""Errors of the assessment services; the API answers a conflict with 409."""

from __future__ import annotations

from weibao.core.errors import ConflictError

__all__ = ["AssessmentConflict", "StaleRecord"]


class AssessmentConflict(ConflictError):
    """The request is valid but conflicts with the assessment's or the breach's state
    (HTTP 409): a final assessment is frozen, a line is not disputed, …"""

    def __init__(self, message: str, *, version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.version = version


class StaleRecord(AssessmentConflict):
    """Someone else changed the assessment or the breach since the caller read it."""
