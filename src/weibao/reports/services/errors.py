"""Errors of deliverables services; the API answers a conflict with 409."""

from __future__ import annotations

from weibao.core.errors import ConflictError

__all__ = ["StaleSubmission", "SubmissionConflict"]


class SubmissionConflict(ConflictError):
    """The request is valid but conflicts with the submission's state (HTTP 409)."""

    def __init__(self, message: str, *, version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.version = version


class StaleSubmission(SubmissionConflict):
    """Someone else changed the submission since the caller read it."""
