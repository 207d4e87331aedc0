"""The contract spec's ``notifications`` section: who hears of which events (SLA-10, TKT-01).

``notifications: {rules: [{events, roles?, parties?, organisations?, people?, users?}]}`` —
a rule names event kinds (``"*"`` for all) and the recipients: roles of the contract's parties
(``vendor_manager``), every person of a party (``purchaser``), of an organisation by code,
the people of the event (``assignee``, ``reporter``, ``on_duty``, ``subject``) or user
names. The kinds a rule names use its recipients instead of their defaults. Only people who
can see the contract are ever told (PLT-01). Channels and their secrets are not spec: an
administrator configures them. The section replaces the contract's rules; absent, the rules
stay as they are.
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
from weibao.notifications.models import RecipientRule

__all__ = ["NOTIFICATIONS_SCHEMA", "apply", "check", "dump", "register_section"]

_LIST = {"type": "array", "uniqueItems": True}
RULE = obj(
    {
        "events": {**_LIST, "minItems": 1,
                   "items": {"type": "string", "pattern": r"^[*a-z_.]+$"},
                   "description": "Event kinds, e.g. sla.warning, ticket.reported; * for all."},
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
    },
    required=["events"],
)
NOTIFICATIONS_SCHEMA: dict[str, Any] = obj(
    {"rules": {"type": "array", "items": RULE,
               "description": "Recipients by rule; the kinds named replace their defaults."}},
    required=["rules"],
    description="Who is notified of what (SLA-10, TKT-01, RPT-07, STF-04).",
)

_MESSAGES = {
    "unknown_event": _("%(value)s is not a notification event"),
    "no_recipients": _("the rule names nobody: give roles, parties, organisations, people "
                       "or users"),
}


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
        if not any(rule.get(name) for name in ("roles", "parties", "organisations", "people",
                                               "users")):
            errors.append(SpecError(f"notifications.rules[{i}]", "no_recipients",
                                    text=_MESSAGES["no_recipients"]))
    return errors


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    RecipientRule.objects.filter(contract=contract).delete()
    RecipientRule.objects.bulk_create(
        RecipientRule(contract=contract, position=i, events=r["events"],
                      roles=r.get("roles", []), parties=r.get("parties", []),
                      organisations=r.get("organisations", []),
                      recipients=r.get("people", []), users=r.get("users", []))
        for i, r in enumerate(data["rules"], start=1))


def dump(contract: Contract) -> dict[str, Any] | None:
    rules = []
    for rule in RecipientRule.objects.filter(contract=contract):
        entry: dict[str, Any] = {"events": list(rule.events)}
        for name, value in (("roles", rule.roles), ("parties", rule.parties),
                            ("organisations", rule.organisations),
                            ("people", rule.recipients), ("users", rule.users)):
            if value:
                entry[name] = list(value)
        rules.append(entry)
    return {"rules": rules} if rules else None


def register_section() -> None:
    # After staffing (110): on_duty names the staff app's duty shifts.
    register(Section("notifications", NOTIFICATIONS_SCHEMA, "Notifications", check=check,
                     apply=apply, dump=dump, order=120))
