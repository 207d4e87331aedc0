"""Writes and rules of the contracts domain. Each public function is one transaction."""

from weibao.contracts.services.contracts import (
    ContractInput,
    create_contract,
    save_contact,
    save_party,
    update_contract,
)
from weibao.contracts.services.documents import (
    delete_document,
    save_amendment,
    upload_document,
    validate_upload,
)
from weibao.contracts.services.events import delete_contract_event, record_contract_event
from weibao.contracts.services.payments import (
    MilestoneInput,
    milestone_errors,
    record_bond,
    record_invoice,
    record_payment,
    save_milestone,
)

__all__ = [
    "ContractInput",
    "MilestoneInput",
    "create_contract",
    "delete_contract_event",
    "delete_document",
    "milestone_errors",
    "record_bond",
    "record_contract_event",
    "record_invoice",
    "record_payment",
    "save_amendment",
    "save_contact",
    "save_milestone",
    "save_party",
    "update_contract",
    "upload_document",
    "validate_upload",
]
