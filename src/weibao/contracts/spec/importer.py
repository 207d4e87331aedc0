"""Import a contract spec: an idempotent upsert keyed by the unified contract number.

Everything happens in one transaction; any error rolls the whole file back, so an import
either writes the complete contract or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError, SpecInvalid
from weibao.contracts.spec.registry import sections
from weibao.contracts.spec.sections import assign, contract_values
from weibao.contracts.spec.validate import validate_spec, validate_text
from weibao.core.audit import acting_as
from weibao.core.models import User

__all__ = ["ImportResult", "import_spec", "import_text"]


@dataclass(frozen=True)
class ImportResult:
    contract: Contract
    created: bool


class _Rollback(Exception):
    pass


def import_text(text: str, *, actor: User | None = None) -> ImportResult:
    return import_spec(validate_text(text), actor=actor, validated=True)


def import_spec(data: dict[str, Any], *, actor: User | None = None,
                validated: bool = False) -> ImportResult:
    """Validate, then write the whole contract in one transaction, or raise ``SpecInvalid``."""
    if not validated:
        data = validate_spec(data)
    with acting_as(actor):
        return _import(data, actor)


def _import(data: dict[str, Any], actor: User | None) -> ImportResult:
    errors: list[SpecError] = []
    try:
        with transaction.atomic():
            result = _write(data, errors, actor)
            if errors:
                raise _Rollback
    except _Rollback:
        raise SpecInvalid(errors) from None
    return result


def _write(data: dict[str, Any], errors: list[SpecError], actor: User | None) -> ImportResult:
    spec = data["contract"]
    values = contract_values(spec)
    previous_number = spec.get("previous_number")
    values["previous"] = None
    if previous_number:
        values["previous"] = Contract.objects.filter(number=previous_number).first()
        if values["previous"] is None:
            errors.append(SpecError("contract.previous_number", "unknown_contract",
                                    {"value": previous_number}))
    contract = Contract.objects.select_for_update().filter(number=spec["number"]).first()
    if contract is not None and actor is not None and not contract.is_visible_to(actor):
        # PLT-01: an existing contract of other organisations is never touched (nor revealed).
        errors.append(SpecError("parties", "not_party"))
        return ImportResult(contract=contract, created=False)
    created = contract is None
    contract = contract or Contract(number=spec["number"])
    if assign(contract, values) or created:
        contract.save()
    for section in sections():
        # A section absent from the file leaves that part of the contract as it is, so a file
        # written before a section existed never wipes what was recorded since.
        if section.apply is not None and section.key in data:
            section.apply(contract, data[section.key], errors)
    if actor is not None and not actor.is_administrator and not contract.parties.filter(
        organisation__users=actor
    ).exists():
        errors.append(SpecError("parties", "not_party"))
    return ImportResult(contract=contract, created=created)
