"""PLT-03: audit every contract object; entries carry the contract id for the per-contract log."""

from auditlog.registry import auditlog

from weibao.contracts.models import (
    Amendment,
    Contact,
    Contract,
    ContractDocument,
    ContractEvent,
    ContractParty,
    FactorBand,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)

for model in (
    Contract,
    ContractParty,
    Contact,
    ContractDocument,
    Amendment,
    PaymentMilestone,
    PerformanceBond,
    Invoice,
    Payment,
    ContractEvent,
    FactorBand,
):
    auditlog.register(model)
