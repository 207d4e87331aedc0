"""The contract spec's ``staffing`` section (STF-01, STF-02/03, STF-05).

``staffing: {rules: [{label, minimum, resident?, role?, certificate?, education?}],
documents?: [{kind, within_working_days?, within_months?}], changes?: {handover_days?,
notice_days?}}`` — each rule counts the members on the team on a day, restricted to residents
(``resident: true``), to a role, to holders of a valid certificate whose name contains
``certificate`` and/or to an education at least ``education``; ``documents`` are the papers
each member must have (within N working days of arrival, or dated within the last N months);
``changes`` the days of on-site handover and of written notice of a personnel change. The
section replaces the contract's rules and terms; absent, they stay as they are.
"""

from __future__ import annotations

from typing import Any

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.staff.choices import DocumentKind, Education, StaffRole
from weibao.staff.models import RequiredDocument, StaffingRule, StaffingTerms

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
        "education": {"enum": [e for e in Education.values if e],
                      "description": "Only members with at least this education."},
    },
    required=["label", "minimum"],
)
DOCUMENT = obj(
    {
        "kind": {"enum": list(DocumentKind.values), "description": "The paper required."},
        "within_working_days": {"type": "integer", "minimum": 1, "maximum": 365,
                                "description": "Due within this many working days of the "
                                               "member's arrival."},
        "within_months": {"type": "integer", "minimum": 1, "maximum": 120,
                          "description": "Dated (or covering a month) within the last this "
                                         "many months."},
    },
    required=["kind"],
)
CHANGES = obj(
    {
        "handover_days": {"type": "integer", "minimum": 1, "maximum": 365,
                          "description": "The replacement works on site alongside the "
                                         "leaving member at least this many days."},
        "notice_days": {"type": "integer", "minimum": 1, "maximum": 365,
                        "description": "The written request comes at least this many days "
                                       "before the member leaves."},
    },
)
STAFFING_SCHEMA: dict[str, Any] = obj(
    {"rules": {"type": "array", "items": RULE,
               "description": "Minimum counts of the team (STF-01)."},
     "documents": {"type": "array", "items": DOCUMENT,
                   "description": "Papers each member must have (STF-02, STF-03)."},
     "changes": CHANGES},
    required=["rules"],
)


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    StaffingRule.objects.filter(contract=contract).delete()
    StaffingRule.objects.bulk_create(
        StaffingRule(contract=contract, position=i, label=r["label"], minimum=r["minimum"],
                     resident=r.get("resident"), role=r.get("role", ""),
                     certificate=r.get("certificate", ""), education=r.get("education", ""))
        for i, r in enumerate(data["rules"], start=1))
    RequiredDocument.objects.filter(contract=contract).delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(contract=contract, kind=d["kind"],
                         within_working_days=d.get("within_working_days"),
                         within_months=d.get("within_months"))
        for d in data.get("documents", []))
    changes = data.get("changes") or {}
    StaffingTerms.objects.update_or_create(
        contract=contract, defaults={"handover_days": changes.get("handover_days"),
                                     "notice_days": changes.get("notice_days")})


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
        if r.education:
            entry["education"] = r.education
        rules.append(entry)
    documents = []
    for d in RequiredDocument.objects.filter(contract=contract):
        doc: dict[str, Any] = {"kind": d.kind}
        if d.within_working_days:
            doc["within_working_days"] = d.within_working_days
        if d.within_months:
            doc["within_months"] = d.within_months
        documents.append(doc)
    terms = StaffingTerms.objects.filter(contract=contract).first()
    changes = {k: v for k, v in (("handover_days", terms and terms.handover_days),
                                 ("notice_days", terms and terms.notice_days)) if v}
    if not (rules or documents or changes):
        return None
    section: dict[str, Any] = {"rules": rules}
    if documents:
        section["documents"] = documents
    if changes:
        section["changes"] = changes
    return section


def register_section() -> None:
    register(Section("staffing", STAFFING_SCHEMA, "Staffing", apply=apply, dump=dump,
                     order=110))
