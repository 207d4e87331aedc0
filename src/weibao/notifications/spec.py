"""The contract spec's ``notifications`` section: who hears of which events (SLA-10, TKT-01).

``notifications: {rules: [{events, roles?, parties?, organisations?, people?, users?}],
escalations: [{after_minutes, roles?, …}]}`` —
a rule names event kinds (``"*"`` for all) and the recipients: roles of the contract's parties
(``vendor_manager``), every person of a party (``purchaser``), of an organisation by code,
the people of the event (``assignee``, ``reporter``, ``on_duty``, ``subject``) or user
names. The kinds a rule names use its recipients instead of their defaults. An escalation
step tells its recipients of a ticket still not acknowledged ``after_minutes`` after the
report (``ticket.unacknowledged``), once per ticket and step. Only people who
can see the contract are ever told (PLT-01). Channels and their secrets are not spec: an
administrator configures them. Each list present replaces the contract's; absent, it stays
as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.core.choices import Role
from weibao.notifications.choices import Recipient
from weibao.notifications.models import Escalation, RecipientRule

__all__ = ["NOTIFICATIONS_SCHEMA", "apply", "check", "dump", "register_section"]

_LIST = {"type": "array", "uniqueItems": True}
_SELECTORS: dict[str, Any] = {
        "roles": {**_LIST, "items": {"enum": list(Role.values)},
                  "description": "People of the contract's parties with this role."},
        "parties": {**_LIST, "items": {"enum": list(PartyRole.values)},
                    "description": "Everyone of the party's organisation."},
        "organisations": {**_LIST, "items": {"type": "string", "minLength": 1,
                                             "maxLength": 40},
                          "description": "Everyone of the organisation with this code."},
        "people": {**_LIST, "items": {"enum": [*Recipient.values]},
                   "description": "The people of the event: assignee (工程师), reporter, "
                                  "on_duty (值班人员, STF-04), subject (named by the event)."},
        "users": {**_LIST, "items": {"type": "string", "minLength": 1, "maxLength": 150},
                  "description": "Named accounts."},
}
RULE = obj(
    {"events": {**_LIST, "minItems": 1,
                "items": {"type": "string", "pattern": r"^[*a-z_.]+$"},
                "description": "Event kinds, e.g. sla.warning, ticket.reported; * for all."},
     **_SELECTORS},
    required=["events"],
)
ESCALATION = obj(
    {"after_minutes": {"type": "integer", "minimum": 1, "maximum": 10080,
                       "description": "Minutes after the report with the ticket still not "
                                      "acknowledged (未响应)."},
     **_SELECTORS},
    required=["after_minutes"],
)
NOTIFICATIONS_SCHEMA: dict[str, Any] = obj(
    {"rules": {"type": "array", "items": RULE,
               "description": "Recipients by rule; the kinds named replace their defaults."},
     "escalations": {"type": "array", "items": ESCALATION,
                     "description": "Steps told of a ticket nobody has acknowledged yet "
                                    "(升级通知), each once per ticket."}},
    description="Who is notified of what (SLA-10, TKT-01, RPT-07, STF-04).",
)

_MESSAGES = {
    "unknown_event": _("%(value)s is not a notification event"),
    "no_recipients": _("the rule names nobody: give roles, parties, organisations, people "
                       "or users"),
    "duplicate_step": _("two escalation steps after %(value)s minutes"),
}
_NAMES = ("roles", "parties", "organisations", "people", "users")


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    from weibao.notifications.events import kinds

    known = {k.kind for k in kinds()} | {"*"}
    errors: list[SpecError] = []
    for i, rule in enumerate(data.get("rules", [])):
        for j, kind in enumerate(rule["events"]):
            if kind not in known:
                errors.append(SpecError(f"notifications.rules[{i}].events[{j}]",
                                        "unknown_event", {"value": kind},
                                        text=_MESSAGES["unknown_event"]))
        if not any(rule.get(name) for name in _NAMES):
            errors.append(SpecError(f"notifications.rules[{i}]", "no_recipients",
                                    text=_MESSAGES["no_recipients"]))
    seen: set[int] = set()
    for i, step in enumerate(data.get("escalations", [])):
        if not any(step.get(name) for name in _NAMES):
            errors.append(SpecError(f"notifications.escalations[{i}]", "no_recipients",
                                    text=_MESSAGES["no_recipients"]))
        if step["after_minutes"] in seen:
            errors.append(SpecError(f"notifications.escalations[{i}].after_minutes",
                                    "duplicate_step", {"value": step["after_minutes"]},
                                    text=_MESSAGES["duplicate_step"]))
        seen.add(step["after_minutes"])
    return errors


def _selectors(entry: dict[str, Any]) -> dict[str, list[str]]:
    return {"roles": entry.get("roles", []), "parties": entry.get("parties", []),
            "organisations": entry.get("organisations", []),
            "recipients": entry.get("people", []), "users": entry.get("users", [])}


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    """Each list present replaces the contract's; a list left out stays as it is."""
    if "rules" in data:
        RecipientRule.objects.filter(contract=contract).delete()
        RecipientRule.objects.bulk_create(
            RecipientRule(contract=contract, position=i, events=r["events"], **_selectors(r))
            for i, r in enumerate(data["rules"], start=1))
    if "escalations" in data:
        Escalation.objects.filter(contract=contract).delete()
        Escalation.objects.bulk_create(
            Escalation(contract=contract, position=i, after_minutes=s["after_minutes"],
                       **_selectors(s))
            for i, s in enumerate(data["escalations"], start=1))


def _dump_selectors(row: RecipientRule | Escalation, entry: dict[str, Any]) -> dict[str, Any]:
    for name, value in (("roles", row.roles), ("parties", row.parties),
                        ("organisations", row.organisations), ("people", row.recipients),
                        ("users", row.users)):
        if value:
            entry[name] = list(value)
    return entry


def dump(contract: Contract) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    rules = [_dump_selectors(rule, {"events": list(rule.events)})
             for rule in RecipientRule.objects.filter(contract=contract)]
    steps = [_dump_selectors(step, {"after_minutes": step.after_minutes})
             for step in Escalation.objects.filter(contract=contract)]
    if rules:
        out["rules"] = rules
    if steps:
        out["escalations"] = steps
    return out or None


def register_section() -> None:
    # After staffing (110): on_duty names the staff app's duty shifts.
    register(Section("notifications", NOTIFICATIONS_SCHEMA, "Notifications", check=check,
                     apply=apply, dump=dump, order=120))
