"""The contracts app's spec sections: checks a schema cannot express, apply and dump."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from weibao.contracts.choices import AmountBasis, MilestoneTrigger, PartyRole
from weibao.contracts.models import (
    Amendment,
    Contact,
    Contract,
    ContractDocument,
    ContractParty,
    FactorBand,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import (
    AMENDMENTS_SCHEMA,
    CONTRACT_SCHEMA,
    DOCUMENTS_SCHEMA,
    PARTIES_SCHEMA,
    PAYMENT_SCHEMA,
)
from weibao.core.models import Organisation
from weibao.utils.money import share_of, to_fen

__all__ = ["assign", "register_sections"]


def assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set attributes; True when any value changed (unchanged rows are not saved again)."""
    changed = False
    missing = object()
    for name, value in values.items():
        # An unsaved row has no related object yet: the descriptor raises an AttributeError.
        if getattr(obj, name, missing) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


# --- contract -------------------------------------------------------------------------------

def check_contract(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors = []
    start, end = data["period"]["start"], data["period"]["end"]
    if end < start:
        errors.append(SpecError("contract.period.end", "period_order",
                                {"start": start, "end": end}))
    amount = Decimal(str(data["amount"]))
    if amount != to_fen(amount):
        errors.append(SpecError("contract.amount", "fen", {"value": data["amount"]}))
    if data.get("previous_number") == data["number"]:
        errors.append(SpecError("contract.previous_number", "self_renewal"))
    return errors


def contract_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "internal_number": data.get("internal_number", ""),
        "title": data["title"],
        "status": data.get("status", "signed"),
        "amount": to_fen(Decimal(str(data["amount"]))),
        "signed_on": _date(data.get("signed_on")),
        "signed_at": data.get("signed_at", ""),
        "start_date": _date(data["period"]["start"]),
        "end_date": _date(data["period"]["end"]),
        "procurement_note": data.get("procurement_note", ""),
        "no_subcontracting": data.get("no_subcontracting", False),
        "notes": data.get("notes", ""),
    }


def dump_contract(contract: Contract) -> dict[str, Any]:
    out: dict[str, Any] = {"number": contract.number}
    if contract.internal_number:
        out["internal_number"] = contract.internal_number
    out["title"] = contract.title
    out["status"] = contract.status
    out["amount"] = contract.amount
    out["currency"] = "CNY"
    if contract.signed_on:
        out["signed_on"] = contract.signed_on.isoformat()
    if contract.signed_at:
        out["signed_at"] = contract.signed_at
    out["period"] = {"start": contract.start_date.isoformat(),
                     "end": contract.end_date.isoformat()}
    if contract.previous_id:
        out["previous_number"] = contract.previous.number  # type: ignore[union-attr]
    if contract.procurement_note:
        out["procurement_note"] = contract.procurement_note
    out["no_subcontracting"] = contract.no_subcontracting
    if contract.notes:
        out["notes"] = contract.notes
    return out


# --- parties --------------------------------------------------------------------------------

def check_parties(data: list[dict[str, Any]], spec: dict[str, Any]) -> list[SpecError]:
    errors = []
    roles = Counter(p["role"] for p in data)
    for role in (PartyRole.PURCHASER, PartyRole.VENDOR):
        if roles[role] != 1:
            errors.append(SpecError("parties", "party_count",
                                    {"role": role.value, "count": roles[role]}))
    if roles[PartyRole.SUPERVISOR] > 1:
        errors.append(SpecError("parties", "party_count",
                                {"role": "supervisor", "count": roles[PartyRole.SUPERVISOR]}))
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    seen_pairs: set[tuple[str, str]] = set()
    for i, party in enumerate(data):
        org = party["organisation"]
        if (party["role"], org["name"]) in seen_pairs:
            errors.append(SpecError(f"parties[{i}].organisation.name", "duplicate",
                                    {"value": org["name"]}))
        seen_pairs.add((party["role"], org["name"]))
        if names.setdefault(org["code"], org["name"]) != org["name"]:
            errors.append(SpecError(f"parties[{i}].organisation.code", "duplicate",
                                    {"value": org["code"]}))
        if codes.setdefault(org["name"], org["code"]) != org["code"]:
            errors.append(SpecError(f"parties[{i}].organisation.code", "duplicate",
                                    {"value": org["name"]}))
    return errors


