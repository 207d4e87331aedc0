"""JSON Schema fragments of the contracts app's sections."""

from __future__ import annotations

from typing import Any

from weibao.contracts.choices import (
    AmountBasis,
    ContractStatus,
    DocumentType,
    MilestoneTrigger,
    OffsetUnit,
    PartyRole,
    TriggerEvent,
)
from weibao.core.choices import OrganisationKind

__all__ = [
    "AMENDMENTS_SCHEMA",
    "CONTRACT_SCHEMA",
    "DOCUMENTS_SCHEMA",
    "PARTIES_SCHEMA",
    "PAYMENT_SCHEMA",
]

DATE: dict[str, Any] = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
TEXT: dict[str, Any] = {"type": "string", "maxLength": 300}
PERCENT: dict[str, Any] = {"type": "number", "exclusiveMinimum": 0, "maximum": 100}


def obj(properties: dict[str, Any], required: list[str] | None = None,
        description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


CONTRACT_SCHEMA = obj(
    {
        "number": {"type": "string", "minLength": 1, "maxLength": 60, "pattern": r"^\S+$",
                   "description": "Unified contract number (合同统一编号); the import key."},
        "internal_number": {"type": "string", "maxLength": 60},
        "title": {"type": "string", "minLength": 1, "maxLength": 300},
        "status": {"enum": list(ContractStatus.values)},
        "amount": {"type": "number", "minimum": 0, "exclusiveMaximum": 1000000000000,
                   "description": "Contract amount in CNY, exact to the fen."},
        "currency": {"const": "CNY"},
        "signed_on": DATE,
        "signed_at": {"type": "string", "maxLength": 100,
                      "description": "Signing place, e.g. 网上签约."},
        "period": obj({"start": DATE, "end": DATE}, ["start", "end"],
                      "Service period (服务期限)."),
        "previous_number": {"type": "string", "minLength": 1, "maxLength": 60,
                            "description": "Number of the previous year's contract renewed."},
        "procurement_note": TEXT,
        "no_subcontracting": {"type": "boolean"},
        "notes": {"type": "string", "maxLength": 5000},
    },
    ["number", "title", "amount", "period"],
    "The contract record (CON-01, CON-02, CON-05).",
)

ORGANISATION = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "short_name": {"type": "string", "maxLength": 60},
        "code": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,39}$",
                 "description": "Short identifier: lower-case letters, digits, hyphens."},
        "kind": {"enum": list(OrganisationKind.values)},
        "credit_code": {"type": "string", "maxLength": 18},
    },
    ["name", "code", "kind"],
)

CONTACT = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 60},
        "title": {"type": "string", "maxLength": 60},
        "phone": {"type": "string", "maxLength": 40},
        "email": {"type": "string", "maxLength": 254,
                  "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
    },
    ["name"],
)

PARTIES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 2,
    "description": "Purchaser (甲方), vendor (乙方), optional supervisor (监理方) and site owners.",
    "items": obj(
        {
            "role": {"enum": list(PartyRole.values)},
            "organisation": ORGANISATION,
            "address": TEXT,
            "postcode": {"type": "string", "maxLength": 10},
            "phone": {"type": "string", "maxLength": 40},
            "fax": {"type": "string", "maxLength": 40},
            "bank": obj({"name": {"type": "string", "maxLength": 120},
                         "account": {"type": "string", "maxLength": 60}}),
            "contacts": {"type": "array", "items": CONTACT},
        },
        ["role", "organisation"],
    ),
}

TRIGGER = obj(
    {
        "kind": {"enum": list(MilestoneTrigger.values)},
        "date": DATE,
        "event": {"enum": list(TriggerEvent.values)},
        "deliverable": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,59}$",
                        "description": "after_deliverable: the code of the deliverable whose "
                                       "acceptance starts the period, e.g. monthly-report-10."},
        "after_months": {"type": "integer", "minimum": 0, "maximum": 120},
        "and_invoice": {"type": "boolean",
                        "description": "The period counts from the later of the event and the "
                                       "invoice (…且甲方收到乙方开具的等额发票后)."},
        "within": obj(
            {"amount": {"type": "integer", "minimum": 1, "maximum": 3650},
             "unit": {"enum": list(OffsetUnit.values)}},
            ["amount", "unit"],
        ),
    },
    ["kind"],
    "When the milestone becomes payable (PAY-01).",
)

PAYMENT_SCHEMA = obj(
    {
        "milestones": {
            "type": "array",
            "minItems": 1,
            "items": obj(
                {
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "percent": {**PERCENT, "description": "Share of the contract amount; "
                                "omitted for a remainder."},
                    "remainder": {
                        "enum": [v for v in AmountBasis.values if v != AmountBasis.PERCENT],
                        "description": "Instead of a percent (PAY-03): final_price = contract "
                                       "amount × assessment factor − penalties, minus the "
                                       "earlier milestones (the last milestone); "
                                       "approved_budget = the year's approved budget minus "
                                       "the earlier milestones.",
                    },
                    "budget_year": {"type": "integer", "minimum": 2000, "maximum": 2100,
                                    "description": "remainder approved_budget: the budget's "
                                                   "year; default the year the service "
                                                   "starts."},
                    "trigger": TRIGGER,
                    "scaled_by_assessment": {
                        "type": "boolean",
                        "description": "Deprecated: read as remainder: final_price (its percent "
                                       "then only counts toward the 100); export writes "
                                       "remainder.",
                    },
                    "requires_invoice": {"type": "boolean"},
                    "condition": TEXT,
                },
                ["name", "trigger"],
            ),
        },
        "bond": obj({"percent": PERCENT, "form": {"type": "string", "maxLength": 100}},
                    ["percent"], "Performance bond (履约保证金)."),
        "final_price": obj(
            {
                "factor_by_score": {
                    "type": "array", "minItems": 1,
                    "description": "Score bands from the highest; a score above `above` gets "
                                   "`factor`; the last band, without `above`, every lower "
                                   "score.",
                    "items": obj({"above": {"type": "number", "minimum": 0, "maximum": 10000},
                                  "factor": PERCENT}, ["factor"]),
                },
                "factor_by_rating": {
                    "type": "array", "minItems": 1,
                    "description": "The factor of each rating, e.g. 一般 → 97.",
                    "items": obj({"rating": {"type": "string", "minLength": 1, "maxLength": 20},
                                  "factor": PERCENT}, ["rating", "factor"]),
                },
            },
            description="PAY-03: the assessment factor (percent of the whole contract amount) "
                        "the final assessment's score or rating pays; final price = amount × "
                        "factor − penalties.",
        ),
    },
    ["milestones"],
    "Payment milestones and the performance bond (PAY-01..03).",
)

DOCUMENTS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Contract documents (CON-03); files are uploaded in weibao.",
    "items": obj(
        {
            "type": {"enum": list(DocumentType.values)},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "notes": TEXT,
        },
        ["type", "title"],
    ),
}

AMENDMENTS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Signed amendments (CON-06); the later one wins at the same level.",
    "items": obj(
        {
            "sequence": {"type": "integer", "minimum": 1, "maximum": 999},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "signed_on": DATE,
            "summary": {"type": "string", "maxLength": 5000},
        },
        ["sequence", "title", "signed_on"],
    ),
}
