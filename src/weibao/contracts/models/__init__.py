from weibao.contracts.models.contract import Contact, Contract, ContractParty, ContractQuerySet
from weibao.contracts.models.documents import Amendment, ContractDocument
from weibao.contracts.models.events import ContractEvent
from weibao.contracts.models.payment import (
    FactorBand,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)

__all__ = [
    "Amendment",
    "Contact",
    "Contract",
    "ContractDocument",
    "ContractEvent",
    "ContractParty",
    "ContractQuerySet",
    "FactorBand",
    "Invoice",
    "Payment",
    "PaymentMilestone",
    "PerformanceBond",
]
