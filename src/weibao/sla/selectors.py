"""Reads of the service-level domain."""

from __future__ import annotations

from weibao.contracts.models import Contract
from weibao.sla.policy import Policy
from weibao.sla.spec import dump

__all__ = ["contract_policy"]


def contract_policy(contract: Contract) -> Policy | None:
    """The contract's compiled service levels, or None when it has none."""
    data = dump(contract)
    return Policy.from_spec(data) if data is not None else None
