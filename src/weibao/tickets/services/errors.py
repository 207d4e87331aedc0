"""Errors of ticket services; the API answers a conflict with 409."""

from __future__ import annotations

from weibao.core.errors import ConflictError

__all__ = ["IllegalTransition", "StaleTicket", "TicketConflict"]


class TicketConflict(ConflictError):
    """The request is valid but conflicts with the ticket's current state (HTTP 409)."""

    def __init__(self, message: str, *, allowed: list[str] | None = None,
                 version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.allowed = allowed or []
        self.version = version


class IllegalTransition(TicketConflict):
    """The action is not allowed from the ticket's state; ``allowed`` lists what is."""


class StaleTicket(TicketConflict):
    """Someone else changed the ticket since the caller read it (optimistic locking)."""
