"""Reads of the service-level domain."""

from __future__ import annotations

import threading

from weibao.contracts.models import Contract
from weibao.sla.models import SlaPolicy
from weibao.sla.policy import Policy
from weibao.sla.spec import dump

__all__ = ["cached_contract_policy", "contract_policy"]

_cache: dict[int, tuple[object, Policy]] = {}
_lock = threading.Lock()


def contract_policy(contract: Contract) -> Policy | None:
    """The contract's compiled service levels, or None when it has none."""
    data = dump(contract)
    return Policy.from_spec(data) if data is not None else None


def cached_contract_policy(contract: Contract) -> Policy | None:
    """``contract_policy`` cached per process, checked against the policy's timestamp (one
    small query) so an imported change is seen at once by every worker."""
    stamp = (SlaPolicy.objects.filter(contract_id=contract.pk)
             .values_list("pk", "updated_at").first())
    if stamp is None:
        return None
    with _lock:
        hit = _cache.get(contract.pk)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    policy = contract_policy(contract)
    if policy is not None:
        with _lock:
            _cache[contract.pk] = (stamp, policy)
    return policy
