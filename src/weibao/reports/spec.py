"""The contract spec's ``deliverables`` section (RPT-01..07): the reports the vendor owes,
how often, which period each covers, when each is due, what it contains and who accepts it.

``deliverables`` is the contract's complete list when present; the key absent from the file
leaves the list as it is. A deliverable that has submissions is never deleted (they are the
evidence of the contract's performance): the import fails naming it; keep it in the file
with ``active: false`` to stop new submissions instead. A deliverable without submissions is
deleted.

Due rules, one per cadence (``weibao.reports.schedule`` computes the dates):

- weekly: ``due: {weekday: 2, before: true}`` — 每周二前, at the start of Tuesday of the week
  after the covered week (``covers: current``: of the same week);
- monthly: ``due: {day: 21}`` — by the end of the 21st of the next month (or the same month);
- quarterly, half-yearly, yearly: ``due: {after: {amount: 10, unit: working_days}}`` after
  the period's last day;
- after_event: ``due: {after: …}`` after the ``trigger``: ``{visit_done: <plan code>}``,
  ``{ticket_restored: <ticket type code>}`` or ``{contract_end: true}``.

Without ``due`` a weekly report is due on Monday, a monthly one on the 1st, the others at the
end of the period's or the event's day.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.core.choices import Role
from weibao.maintenance.models import MaintenancePlan
from weibao.reports.choices import Cadence, Covers, DelayUnit, ReportSection, TriggerKind
from weibao.reports.models import Deliverable, ReportTemplate
from weibao.tickets.models import TicketType

__all__ = ["DELIVERABLES_SCHEMA", "apply", "check", "dump", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores."}
#: Roles that may accept a report (the permission ``reports.review_submission``).
ACCEPTING_ROLES = [Role.PURCHASER_STAFF.value]
PERIODIC = {Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.HALF_YEARLY,
            Cadence.YEARLY}
#: The due keys each cadence accepts (``before`` goes with any of them).
DUE_KEYS: dict[str, set[str]] = {
    Cadence.WEEKLY: {"weekday"},
    Cadence.MONTHLY: {"day"},
    Cadence.QUARTERLY: {"after"},
    Cadence.HALF_YEARLY: {"after"},
    Cadence.YEARLY: {"after"},
    Cadence.AFTER_EVENT: {"after"},
}


def _text(limit: int, description: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": limit}
    if description:
        node["description"] = description
    return node


DUE = obj(
    {
        "weekday": {"type": "integer", "minimum": 1, "maximum": 7,
                    "description": "Weekly: the day of the week it is due, 1 = Monday."},
        "day": {"type": "integer", "minimum": 1, "maximum": 31,
                "description": "Monthly: the day of the month it is due (a month without "
                               "that day: its last day). A calendar day: holidays do not "
                               "move it."},
        "after": obj({"amount": {"type": "integer", "minimum": 0, "maximum": 366},
                      "unit": {"enum": list(DelayUnit.values),
                               "description": "working_days (the contract's working "
                                              "calendar) or days (calendar days)."}},
                     ["amount", "unit"],
                     "Quarterly, half-yearly, yearly: this long after the period's last day; "
                     "after_event: this long after the event's day."),
        "before": {"type": "boolean",
                   "description": "true: due at the start of that day (每周二前, \"before "
                                  "Tuesday\") instead of its end (default false)."},
    },
    [],
    "When a report is due. Without it: weekly on Monday, monthly on the 1st, the others at "
    "the end of the period's or the event's day.",
)

TRIGGER = obj(
    {"visit_done": {**CODE, "description": "A visit of this maintenance plan is done."},
     "ticket_restored": {**CODE, "description": "A ticket of this ticket type is restored."},
     "contract_end": {"const": True, "description": "The service period ends."}},
    [],
    "after_event only: what starts the clock; exactly one key.",
)

DELIVERABLE = obj(
    {
        "code": {**CODE, "description": "Unique within the contract; payment milestones with "
                                        "trigger after_deliverable name it."},
        "name": _text(200, "The report's title, as the contract words it, e.g. 网点运维月报."),
        "cadence": {"enum": list(Cadence.values),
                    "description": "weekly (ISO weeks), monthly, quarterly, half_yearly, "
                                   "yearly (calendar periods) or after_event."},
        "covers": {"enum": list(Covers.values),
                   "description": "Weekly and monthly: previous (default) — the report on a "
                                  "period is due in the next one, e.g. last month's report by "
                                  "the 21st; current — the plan for the period is due in it, "
                                  "e.g. this month's plan by the 5th."},
        "due": DUE,
        "trigger": TRIGGER,
        "sections": {"type": "array", "uniqueItems": True,
                     "items": {"enum": list(ReportSection.values)},
                     "description": "The parts of the generated report, in order, each "
                                    "computed from recorded data."},
        "template": {**CODE, "description": "Code of a Word template (this contract's or a "
                                            "default one) instead of the built-in one."},
        "accepted_by": {"enum": ACCEPTING_ROLES,
                        "description": "The role that accepts or returns it (default "
                                       "purchaser_staff)."},
        "review_within_working_days": {
            "type": "integer", "minimum": 1, "maximum": 366,
            "description": "The purchaser assesses it within this many working days "
                           "(RPT-03)."},
        "missed": obj(
            {"breach": {"type": "boolean",
                        "description": "A report submitted late, or not at all, is a "
                                       "breach, recorded once."},
             "penalty_percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                                 "description": "Penalty per breach, % of the contract "
                                                "amount."}},
            ["breach"], "What a late or missing report means for the assessment."),
        "clause": _text(2000, "The contract clause the obligation transcribes."),
        "active": {"type": "boolean",
                   "description": "false: no new submissions are created (default true)."},
    },
    ["code", "name", "cadence"],
)

DELIVERABLES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": DELIVERABLE,
    "description": "Deliverables and reports (交付物/报告, RPT-01..07). The complete list when "
                   "present; a deliverable with submissions cannot be removed (set active: "
                   "false).",
}

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "due_key": _("a %(cadence)s report has no %(key)s"),
    "covers_periodic": _("only weekly and monthly reports have covers"),
    "needs_trigger": _("an after_event report needs a trigger"),
    "no_trigger": _("only after_event reports have a trigger"),
    "one_trigger": _("give exactly one of visit_done, ticket_restored or contract_end"),
    "unknown_plan": _("%(value)s is not a maintenance plan of this contract"),
    "unknown_ticket_type": _("%(value)s is not a ticket type of this contract"),
    "unknown_template": _("%(value)s is not a report template of this contract or a default "
                          "one"),
    "penalty_needs_breach": _("a penalty is only charged when a late report is a breach"),
    "decimals": _("%(value)s has more than %(limit)s decimals"),
    "has_submissions": _("deliverable %(value)s has submissions and cannot be removed; keep "
                         "it with active: false to stop new submissions"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def _known(spec: dict[str, Any], section: str, key: str, model: type[Model],
           number: str | None) -> set[str]:
    """Codes a reference may name: the file's list when present, else what is recorded."""
    part = spec.get(section)
    if isinstance(part, dict) and key in part:
        return {entry["code"] for entry in part[key]}
    if not number:
        return set()
    return set(model._default_manager.filter(contract__number=number)
               .values_list("code", flat=True))


