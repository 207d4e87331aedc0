"""Reads of the tickets domain on the reporting path."""

from __future__ import annotations

from typing import Any

from weibao.contracts.selectors import visible_contracts
from weibao.core.stamped import TimedCache
from weibao.sites.models import Site
from weibao.tickets.models import TicketType

__all__ = ["forget_reporting_sites", "forget_reporting_types", "reporting_site",
           "reporting_type"]

_types: TimedCache[tuple[Any, str, str], TicketType] = TimedCache()
_sites: TimedCache[tuple[int, str], Site] = TimedCache()


def forget_reporting_types(**kwargs: Any) -> None:
    """A ticket type, a contract or a contract party changed in this process."""
    _types.expire()


def forget_reporting_sites(**kwargs: Any) -> None:
    """A site, a district or an area class changed in this process."""
    _sites.expire()


def reporting_site(contract_id: int, code: str) -> Site | None:
    """Site ``code`` of the contract with what the SLA selects on (its area class), kept per
    process like :func:`reporting_type`."""
    return _sites.get((contract_id, code), lambda: (
        Site.objects.select_related("area_class_override", "district__area_class")
        .filter(contract_id=contract_id, code=code).first()))


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
