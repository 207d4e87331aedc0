"""The contract spec's ``tickets`` section: ticket types (TKT-02) and the requirement-change
rules (TKT-08)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.tickets.choices import TicketCategory
from weibao.tickets.models import ChangeBudget, TicketPolicy, TicketType

__all__ = ["TICKETS_SCHEMA", "register_section"]

CODE = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"}
AMOUNT = {"type": "number", "exclusiveMinimum": 0, "maximum": 100000}

TICKETS_SCHEMA = obj(
    {
        "types": {"type": "array", "minItems": 1, "items": obj(
            {"code": CODE, "name": {"type": "string", "minLength": 1, "maxLength": 60},
             "category": {"enum": list(TicketCategory.values)},
             "fault_report_required": {"type": "boolean"}},
            ["code", "name", "category"]),
            "description": "TKT-02: the contract's ticket types; SLA rules select on the code."},
        "requirement_changes": obj(
            {"person_days_per_month": {
                "type": "number", "minimum": 1, "maximum": 31,
                "description": "Person-days in one person-month (default 22)."},
             "included_below_person_months": {
                 **AMOUNT,
                 "description": "TKT-08: changes estimated below this are inside the contract; "
                                "at or above it they are flagged."},
             "budgets": {"type": "array", "items": obj(
                 {"code": CODE, "name": {"type": "string", "minLength": 1, "maxLength": 100},
                  "person_months": AMOUNT}, ["code", "name", "person_months"])}},
            [], "TKT-08: requirement changes and the person-day budgets they consume."),
    },
    ["types"],
    "Tickets (TKT-01..09): the types of tickets this contract handles and its rules.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "in_use": _("ticket type %(value)s has tickets and cannot be removed"),
}


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors = []
    for key, items in (("types", data["types"]),
                       ("requirement_changes.budgets",
                        data.get("requirement_changes", {}).get("budgets", []))):
        counts = Counter(item["code"] for item in items)
        for i, item in enumerate(items):
            if counts[item["code"]] > 1:
                errors.append(SpecError(f"tickets.{key}[{i}].code", "duplicate_code",
                                        {"value": item["code"]},
                                        text=_MESSAGES["duplicate_code"]))
    return errors


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    existing = {t.code: t for t in TicketType.objects.filter(contract=contract)}
    for order, item in enumerate(data["types"], start=1):
        ticket_type = existing.pop(item["code"], None) or TicketType(contract=contract)
        if assign(ticket_type, {"code": item["code"], "name": item["name"],
                                "category": item["category"], "order": order,
                                "fault_report_required": item.get("fault_report_required",
                                                                  False)}) \
                or ticket_type.pk is None:
            ticket_type.save()
    for code, ticket_type in existing.items():
        try:
            ticket_type.delete()
        except ProtectedError:
            errors.append(SpecError("tickets.types", "in_use", {"value": code},
                                    text=_MESSAGES["in_use"]))
    rules = data.get("requirement_changes", {})
    threshold = rules.get("included_below_person_months")
    policy = TicketPolicy.objects.filter(contract=contract).first() \
        or TicketPolicy(contract=contract)
    if assign(policy, {
        "change_threshold_person_months": (Decimal(str(threshold)).quantize(Decimal("0.01"))
                                           if threshold is not None else None),
        "person_days_per_month": Decimal(str(rules.get("person_days_per_month", 22)))
        .quantize(Decimal("0.1")),
    }) or policy.pk is None:
        policy.save()
    budgets = {b.code: b for b in ChangeBudget.objects.filter(contract=contract)}
    for order, item in enumerate(rules.get("budgets", []), start=1):
        budget = budgets.pop(item["code"], None) or ChangeBudget(contract=contract)
        if assign(budget, {"code": item["code"], "name": item["name"], "order": order,
                           "person_months": Decimal(str(item["person_months"]))
                           .quantize(Decimal("0.01"))}) or budget.pk is None:
            budget.save()
    for budget in budgets.values():
        budget.delete()


def dump(contract: Contract) -> dict[str, Any] | None:
    types = list(TicketType.objects.filter(contract=contract))
    if not types:
        return None
    out: dict[str, Any] = {"types": []}
    for t in types:
        item: dict[str, Any] = {"code": t.code, "name": t.name, "category": t.category}
        if t.fault_report_required:
            item["fault_report_required"] = True
        out["types"].append(item)
    policy = TicketPolicy.objects.filter(contract=contract).first()
    budgets = list(ChangeBudget.objects.filter(contract=contract))
    rules: dict[str, Any] = {}
    if policy is not None and policy.person_days_per_month != Decimal("22.0"):
        rules["person_days_per_month"] = policy.person_days_per_month.normalize()
    if policy is not None and policy.change_threshold_person_months is not None:
        rules["included_below_person_months"] = \
            policy.change_threshold_person_months.normalize()
    if budgets:
        rules["budgets"] = [{"code": b.code, "name": b.name,
                             "person_months": b.person_months.normalize()} for b in budgets]
    if rules:
        out["requirement_changes"] = rules
    return out


def register_section() -> None:
    register(Section("tickets", TICKETS_SCHEMA, "Tickets", check=check, apply=apply, dump=dump,
                     order=80))
