"""Reads of the tickets domain on the reporting path."""

from __future__ import annotations

from typing import Any

from weibao.contracts.selectors import visible_contracts
from weibao.core.stamped import TimedCache
from weibao.tickets.models import TicketType

__all__ = ["forget_reporting_types", "reporting_type"]

_types: TimedCache[tuple[Any, str, str], TicketType] = TimedCache()


def forget_reporting_types(**kwargs: Any) -> None:
    """A ticket type, a contract or a contract party changed in this process."""
    _types.expire()


def _scope(user: Any) -> Any:
    """What decides which contracts ``user`` sees (``ContractQuerySet.visible_to``)."""
    if not (user.is_authenticated and user.is_active):
        return None
    return "all" if user.is_administrator else ("organisation", user.organisation_id)


def reporting_type(user: Any, contract_number: str, code: str) -> TicketType | None:
    """Ticket type ``code`` of contract ``contract_number``, its contract loaded, when the
    user sees that contract (PLT-01); else None. Every report asks this, so an answer is kept
    per process for ``WEIBAO_CACHE_RECHECK_SECONDS`` (:mod:`weibao.core.stamped`); a type,
    contract or party changed here is read again at once."""

    def build() -> TicketType | None:
        return (TicketType.objects.select_related("contract")
                .filter(contract__in=visible_contracts(user), contract__number=contract_number,
                        code=code).first())

    scope = _scope(user)
    if scope is None:
        return build()
    return _types.get((scope, contract_number, code), build)
