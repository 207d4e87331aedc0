"""Helpers shared by the emergency services: the conflict error, locking a versioned row,
permission and party checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract
from weibao.core.errors import ConflictError, ServiceError

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["PURCHASER", "EmergencyConflict", "lock_current", "require", "require_party", "text"]

M = TypeVar("M", bound=models.Model)


class EmergencyConflict(ConflictError):
    """Valid request, wrong state (HTTP 409): a phase skipped, a plan not approved, a stale
    version."""

    def __init__(self, message: str, *, version: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.version = version


def lock_current(model: type[M], record: M | int, expected_version: int | None) -> M:
    """``record`` locked for this transaction, refused when someone changed it since the
    caller read ``expected_version``."""
    pk = record if isinstance(record, int) else record.pk
    locked = (model._default_manager.select_for_update(of=("self",))
              .select_related("contract").get(pk=pk))
    current = locked.version  # type: ignore[attr-defined]
    if expected_version is not None and current != expected_version:
        raise EmergencyConflict(
            _("Someone changed this record in the meantime (version %(current)s, you had "
              "%(expected)s); reload it and try again.")
            % {"current": current, "expected": expected_version}, version=current)
    return locked


def require(user: User, perm: str, contract: Contract, message: str) -> None:
    if not user.has_perm(perm, contract):
        raise PermissionDenied(message)


def require_party(contract: Contract, person: Any, field: str, *,
                  roles: tuple[str, ...] | None = None, message: str) -> None:
    """``person`` belongs to an organisation party to the contract (of ``roles`` if given)."""
    organisation = getattr(person, "organisation_id", None)
    if person is None or not person.is_active or organisation is None:
        raise ServiceError({field: [message]})
    parties = contract.parties.filter(organisation_id=organisation)
    if roles is not None:
        parties = parties.filter(role__in=roles)
    if not parties.exists():
        raise ServiceError({field: [message]})


def text(value: str | None, field: str, message: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ServiceError({field: [message]})
    return cleaned


PURCHASER = (PartyRole.PURCHASER,)
