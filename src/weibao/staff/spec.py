"""The contract spec's ``staffing`` section (STF-01): the minimum counts of the team.

``staffing: {rules: [{label, minimum, resident?, role?, certificate?}]}`` — each rule counts
the members on the team on a day, restricted to residents (``resident: true``), to a role and/or
to holders of a valid certificate whose name contains ``certificate``. The section replaces the
contract's rules; absent, the rules stay as they are.
"""

from __future__ import annotations

from typing import Any

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.staff.choices import StaffRole
from weibao.staff.models import StaffingRule

__all__ = ["STAFFING_SCHEMA", "apply", "dump", "register_section"]

RULE = obj(
    {
        "label": {"type": "string", "minLength": 1, "maxLength": 100,
                  "description": "What the rule counts, e.g. 驻场人员."},
        "minimum": {"type": "integer", "minimum": 1, "maximum": 10000,
                    "description": "At least this many members."},
        "resident": {"type": "boolean",
                     "description": "true: only resident (驻场) members count."},
        "role": {"enum": list(StaffRole.values), "description": "Only members of this role."},
        "certificate": {"type": "string", "minLength": 1, "maxLength": 100,
                        "description": "Only holders of a valid certificate whose name "
                                       "contains this text."},
    },
    required=["label", "minimum"],
)
STAFFING_SCHEMA: dict[str, Any] = obj(
    {"rules": {"type": "array", "items": RULE,
               "description": "Minimum counts of the team (STF-01)."}},
    required=["rules"],
)


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    StaffingRule.objects.filter(contract=contract).delete()
    StaffingRule.objects.bulk_create(
        StaffingRule(contract=contract, position=i, label=r["label"], minimum=r["minimum"],
                     resident=r.get("resident"), role=r.get("role", ""),
                     certificate=r.get("certificate", ""))
        for i, r in enumerate(data["rules"], start=1))


def dump(contract: Contract) -> dict[str, Any] | None:
    rules = []
    for r in StaffingRule.objects.filter(contract=contract):
        entry: dict[str, Any] = {"label": r.label, "minimum": r.minimum}
        if r.resident is not None:
            entry["resident"] = r.resident
        if r.role:
            entry["role"] = r.role
        if r.certificate:
            entry["certificate"] = r.certificate
        rules.append(entry)
    return {"rules": rules} if rules else None


def register_section() -> None:
    register(Section("staffing", STAFFING_SCHEMA, "Staffing", apply=apply, dump=dump,
                     order=110))
