"""Reads of the service-level domain."""

from __future__ import annotations

from weibao.contracts.models import Contract
from weibao.core.stamped import StampedCache
from weibao.sla.models import SlaPolicy
from weibao.sla.policy import Policy
from weibao.sla.spec import dump

__all__ = ["cached_contract_policy", "contract_policy", "forget_contract_policy"]


def _policy_stamp(contract_id: int) -> object:
    return (SlaPolicy.objects.filter(contract_id=contract_id)
            .values_list("pk", "updated_at").first())


_policies: StampedCache[int, Policy | None] = StampedCache(_policy_stamp)


def contract_policy(contract: Contract) -> Policy | None:
    """The contract's compiled service levels, or None when it has none."""
    data = dump(contract)
    return Policy.from_spec(data) if data is not None else None


def cached_contract_policy(contract: Contract) -> Policy | None:
    """``contract_policy`` cached per process under the policy's timestamp, which every
    change of the policy or its stages and targets moves (:mod:`weibao.core.stamped`)."""
    return _policies.get(contract.pk, lambda: contract_policy(contract))


def forget_contract_policy(contract_id: int) -> None:
    """This process just changed the contract's policy: read it again on the next call."""
    _policies.expire(contract_id)