def _templates(number: str | None) -> set[str]:
    """Word templates a deliverable may name: the contract's and the default ones."""
    scope = Q(contract__isnull=True)
    if number:
        scope |= Q(contract__number=number)
    return set(ReportTemplate.objects.filter(scope).values_list("code", flat=True))


def _check_due(entry: dict[str, Any], path: str) -> list[SpecError]:
    cadence = entry["cadence"]
    allowed = DUE_KEYS[cadence] | {"before"}
    errors = [_error(f"{path}.due.{key}", "due_key", cadence=cadence, key=key)
              for key in entry.get("due", {}) if key not in allowed]
    if "covers" in entry and cadence not in (Cadence.WEEKLY, Cadence.MONTHLY):
        errors.append(_error(f"{path}.covers", "covers_periodic"))
    return errors


def _check_trigger(entry: dict[str, Any], path: str,
                   known: dict[str, set[str]]) -> list[SpecError]:
    trigger = entry.get("trigger")
    if entry["cadence"] != Cadence.AFTER_EVENT:
        return [_error(f"{path}.trigger", "no_trigger")] if trigger is not None else []
    if trigger is None:
        return [_error(f"{path}.trigger", "needs_trigger")]
    if len(trigger) != 1:
        return [_error(f"{path}.trigger", "one_trigger")]
    if "visit_done" in trigger and trigger["visit_done"] not in known["plans"]:
        return [_error(f"{path}.trigger.visit_done", "unknown_plan",
                       value=trigger["visit_done"])]
    if "ticket_restored" in trigger and trigger["ticket_restored"] not in known["types"]:
        return [_error(f"{path}.trigger.ticket_restored", "unknown_ticket_type",
                       value=trigger["ticket_restored"])]
    return []