def upsert_organisation(data: dict[str, Any], path: str) -> Organisation | SpecError:
    org = Organisation.objects.filter(name=data["name"]).first()
    clash = Organisation.objects.filter(code=data["code"]).exclude(name=data["name"]).first()
    if clash is not None:
        return SpecError(f"{path}.code", "code_taken", {"value": data["code"], "other": clash.name})
    if org is not None and org.kind != data["kind"]:
        return SpecError(f"{path}.kind", "kind_conflict",
                         {"value": org.name, "existing": org.kind, "kind": data["kind"]})
    org = org or Organisation(name=data["name"])
    if assign(org, {"code": data["code"], "kind": data["kind"],
                    "short_name": data.get("short_name", ""),
                    "credit_code": data.get("credit_code", "")}) or org.pk is None:
        org.save()
    return org


def apply_parties(contract: Contract, data: list[dict[str, Any]], errors: list[SpecError]) -> None:
    keep: set[int] = set()
    for i, item in enumerate(data):
        org = upsert_organisation(item["organisation"], f"parties[{i}].organisation")
        if isinstance(org, SpecError):
            errors.append(org)
            continue
        party = ContractParty.objects.filter(
            contract=contract, role=item["role"], organisation=org
        ).first() or ContractParty(contract=contract, role=item["role"], organisation=org)
        bank = item.get("bank", {})
        if assign(party, {
            "address": item.get("address", ""), "postcode": item.get("postcode", ""),
            "phone": item.get("phone", ""), "fax": item.get("fax", ""),
            "bank_name": bank.get("name", ""), "bank_account": bank.get("account", ""),
        }) or party.pk is None:
            party.save()
        keep.add(party.pk)
        _sync_contacts(party, item.get("contacts", []))
    contract.parties.exclude(pk__in=keep).delete()


def _sync_contacts(party: ContractParty, items: list[dict[str, Any]]) -> None:
    existing = list(party.contacts.order_by("id"))
    for index, item in enumerate(items):
        contact = existing[index] if index < len(existing) else Contact(party=party)
        if assign(contact, {"name": item["name"], "title": item.get("title", ""),
                            "phone": item.get("phone", ""),
                            "email": item.get("email", "")}) or contact.pk is None:
            contact.save()
    for contact in existing[len(items):]:
        contact.delete()


def dump_parties(contract: Contract) -> list[dict[str, Any]]:
    order = {role: i for i, role in enumerate(PartyRole.values)}
    parties = sorted(contract.parties.select_related("organisation").prefetch_related("contacts"),
                     key=lambda p: (order[p.role], p.pk))
    out = []
    for party in parties:
        org = party.organisation
        org_out: dict[str, Any] = {"name": org.name, "code": org.code, "kind": org.kind}
        if org.short_name:
            org_out["short_name"] = org.short_name
        if org.credit_code:
            org_out["credit_code"] = org.credit_code
        item: dict[str, Any] = {"role": party.role, "organisation": org_out}
        for name in ("address", "postcode", "phone", "fax"):
            if getattr(party, name):
                item[name] = getattr(party, name)
        if party.bank_name or party.bank_account:
            item["bank"] = {"name": party.bank_name, "account": party.bank_account}
        contacts = []
        for c in party.contacts.all():
            contact = {"name": c.name}
            contact.update({k: getattr(c, k) for k in ("title", "phone", "email") if getattr(c, k)})
            contacts.append(contact)
        if contacts:
            item["contacts"] = contacts
        out.append(item)
    return out


# --- payment --------------------------------------------------------------------------------

_TRIGGER_NEEDS = {
    MilestoneTrigger.BY_DATE: ("date",),
    MilestoneTrigger.AFTER_EVENT: ("event",),
    MilestoneTrigger.AFTER_DELIVERABLE: ("deliverable",),
}


