"""The contract spec's ``emergency`` section (EMG-02): the drill rules.

``drills`` is the contract's complete list of rules when present; absent, the rules stay as
they are. A rule whose drills were held or missed is never deleted (they are evidence of the
contract's performance): the import fails naming it; keep it with ``active: false`` instead.
After the rules are written the drills are scheduled again (``services.drills.schedule``).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.emergency.choices import DrillStatus, DrillSystems, Term
from weibao.emergency.models import DrillRule

__all__ = ["EMERGENCY_SCHEMA", "check", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores."}

RULE = obj(
    {
        "code": CODE,
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "systems": {"enum": list(DrillSystems.values),
                    "description": "important: the information systems of importance "
                                   "`important`; others: every other information system; "
                                   "all: every information system (AST-04)."},
        "count": {"type": "integer", "minimum": 1, "maximum": 24,
                  "description": "Drills of each system per `per`; the span is split into "
                                 "this many equal windows, one drill due in each."},
        "per": {"enum": list(Term.values),
                "description": "term: the contract's service period (运维期, default); "
                               "year: each contract year from the service start."},
        "missed": obj(
            {"breach": {"type": "boolean",
                        "description": "A drill not held by the end of its window is a "
                                       "breach in the assessment ledger."},
             "penalty_percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                                 "description": "Penalty per missed drill, % of the "
                                                "contract amount."}},
            ["breach"], "What a missed drill means for the assessment."),
        "clause": {"type": "string", "minLength": 1, "maxLength": 2000,
                   "description": "The contract clause the rule transcribes."},
        "active": {"type": "boolean",
                   "description": "false: no drills are scheduled (default true)."},
    },
    ["code", "name", "systems", "count"],
)

EMERGENCY_SCHEMA: dict[str, Any] = obj(
    {"drills": {"type": "array", "items": RULE,
                "description": "Drill rules (演练要求, EMG-02). The complete list when "
                               "present; a rule with held or missed drills cannot be removed "
                               "(set active: false)."}},
    description="Emergency drills (EMG-02); plans, incidents and major periods are records, "
                "not spec.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "penalty_needs_breach": _("a penalty is only charged when a missed drill is a breach"),
    "decimals": _("%(value)s has more than %(limit)s decimals"),
    "has_drills": _("drill rule %(value)s has held or missed drills and cannot be removed; "
                    "keep it with active: false"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    rules = data.get("drills", [])
    counts = Counter(rule["code"] for rule in rules)
    for i, rule in enumerate(rules):
        path = f"emergency.drills[{i}]"
        if counts[rule["code"]] > 1:
            errors.append(_error(f"{path}.code", "duplicate_code", value=rule["code"]))
        missed = rule.get("missed", {})
        if "penalty_percent" in missed:
            if not missed["breach"]:
                errors.append(_error(f"{path}.missed.penalty_percent", "penalty_needs_breach"))
            exponent = Decimal(str(missed["penalty_percent"])).as_tuple().exponent
            if isinstance(exponent, int) and -exponent > 3:
                errors.append(_error(f"{path}.missed.penalty_percent", "decimals",
                                     value=missed["penalty_percent"], limit=3))
    return errors


def _values(data: dict[str, Any], order: int) -> dict[str, Any]:
    missed = data.get("missed", {})
    penalty = missed.get("penalty_percent")
    return {
        "name": data["name"], "systems": data["systems"], "count": data["count"],
        "per": data.get("per", Term.TERM), "missed_is_breach": missed.get("breach", False),
        "penalty_percent": (Decimal(str(penalty)).quantize(Decimal("0.001"))
                            if penalty is not None else None),
        "clause": data.get("clause", ""), "active": data.get("active", True), "order": order,
    }


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    if "drills" not in data:
        return
    existing = {rule.code: rule for rule in DrillRule.objects.filter(contract=contract)}
    for order, entry in enumerate(data["drills"], start=1):
        rule = existing.pop(entry["code"], None) or DrillRule(contract=contract,
                                                              code=entry["code"])
        if assign(rule, _values(entry, order)) or rule.pk is None:
            rule.save()
    for code, rule in existing.items():
        if rule.drills.exclude(status=DrillStatus.SCHEDULED).exists():
            errors.append(_error("emergency.drills", "has_drills", value=code))
        else:
            rule.drills.all().delete()
            rule.delete()
    if not errors:
        from weibao.emergency.services.drills import schedule
        schedule(contract)


def dump(contract: Contract) -> dict[str, Any] | None:
    rules = []
    for rule in DrillRule.objects.filter(contract=contract):
        out: dict[str, Any] = {"code": rule.code, "name": rule.name, "systems": rule.systems,
                               "count": rule.count, "per": rule.per}
        if rule.missed_is_breach:
            out["missed"] = {"breach": True}
            if rule.penalty_percent is not None:
                out["missed"]["penalty_percent"] = rule.penalty_percent.normalize()
        if rule.clause:
            out["clause"] = rule.clause
        if not rule.active:
            out["active"] = False
        rules.append(out)
    return {"drills": rules} if rules else None


def register_section() -> None:
    # After assets (50): the drills are scheduled for the contract's information systems.
    register(Section("emergency", EMERGENCY_SCHEMA, "Emergency", check=check, apply=apply,
                     dump=dump, order=95))