def _check_missed(entry: dict[str, Any], path: str) -> list[SpecError]:
    missed = entry.get("missed", {})
    if "penalty_percent" not in missed:
        return []
    errors = []
    if not missed["breach"]:
        errors.append(_error(f"{path}.missed.penalty_percent", "penalty_needs_breach"))
    exponent = Decimal(str(missed["penalty_percent"])).as_tuple().exponent
    if isinstance(exponent, int) and -exponent > 3:
        errors.append(_error(f"{path}.missed.penalty_percent", "decimals",
                             value=missed["penalty_percent"], limit=3))
    return errors


def check(data: list[dict[str, Any]], spec: dict[str, Any]) -> list[SpecError]:
    counts = Counter(entry["code"] for entry in data)
    errors = [_error(f"deliverables[{i}].code", "duplicate_code", value=entry["code"])
              for i, entry in enumerate(data) if counts[entry["code"]] > 1]
    if not data:
        return errors
    number = spec.get("contract", {}).get("number")
    known: dict[str, set[str]] = {}
    if any("visit_done" in entry.get("trigger", {}) for entry in data):
        known["plans"] = _known(spec, "maintenance", "plans", MaintenancePlan, number)
    if any("ticket_restored" in entry.get("trigger", {}) for entry in data):
        known["types"] = _known(spec, "tickets", "types", TicketType, number)
    templates = _templates(number) if any("template" in entry for entry in data) else set()
    for i, entry in enumerate(data):
        path = f"deliverables[{i}]"
        errors.extend(_check_due(entry, path))
        errors.extend(_check_trigger(entry, path, known))
        errors.extend(_check_missed(entry, path))
        if "template" in entry and entry["template"] not in templates:
            errors.append(_error(f"{path}.template", "unknown_template",
                                 value=entry["template"]))
    return errors


# --- apply ----------------------------------------------------------------------------------

def _trigger_kind(trigger: dict[str, Any] | None) -> str:
    if not trigger:
        return ""
    if "visit_done" in trigger:
        return TriggerKind.VISIT_DONE
    if "ticket_restored" in trigger:
        return TriggerKind.TICKET_RESTORED
    return TriggerKind.CONTRACT_END