def _basis(milestone: dict[str, Any]) -> str:
    """The amount basis; the deprecated ``scaled_by_assessment: true`` reads as the final-price
    remainder (the seeds apply the factor to the whole amount, PAY-03)."""
    if milestone.get("remainder"):
        return str(milestone["remainder"])
    if milestone.get("scaled_by_assessment"):
        return AmountBasis.FINAL_PRICE
    return AmountBasis.PERCENT


def check_payment(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors = []
    milestones = data["milestones"]
    bases = [_basis(m) for m in milestones]
    total = sum((Decimal(str(m["percent"])) for m in milestones if "percent" in m), Decimal(0))
    if any(m.get("remainder") for m in milestones):
        if total > 100:
            errors.append(SpecError("payment.milestones", "percent_over", {"total": total}))
    elif total != 100:
        errors.append(SpecError("payment.milestones", "percent_total", {"total": total}))
    errors.extend(_check_factor_bands(data.get("final_price", {})))
    finals = [i for i, basis in enumerate(bases) if basis == AmountBasis.FINAL_PRICE]
    for i in finals:
        if i != len(milestones) - 1:
            errors.append(SpecError(f"payment.milestones[{i}]", "final_not_last"))
    for i, milestone in enumerate(milestones):
        path = f"payment.milestones[{i}]"
        if milestone.get("remainder"):
            if "percent" in milestone:
                errors.append(SpecError(f"{path}.percent", "remainder_percent"))
            if "scaled_by_assessment" in milestone:
                errors.append(SpecError(f"{path}.scaled_by_assessment", "legacy_key"))
        elif "percent" not in milestone:
            errors.append(SpecError(f"{path}.percent", "required"))
        if "budget_year" in milestone and bases[i] != AmountBasis.APPROVED_BUDGET:
            errors.append(SpecError(f"{path}.budget_year", "budget_year_only"))
        if bases[i] == AmountBasis.APPROVED_BUDGET and not any(j > i for j in finals):
            errors.append(SpecError(f"{path}.remainder", "budget_needs_final"))
        trigger = milestone["trigger"]
        for field in _TRIGGER_NEEDS.get(MilestoneTrigger(trigger["kind"]), ()):
            if field not in trigger:
                errors.append(SpecError(f"{path}.trigger.{field}", "needs",
                                        {"kind": trigger["kind"], "field": field}))
        if (trigger["kind"] == MilestoneTrigger.AFTER_EVENT
                and "within" not in trigger and not trigger.get("after_months")):
            errors.append(SpecError(f"{path}.trigger.within", "needs",
                                    {"kind": trigger["kind"], "field": "within / after_months"}))
    return errors


def _check_factor_bands(data: dict[str, Any]) -> list[SpecError]:
    errors = []
    base = "payment.final_price"
    if "factor_by_score" in data and "factor_by_rating" in data:
        errors.append(SpecError(f"{base}.factor_by_rating", "one_factor_table"))
    bands = data.get("factor_by_score", [])
    for i, band in enumerate(bands):
        last = i == len(bands) - 1
        if last and "above" in band:
            errors.append(SpecError(f"{base}.factor_by_score[{i}].above", "last_band_open"))
        elif not last and "above" not in band:
            errors.append(SpecError(f"{base}.factor_by_score[{i}].above", "required"))
        elif i and "above" in band and "above" in bands[i - 1] and (
                Decimal(str(band["above"])) >= Decimal(str(bands[i - 1]["above"]))):
            errors.append(SpecError(f"{base}.factor_by_score[{i}].above", "bands_descending"))
    ratings = Counter(b["rating"] for b in data.get("factor_by_rating", []))
    for i, band in enumerate(data.get("factor_by_rating", [])):
        if ratings[band["rating"]] > 1:
            errors.append(SpecError(f"{base}.factor_by_rating[{i}].rating", "duplicate",
                                    {"value": band["rating"]}))
    return errors


def _apply_factor_bands(contract: Contract, data: dict[str, Any]) -> None:
    rows = [{"above_score": (Decimal(str(b["above"])) if "above" in b else None), "rating": "",
             "factor": Decimal(str(b["factor"]))} for b in data.get("factor_by_score", [])]
    rows += [{"above_score": None, "rating": b["rating"], "factor": Decimal(str(b["factor"]))}
             for b in data.get("factor_by_rating", [])]
    existing = {b.sequence: b for b in contract.factor_bands.all()}
    for sequence, values in enumerate(rows, start=1):
        band = existing.pop(sequence, None) or FactorBand(contract=contract, sequence=sequence)
        if assign(band, values) or band.pk is None:
            band.save()
    for band in existing.values():
        band.delete()


def _dump_factor_bands(contract: Contract) -> dict[str, Any] | None:
    by_score: list[dict[str, Any]] = []
    by_rating: list[dict[str, Any]] = []
    for band in contract.factor_bands.order_by("sequence"):
        if band.rating:
            by_rating.append({"rating": band.rating, "factor": band.factor.normalize()})
        elif band.above_score is not None:
            by_score.append({"above": band.above_score.normalize(),
                             "factor": band.factor.normalize()})
        else:
            by_score.append({"factor": band.factor.normalize()})
    out: dict[str, Any] = {}
    if by_score:
        out["factor_by_score"] = by_score
    if by_rating:
        out["factor_by_rating"] = by_rating
    return out or None


def apply_payment(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    existing = {m.sequence: m for m in contract.milestones.all()}
    for index, item in enumerate(data["milestones"], start=1):
        trigger = item["trigger"]
        within = trigger.get("within", {})
        basis = _basis(item)
        milestone = existing.pop(index, None) or PaymentMilestone(contract=contract,
                                                                   sequence=index)
        if assign(milestone, {
            "name": item["name"],
            "amount_basis": basis,
            "percent": (Decimal(str(item["percent"])) if basis == AmountBasis.PERCENT
                        else None),
            "budget_year": item.get("budget_year"),
            "trigger": trigger["kind"],
            "due_date": _date(trigger.get("date")),
            "event": trigger.get("event", ""),
            "deliverable": trigger.get("deliverable", ""),
            "event_delay_months": trigger.get("after_months", 0),
            "and_invoice": trigger.get("and_invoice", False),
            "offset_amount": within.get("amount", 0),
            "offset_unit": within.get("unit", ""),
            "requires_invoice": item.get("requires_invoice", True),
            "condition": item.get("condition", ""),
        }) or milestone.pk is None:
            milestone.save()
    for sequence, milestone in existing.items():
        if milestone.invoices.exists() or milestone.payments.exists():
            errors.append(SpecError("payment.milestones", "has_payments",
                                    {"value": f"#{sequence} {milestone.name}"}))
        else:
            milestone.delete()
    _apply_factor_bands(contract, data.get("final_price", {}))
    bond_data = data.get("bond")
    bond = contract.bonds.order_by("id").first()
    if bond_data is None:
        if bond is not None and bond.status == "expected":
            bond.delete()
        return
    bond = bond or PerformanceBond(contract=contract)
    percent = Decimal(str(bond_data["percent"]))
    if assign(bond, {"percent": percent, "amount": share_of(contract.amount, percent),
                     "form": bond_data.get("form", "")}) or bond.pk is None:
        bond.save()


def dump_payment(contract: Contract) -> dict[str, Any] | None:
    milestones = []
    for m in contract.milestones.order_by("sequence"):
        trigger: dict[str, Any] = {"kind": m.trigger}
        if m.due_date:
            trigger["date"] = m.due_date.isoformat()
        if m.event:
            trigger["event"] = m.event
        if m.event_delay_months:
            trigger["after_months"] = m.event_delay_months
        if m.deliverable:
            trigger["deliverable"] = m.deliverable
        if m.and_invoice:
            trigger["and_invoice"] = True
        if m.offset_amount:
            trigger["within"] = {"amount": m.offset_amount, "unit": m.offset_unit}
        item: dict[str, Any] = {"name": m.name}
        if m.percent is not None:
            item["percent"] = m.percent.normalize()
        else:
            item["remainder"] = m.amount_basis
        if m.budget_year:
            item["budget_year"] = m.budget_year
        item["trigger"] = trigger
        if not m.requires_invoice:
            item["requires_invoice"] = False
        if m.condition:
            item["condition"] = m.condition
        milestones.append(item)
    if not milestones:
        return None
    out: dict[str, Any] = {"milestones": milestones}
    bond = contract.bonds.order_by("id").first()
    if bond is not None:
        out["bond"] = {"percent": bond.percent.normalize()}
        if bond.form:
            out["bond"]["form"] = bond.form
    bands = _dump_factor_bands(contract)
    if bands is not None:
        out["final_price"] = bands
    return out


# --- documents and amendments ---------------------------------------------------------------

def check_documents(data: list[dict[str, Any]], spec: dict[str, Any]) -> list[SpecError]:
    seen: set[tuple[str, str]] = set()
    errors = []
    for i, doc in enumerate(data):
        key = (doc["type"], doc["title"])
        if key in seen:
            errors.append(SpecError(f"documents[{i}].title", "duplicate", {"value": doc["title"]}))
        seen.add(key)
    return errors


def apply_documents(contract: Contract, data: list[dict[str, Any]],
                    errors: list[SpecError]) -> None:
    keep = set()
    for item in data:
        doc = ContractDocument.objects.filter(
            contract=contract, doc_type=item["type"], title=item["title"]
        ).first() or ContractDocument(contract=contract, doc_type=item["type"], title=item["title"])
        if assign(doc, {"notes": item.get("notes", "")}) or doc.pk is None:
            doc.save()
        keep.add(doc.pk)
    # Documents with an uploaded file are records, not terms: a spec never deletes them.
    contract.documents.exclude(pk__in=keep).filter(file="").delete()


def dump_documents(contract: Contract) -> list[dict[str, Any]] | None:
    out = []
    for doc in contract.documents.order_by("id"):
        item = {"type": doc.doc_type, "title": doc.title}
        if doc.notes:
            item["notes"] = doc.notes
        out.append(item)
    return out or None


def check_amendments(data: list[dict[str, Any]], spec: dict[str, Any]) -> list[SpecError]:
    errors = []
    counts = Counter(a["sequence"] for a in data)
    signed = spec.get("contract", {}).get("signed_on")
    for i, amendment in enumerate(data):
        if counts[amendment["sequence"]] > 1:
            errors.append(SpecError(f"amendments[{i}].sequence", "duplicate",
                                    {"value": amendment["sequence"]}))
        if signed and amendment["signed_on"] < signed:
            errors.append(SpecError(f"amendments[{i}].signed_on", "before_signing",
                                    {"value": amendment["signed_on"], "signed": signed}))
    return errors


def apply_amendments(contract: Contract, data: list[dict[str, Any]],
                     errors: list[SpecError]) -> None:
    keep = set()
    for item in data:
        amendment = Amendment.objects.filter(contract=contract, sequence=item["sequence"]).first()
        amendment = amendment or Amendment(contract=contract, sequence=item["sequence"])
        if assign(amendment, {"title": item["title"], "signed_on": _date(item["signed_on"]),
                              "summary": item.get("summary", "")}) or amendment.pk is None:
            amendment.save()
        keep.add(amendment.pk)
    contract.amendments.exclude(pk__in=keep).delete()


def dump_amendments(contract: Contract) -> list[dict[str, Any]] | None:
    out = []
    for a in contract.amendments.order_by("sequence"):
        item: dict[str, Any] = {"sequence": a.sequence, "title": a.title,
                                "signed_on": a.signed_on.isoformat()}
        if a.summary:
            item["summary"] = a.summary
        out.append(item)
    return out or None


def register_sections() -> None:
    register(Section("contract", CONTRACT_SCHEMA, "Contract", required=True,
                     check=check_contract, order=10))
    register(Section("parties", PARTIES_SCHEMA, "Parties", required=True, check=check_parties,
                     apply=apply_parties, dump=dump_parties, order=20))
    register(Section("payment", PAYMENT_SCHEMA, "Payment", check=check_payment,
                     apply=apply_payment, dump=dump_payment, order=30))
    register(Section("documents", DOCUMENTS_SCHEMA, "Documents", check=check_documents,
                     apply=apply_documents, dump=dump_documents, order=40))
    register(Section("amendments", AMENDMENTS_SCHEMA, "Amendments", check=check_amendments,
                     apply=apply_amendments, dump=dump_amendments, order=50))
