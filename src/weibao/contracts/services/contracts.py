"""Contract records, parties and contacts (CON-01, CON-02, CON-05)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weibao.contracts.choices import ContractStatus, PartyRole
from weibao.contracts.models import Contact, Contract, ContractParty
from weibao.core.errors import ServiceError
from weibao.core.models import Organisation, User
from weibao.utils.money import to_fen

__all__ = ["ContractInput", "create_contract", "save_contact", "save_party", "update_contract"]

_EDITABLE = {
    "internal_number", "title", "status", "amount", "signed_on", "signed_at", "start_date",
    "end_date", "previous", "procurement_note", "no_subcontracting", "notes",
}


@dataclass
class ContractInput:
    number: str
    title: str
    amount: Decimal
    start_date: datetime.date
    end_date: datetime.date
    purchaser: Organisation
    vendor: Organisation
    supervisor: Organisation | None = None
    internal_number: str = ""
    status: str = ContractStatus.SIGNED
    signed_on: datetime.date | None = None
    signed_at: str = ""
    previous: Contract | None = None
    procurement_note: str = ""
    no_subcontracting: bool = False
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _check_contract_fields(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("The service end must not be before the service start.")
        )
    amount = values.get("amount")
    if amount is not None and Decimal(amount) < 0:
        errors.setdefault("amount", []).append(_("The amount must not be negative."))
    if amount is not None and Decimal(amount) != to_fen(amount):
        errors.setdefault("amount", []).append(_("The amount is exact to the fen (0.01 CNY)."))
    if errors:
        raise ServiceError(errors)


@transaction.atomic
def create_contract(data: ContractInput, *, actor: User | None = None) -> Contract:
    """Create a contract with its purchaser and vendor (and supervisor) parties.

    A person who is not an administrator may only create contracts their own organisation is
    party to; otherwise they would create something they cannot see (PLT-01).
    """
    _check_contract_fields(vars(data))
    parties = [
        (PartyRole.PURCHASER, data.purchaser),
        (PartyRole.VENDOR, data.vendor),
    ]
    if data.supervisor is not None:
        parties.append((PartyRole.SUPERVISOR, data.supervisor))
    if actor is not None and not actor.is_administrator and actor.organisation_id not in {
        org.pk for _role, org in parties
    }:
        raise ServiceError(
            _("Your organisation must be a party to the contract you create.")
        )
    if Contract.objects.filter(number=data.number).exists():
        raise ServiceError(
            {"number": [_("A contract with number %(number)s already exists.")
                        % {"number": data.number}]}
        )
    contract = Contract(
        number=data.number,
        internal_number=data.internal_number,
        title=data.title,
        status=data.status,
        amount=to_fen(data.amount),
        signed_on=data.signed_on,
        signed_at=data.signed_at,
        start_date=data.start_date,
        end_date=data.end_date,
        previous=data.previous,
        procurement_note=data.procurement_note,
        no_subcontracting=data.no_subcontracting,
        notes=data.notes,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        message = _("The contract could not be saved: %(error)s") % {"error": exc}
        raise ServiceError(message) from exc
    for role, organisation in parties:
        ContractParty.objects.create(contract=contract, organisation=organisation, role=role)
    return contract


@transaction.atomic
def update_contract(contract: Contract, changes: dict[str, Any], *,
                    actor: User | None = None) -> Contract:
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %(fields)s")
                           % {"fields": ", ".join(sorted(unknown))})
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    merged = {name: getattr(locked, name) for name in _EDITABLE}
    merged.update(changes)
    _check_contract_fields(merged)
    previous = merged.get("previous")
    if previous is not None and previous.pk == locked.pk:
        raise ServiceError({"previous": [_("A contract cannot renew itself.")]})
    for name, value in changes.items():
        setattr(locked, name, to_fen(value) if name == "amount" else value)
    locked.save()
    if "amount" in changes:
        from weibao.contracts.services.payments import check_amounts_cover_records

        try:
            check_amounts_cover_records(locked)
        except ServiceError as exc:
            raise ServiceError({"amount": exc.messages}) from exc
    return locked


@transaction.atomic
def save_party(contract: Contract, *, organisation: Organisation, role: str,
               details: dict[str, str] | None = None,
               party: ContractParty | None = None) -> ContractParty:
    """Add or update a party. A contract has exactly one purchaser and one vendor."""
    if role not in PartyRole.values:
        raise ServiceError({"role": [_("Unknown party role %(role)s.") % {"role": role}]})
    if role in (PartyRole.PURCHASER, PartyRole.VENDOR):
        clash = contract.parties.filter(role=role)
        if party is not None:
            clash = clash.exclude(pk=party.pk)
        if clash.exists():
            raise ServiceError(
                {"role": [_("The contract already has a %(role)s.")
                          % {"role": PartyRole(role).label}]}
            )
    party = party or ContractParty(contract=contract)
    party.organisation = organisation
    party.role = role
    for name, value in (details or {}).items():
        if name not in {"address", "postcode", "phone", "fax", "bank_name", "bank_account"}:
            raise ServiceError(_("Unknown party field %(field)s.") % {"field": name})
        setattr(party, name, value)
    try:
        with transaction.atomic():
            party.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("%(organisation)s is already this contract's %(role)s.")
            % {"organisation": organisation, "role": PartyRole(role).label}
        ) from exc
    return party


@transaction.atomic
def save_contact(party: ContractParty, *, name: str, phone: str = "", email: str = "",
                 title: str = "", contact: Contact | None = None) -> Contact:
    if not name.strip():
        raise ServiceError({"name": [_("A contact needs a name.")]})
    contact = contact or Contact(party=party)
    contact.name, contact.phone, contact.email, contact.title = name.strip(), phone, email, title
    contact.full_clean(exclude=["party"])
    contact.save()
    return contact