def _values(data: dict[str, Any], order: int, refs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    due = data.get("due", {})
    after = due.get("after", {})
    trigger = data.get("trigger") or {}
    missed = data.get("missed", {})
    penalty = missed.get("penalty_percent")
    periodic = data["cadence"] in (Cadence.WEEKLY, Cadence.MONTHLY)
    return {
        "name": data["name"], "cadence": data["cadence"],
        "covers": data.get("covers", Covers.PREVIOUS) if periodic else Covers.PREVIOUS,
        "due_weekday": due.get("weekday"), "due_day": due.get("day"),
        "due_exclusive": due.get("before", False),
        "due_after_amount": after.get("amount"), "due_after_unit": after.get("unit", ""),
        "trigger": _trigger_kind(trigger),
        "trigger_plan": refs["plans"].get(trigger.get("visit_done", "")),
        "trigger_ticket_type": refs["types"].get(trigger.get("ticket_restored", "")),
        "sections": list(data.get("sections", [])),
        "template": refs["templates"].get(data.get("template", "")),
        "accepted_by": data.get("accepted_by", Role.PURCHASER_STAFF),
        "review_working_days": data.get("review_within_working_days"),
        "late_is_breach": missed.get("breach", False),
        "penalty_percent": (Decimal(str(penalty)).quantize(Decimal("0.001"))
                            if penalty is not None else None),
        "clause": data.get("clause", ""), "active": data.get("active", True), "order": order,
    }


def _references(contract: Contract) -> dict[str, dict[str, Any]]:
    templates = {t.code: t for t in ReportTemplate.objects.filter(contract__isnull=True)}
    # The contract's own template wins over a default one of the same code.
    templates.update({t.code: t for t in ReportTemplate.objects.filter(contract=contract)})
    return {
        "plans": {p.code: p for p in MaintenancePlan.objects.filter(contract=contract)},
        "types": {t.code: t for t in TicketType.objects.filter(contract=contract)},
        "templates": templates,
    }


def apply(contract: Contract, data: list[dict[str, Any]], errors: list[SpecError]) -> None:
    refs = _references(contract)
    existing = {d.code: d for d in Deliverable.objects.filter(contract=contract)}
    for order, entry in enumerate(data, start=1):
        deliverable = existing.pop(entry["code"], None) or Deliverable(contract=contract,
                                                                       code=entry["code"])
        if assign(deliverable, _values(entry, order, refs)) or deliverable.pk is None:
            deliverable.save()
    for code, deliverable in existing.items():
        if deliverable.submissions.exists():
            errors.append(_error("deliverables", "has_submissions", value=code))
        else:
            deliverable.delete()


# --- dump -----------------------------------------------------------------------------------

def _dump_due(deliverable: Deliverable) -> dict[str, Any]:
    due: dict[str, Any] = {}
    if deliverable.due_weekday is not None:
        due["weekday"] = deliverable.due_weekday
    if deliverable.due_day is not None:
        due["day"] = deliverable.due_day
    if deliverable.due_after_amount is not None:
        due["after"] = {"amount": deliverable.due_after_amount,
                        "unit": deliverable.due_after_unit or DelayUnit.WORKING_DAYS}
    if deliverable.due_exclusive:
        due["before"] = True
    return due


def _dump_trigger(deliverable: Deliverable) -> dict[str, Any] | None:
    if deliverable.trigger == TriggerKind.VISIT_DONE and deliverable.trigger_plan:
        return {"visit_done": deliverable.trigger_plan.code}
    if deliverable.trigger == TriggerKind.TICKET_RESTORED and deliverable.trigger_ticket_type:
        return {"ticket_restored": deliverable.trigger_ticket_type.code}
    if deliverable.trigger == TriggerKind.CONTRACT_END:
        return {"contract_end": True}
    return None


def _dump(deliverable: Deliverable) -> dict[str, Any]:
    out: dict[str, Any] = {"code": deliverable.code, "name": deliverable.name,
                           "cadence": deliverable.cadence}
    if (deliverable.cadence in (Cadence.WEEKLY, Cadence.MONTHLY)
            and deliverable.covers != Covers.PREVIOUS):
        out["covers"] = deliverable.covers
    due = _dump_due(deliverable)
    if due:
        out["due"] = due
    trigger = _dump_trigger(deliverable)
    if trigger:
        out["trigger"] = trigger
    if deliverable.sections:
        out["sections"] = list(deliverable.sections)
    if deliverable.template is not None:
        out["template"] = deliverable.template.code
    if deliverable.accepted_by != Role.PURCHASER_STAFF:
        out["accepted_by"] = deliverable.accepted_by
    if deliverable.review_working_days is not None:
        out["review_within_working_days"] = deliverable.review_working_days
    if deliverable.late_is_breach:
        out["missed"] = {"breach": True}
        if deliverable.penalty_percent is not None:
            out["missed"]["penalty_percent"] = deliverable.penalty_percent.normalize()
    if deliverable.clause:
        out["clause"] = deliverable.clause
    if not deliverable.active:
        out["active"] = False
    return out


def dump(contract: Contract) -> list[dict[str, Any]] | None:
    deliverables = [_dump(d) for d in Deliverable.objects.filter(contract=contract).select_related(
        "trigger_plan", "trigger_ticket_type", "template")]
    return deliverables or None


def register_section() -> None:
    # After tickets (80) and maintenance (90): triggers name ticket types and plans.
    register(Section("deliverables", DELIVERABLES_SCHEMA, "Deliverables", check=check,
                     apply=apply, dump=dump, order=100))
