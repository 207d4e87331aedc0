"""The contract spec's ``maintenance`` section (PM-01..09): checklist templates and the
maintenance plans that use them.

``checklists`` and ``plans`` are each the contract's complete list when present; a key
absent from the file leaves that list as it is. A checklist's items are its complete list of
items. Removing things:

- a checklist item may always be removed: visits keep a copy of each item's text and kind;
- a plan that has visits is never deleted (the visits are the evidence of the contract's
  performance): the import fails naming it; keep it in the file with ``active: false`` to
  stop new visits instead. A plan without visits is deleted;
- a checklist still used by a plan cannot be removed (the import fails naming it).

Daily checks (``checks``) are stored in ``MaintenancePlan.slots`` as
``{"code", "name", "start": "HH:MM" | None, "end": "HH:MM" | None}``, the shape the
scheduler reads.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import AssetType
from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.core.choices import Role
from weibao.maintenance.choices import DayRule, Frequency, ItemKind, PlanScope, SignatureRule
from weibao.maintenance.models import ChecklistItem, ChecklistTemplate, MaintenancePlan
from weibao.sites.models import SiteType

__all__ = ["MAINTENANCE_SCHEMA", "check", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores."}
TIME: dict[str, Any] = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$",
                        "description": "Beijing time HH:MM (write it with two digits or quote "
                                       "it: 8:30 unquoted is a number in YAML)."}
LIMIT = 9999999999  # DecimalField(max_digits=14, decimal_places=4)
BOUND: dict[str, Any] = {"type": ["number", "null"], "minimum": -LIMIT, "maximum": LIMIT}
PAIR: dict[str, Any] = {"type": "array", "minItems": 2, "maxItems": 2, "items": BOUND}


def _text(limit: int, description: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": limit}
    if description:
        node["description"] = description
    return node


ITEM = obj(
    {
        "code": {**CODE, "description": "Unique within the checklist; answers and photos are "
                                        "keyed by it."},
        "text": _text(300, "What the engineer checks or does, as the contract words it."),
        "kind": {"enum": list(ItemKind.values),
                 "description": "pass_fail, number, choice, text, photo (a photo is the "
                                "answer) or asset_verification (each asset of the site found "
                                "/ missing / moved, AST-08)."},
        "required": {"type": "boolean",
                     "description": "Must be answered before the visit is submitted "
                                    "(default true)."},
        "photo": {"enum": ["required"],
                  "description": "`required`: the item needs at least one photo."},
        "unit": {"type": "string", "minLength": 1, "maxLength": 20,
                 "description": "Number items: the unit shown, e.g. ℃, V, %."},
        "range": {**PAIR, "description": "Number items: [lowest, highest] value that may be "
                                         "entered; null leaves a side open."},
        "normal": {**PAIR, "description": "Number items: [from, up to] of a normal value; "
                                          "outside it the result is abnormal (PM-08)."},
        "choices": {"type": "array", "minItems": 1, "items": _text(100),
                    "description": "Choice items: the answers offered."},
        "abnormal": {"type": "array", "minItems": 1, "items": _text(100),
                     "description": "Choice items: the answers that are abnormal (PM-08)."},
        "help": _text(300, "Guidance shown to the engineer under the item."),
        "clause": _text(300, "The contract clause the item comes from."),
    },
    ["code", "text", "kind"],
)

CHECK = obj(
    {"code": CODE, "name": _text(60), "start": TIME, "end": TIME},
    ["code", "name"],
    "One named check of the day (e.g. 早间检查); start/end bound its window (an end before "
    "the start runs past midnight), else the whole day.",
)

PLAN = obj(
    {
        "code": CODE,
        "name": _text(200),
        "checklist": {**CODE, "description": "Code of a checklist of this contract."},
        "scope": obj(
            {"site_types": {"type": "array", "minItems": 1, "items": CODE,
                            "description": "One visit per site of these site types."},
             "asset_types": {"type": "array", "minItems": 1, "items": CODE,
                             "description": "One visit per asset of these asset types."},
             "contract": {"const": True,
                          "description": "One check for the contract as a whole (a system "
                                         "check, no site)."}},
            [], "What one visit covers: exactly one of site_types, asset_types, contract."),
        "frequency": {"enum": list(Frequency.values),
                      "description": "How often a visit falls due; the window is the day, "
                                     "ISO week, calendar month, quarter, half-year or year; "
                                     "before_event: the day before each major event; "
                                     "on_demand: visits are arranged by hand."},
        "days": {"enum": list(DayRule.values),
                 "description": "Daily plans: every_day (default) or working_days."},
        "checks": {"type": "array", "minItems": 1, "items": CHECK,
                   "description": "Daily plans: the named checks of each day, e.g. morning "
                                  "and evening; without it one check a day."},
        "done_by": {"type": "array", "minItems": 1, "uniqueItems": True,
                    "items": {"enum": list(Role.values)},
                    "description": "Roles whose users may carry out the visits."},
        "signature": {"enum": list(SignatureRule.values),
                      "description": "Who signs the maintenance sheet (default none)."},
        "sheet_title": _text(100, "Title of the sheet, e.g. 受理网点维护单."),
        "missed": obj(
            {"breach": {"type": "boolean",
                        "description": "A visit not done by the end of its window is a "
                                       "breach (PM-09)."},
             "penalty_percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                                 "description": "Penalty per missed visit, % of the "
                                                "contract amount."}},
            ["breach"], "What a missed visit means for the assessment."),
        "clause": _text(2000, "The contract clause the plan transcribes."),
        "active": {"type": "boolean",
                   "description": "false: no new visits are generated (default true)."},
    },
    ["code", "name", "checklist", "scope", "frequency"],
)

MAINTENANCE_SCHEMA: dict[str, Any] = obj(
    {
        "checklists": {
            "type": "array",
            "description": "Checklist templates (检查表). The complete list when present.",
            "items": obj({"code": CODE, "name": _text(100),
                          "description": _text(2000),
                          "items": {"type": "array", "minItems": 1, "items": ITEM}},
                         ["code", "name", "items"]),
        },
        "plans": {
            "type": "array",
            "description": "Maintenance plans (巡检/维护计划). The complete list when present; "
                           "a plan with visits cannot be removed (set active: false).",
            "items": PLAN,
        },
    },
    description="Preventive maintenance and inspections (PM-01..09): checklists and plans.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "unknown_checklist": _("%(value)s is not a checklist of this contract"),
    "unknown_site_type": _("%(value)s is not a site type of this contract"),
    "unknown_asset_type": _("%(value)s is not an asset type of this contract"),
    "one_scope": _("give exactly one of site_types, asset_types or contract: true"),
    "range_order": _("the first value %(low)s is greater than the second %(high)s"),
    "normal_outside": _("the normal values must lie within the range"),
    "number_only": _("only number items have %(key)s"),
    "choice_only": _("only choice items have %(key)s"),
    "needs_choices": _("a choice item needs choices"),
    "not_a_choice": _("%(value)s is not one of the item's choices"),
    "decimals": _("%(value)s has more than %(limit)s decimals"),
    "daily_only": _("only daily plans have %(key)s"),
    "check_times": _("the check starts and ends at %(start)s: give different times, or "
                     "neither for the whole day"),
    "penalty_needs_breach": _("a penalty is only charged when a missed visit is a breach"),
    "no_site_staff": _("a check of the whole contract has no site whose staff could sign"),
    "has_visits": _("plan %(value)s has visits and cannot be removed; keep it with "
                    "active: false to stop new visits"),
    "in_use": _("checklist %(value)s is used by plan %(detail)s and cannot be removed"),
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


def _duplicates(entries: list[dict[str, Any]], path: str) -> list[SpecError]:
    counts = Counter(entry["code"] for entry in entries)
    return [_error(f"{path}[{i}].code", "duplicate_code", value=entry["code"])
            for i, entry in enumerate(entries) if counts[entry["code"]] > 1]


def _decimals(value: Any, path: str, limit: int) -> list[SpecError]:
    if value is None:
        return []
    exponent = Decimal(str(value)).as_tuple().exponent
    if isinstance(exponent, int) and -exponent > limit:
        return [_error(path, "decimals", value=value, limit=limit)]
    return []


def _check_item(item: dict[str, Any], path: str) -> list[SpecError]:
    errors: list[SpecError] = []
    kind = item["kind"]
    for key in ("unit", "range", "normal"):
        if key in item and kind != ItemKind.NUMBER:
            errors.append(_error(f"{path}.{key}", "number_only", key=key))
    for key in ("choices", "abnormal"):
        if key in item and kind != ItemKind.CHOICE:
            errors.append(_error(f"{path}.{key}", "choice_only", key=key))
    for key in ("range", "normal"):
        pair = item.get(key)
        if pair is None:
            continue
        for side, value in enumerate(pair):
            errors.extend(_decimals(value, f"{path}.{key}[{side}]", 4))
        if None not in pair and Decimal(str(pair[0])) > Decimal(str(pair[1])):
            errors.append(_error(f"{path}.{key}", "range_order", low=pair[0], high=pair[1]))
    if "range" in item and "normal" in item:
        low, high = item["range"]
        for value in item["normal"]:
            if value is None:
                continue
            if (low is not None and Decimal(str(value)) < Decimal(str(low))) or (
                    high is not None and Decimal(str(value)) > Decimal(str(high))):
                errors.append(_error(f"{path}.normal", "normal_outside"))
                break
    if kind == ItemKind.CHOICE:
        choices = item.get("choices", [])
        if not choices:
            errors.append(_error(f"{path}.choices", "needs_choices"))
        counts = Counter(choices)
        errors.extend(_error(f"{path}.choices[{i}]", "duplicate_code", value=choice)
                      for i, choice in enumerate(choices) if counts[choice] > 1)
        errors.extend(_error(f"{path}.abnormal[{i}]", "not_a_choice", value=choice)
                      for i, choice in enumerate(item.get("abnormal", []))
                      if choice not in counts)
    return errors


def _check_plan(plan: dict[str, Any], path: str, known: dict[str, set[str]]) -> list[SpecError]:
    errors: list[SpecError] = []
    if plan["checklist"] not in known["checklists"]:
        errors.append(_error(f"{path}.checklist", "unknown_checklist", value=plan["checklist"]))
    scope = plan["scope"]
    if len([key for key in ("site_types", "asset_types", "contract") if key in scope]) != 1:
        errors.append(_error(f"{path}.scope", "one_scope"))
    for key, code in (("site_types", "unknown_site_type"), ("asset_types", "unknown_asset_type")):
        for i, value in enumerate(scope.get(key, [])):
            if value not in known[key]:
                errors.append(_error(f"{path}.scope.{key}[{i}]", code, value=value))
    daily = plan["frequency"] == Frequency.DAILY
    for key in ("days", "checks"):
        if key in plan and not daily:
            errors.append(_error(f"{path}.{key}", "daily_only", key=key))
    checks = plan.get("checks", [])
    errors.extend(_duplicates(checks, f"{path}.checks"))
    for i, entry in enumerate(checks):
        # An end before the start runs past midnight (22:00-02:00); the same time is no window.
        if "start" in entry and "end" in entry and entry["end"] == entry["start"]:
            errors.append(_error(f"{path}.checks[{i}].end", "check_times",
                                 start=entry["start"], end=entry["end"]))
    missed = plan.get("missed", {})
    if "penalty_percent" in missed:
        if not missed["breach"]:
            errors.append(_error(f"{path}.missed.penalty_percent", "penalty_needs_breach"))
        errors.extend(_decimals(missed["penalty_percent"], f"{path}.missed.penalty_percent", 3))
    if plan.get("signature") == SignatureRule.SITE_STAFF and scope.get("contract"):
        errors.append(_error(f"{path}.signature", "no_site_staff"))
    return errors


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    number = spec.get("contract", {}).get("number")
    checklists = data.get("checklists", [])
    errors.extend(_duplicates(checklists, "maintenance.checklists"))
    for i, checklist in enumerate(checklists):
        path = f"maintenance.checklists[{i}].items"
        errors.extend(_duplicates(checklist["items"], path))
        for j, item in enumerate(checklist["items"]):
            errors.extend(_check_item(item, f"{path}[{j}]"))
    plans = data.get("plans", [])
    errors.extend(_duplicates(plans, "maintenance.plans"))
    if not plans:
        return errors
    known = {
        "checklists": _known(spec, "maintenance", "checklists", ChecklistTemplate, number),
        "site_types": _known(spec, "sites", "site_types", SiteType, number),
        "asset_types": _known(spec, "assets", "types", AssetType, number),
    }
    for i, plan in enumerate(plans):
        errors.extend(_check_plan(plan, f"maintenance.plans[{i}]", known))
    return errors


# --- apply ----------------------------------------------------------------------------------

def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _item_values(item: dict[str, Any], order: int) -> dict[str, Any]:
    low, high = item.get("range", (None, None))
    normal_low, normal_high = item.get("normal", (None, None))
    return {
        "order": order, "text": item["text"], "kind": item["kind"],
        "required": item.get("required", True),
        "photo_required": item.get("photo") == "required",
        "unit": item.get("unit", ""),
        "min_value": _decimal(low), "max_value": _decimal(high),
        "normal_min": _decimal(normal_low), "normal_max": _decimal(normal_high),
        "choices": list(item.get("choices", [])),
        "abnormal_choices": list(item.get("abnormal", [])),
        "help_text": item.get("help", ""), "clause": item.get("clause", ""),
    }


def _apply_checklist(contract: Contract, data: dict[str, Any],
                     existing: dict[str, ChecklistTemplate]) -> ChecklistTemplate:
    template = existing.get(data["code"]) or ChecklistTemplate(contract=contract,
                                                               code=data["code"])
    if assign(template, {"name": data["name"],
                         "description": data.get("description", "")}) or template.pk is None:
        template.save()
    items = {item.code: item for item in template.items.all()}
    for order, entry in enumerate(data["items"], start=1):
        item = items.pop(entry["code"], None) or ChecklistItem(template=template,
                                                               code=entry["code"])
        if assign(item, _item_values(entry, order)) or item.pk is None:
            item.save()
    # Visits copy each item's text and kind, so an item removed from the file can go.
    for item in items.values():
        item.delete()
    return template


def _scope(scope: dict[str, Any]) -> str:
    if "site_types" in scope:
        return PlanScope.SITE
    if "asset_types" in scope:
        return PlanScope.ASSET
    return PlanScope.CONTRACT


def _slots(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"code": c["code"], "name": c["name"], "start": c.get("start"),
             "end": c.get("end")} for c in plan.get("checks", [])]


def _plan_values(data: dict[str, Any], order: int,
                 checklists: dict[str, ChecklistTemplate]) -> dict[str, Any]:
    missed = data.get("missed", {})
    penalty = missed.get("penalty_percent")
    return {
        "name": data["name"], "checklist": checklists[data["checklist"]],
        "frequency": data["frequency"], "days": data.get("days", DayRule.EVERY_DAY),
        "slots": _slots(data), "scope": _scope(data["scope"]),
        "performer_roles": list(data.get("done_by", [])),
        "signature": data.get("signature", SignatureRule.NONE),
        "sheet_title": data.get("sheet_title", ""),
        "missed_is_breach": missed.get("breach", False),
        "penalty_percent": (Decimal(str(penalty)).quantize(Decimal("0.001"))
                            if penalty is not None else None),
        "clause": data.get("clause", ""), "active": data.get("active", True), "order": order,
    }


def _set_types(plan: MaintenancePlan, field: str, codes: list[str],
               known: dict[str, Any]) -> None:
    manager = getattr(plan, field)
    wanted = {known[code].pk for code in codes}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(sorted(wanted))


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    checklists = {t.code: t for t in ChecklistTemplate.objects.filter(contract=contract)}
    stale_checklists: dict[str, ChecklistTemplate] = {}
    if "checklists" in data:
        kept = {entry["code"]: _apply_checklist(contract, entry, checklists)
                for entry in data["checklists"]}
        stale_checklists = {c: t for c, t in checklists.items() if c not in kept}
        checklists = kept
    if "plans" in data:
        _apply_plans(contract, data["plans"], checklists, errors)
    for code, template in stale_checklists.items():
        users = list(MaintenancePlan.objects.filter(checklist=template)
                     .values_list("code", flat=True))
        if users:
            errors.append(_error("maintenance.checklists", "in_use", value=code,
                                 detail=", ".join(users)))
        else:
            template.delete()


def _apply_plans(contract: Contract, entries: list[dict[str, Any]],
                 checklists: dict[str, ChecklistTemplate], errors: list[SpecError]) -> None:
    site_types = {t.code: t for t in SiteType.objects.filter(contract=contract)}
    asset_types = {t.code: t for t in AssetType.objects.filter(contract=contract)}
    existing = {p.code: p for p in MaintenancePlan.objects.filter(contract=contract)}
    for order, entry in enumerate(entries, start=1):
        plan = existing.pop(entry["code"], None) or MaintenancePlan(contract=contract,
                                                                    code=entry["code"])
        if assign(plan, _plan_values(entry, order, checklists)) or plan.pk is None:
            plan.save()
        _set_types(plan, "site_types", entry["scope"].get("site_types", []), site_types)
        _set_types(plan, "asset_types", entry["scope"].get("asset_types", []), asset_types)
    for code, plan in existing.items():
        if plan.visits.exists():
            errors.append(_error("maintenance.plans", "has_visits", value=code))
        else:
            plan.delete()


# --- dump -----------------------------------------------------------------------------------

def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def _dump_item(item: ChecklistItem) -> dict[str, Any]:
    out: dict[str, Any] = {"code": item.code, "text": item.text, "kind": item.kind}
    if not item.required:
        out["required"] = False
    if item.photo_required:
        out["photo"] = "required"
    if item.unit:
        out["unit"] = item.unit
    if item.min_value is not None or item.max_value is not None:
        out["range"] = [_number(item.min_value), _number(item.max_value)]
    if item.normal_min is not None or item.normal_max is not None:
        out["normal"] = [_number(item.normal_min), _number(item.normal_max)]
    if item.choices:
        out["choices"] = list(item.choices)
    if item.abnormal_choices:
        out["abnormal"] = list(item.abnormal_choices)
    if item.help_text:
        out["help"] = item.help_text
    if item.clause:
        out["clause"] = item.clause
    return out


def _dump_plan(plan: MaintenancePlan) -> dict[str, Any]:
    out: dict[str, Any] = {"code": plan.code, "name": plan.name,
                           "checklist": plan.checklist.code}
    if plan.scope == PlanScope.SITE:
        out["scope"] = {"site_types": sorted(t.code for t in plan.site_types.all())}
    elif plan.scope == PlanScope.ASSET:
        out["scope"] = {"asset_types": sorted(t.code for t in plan.asset_types.all())}
    else:
        out["scope"] = {"contract": True}
    out["frequency"] = plan.frequency
    if plan.days != DayRule.EVERY_DAY:
        out["days"] = plan.days
    if plan.slots:
        out["checks"] = [{k: slot[k] for k in ("code", "name", "start", "end")
                          if slot.get(k) is not None} for slot in plan.slots]
    if plan.performer_roles:
        out["done_by"] = list(plan.performer_roles)
    if plan.signature != SignatureRule.NONE:
        out["signature"] = plan.signature
    if plan.sheet_title:
        out["sheet_title"] = plan.sheet_title
    if plan.missed_is_breach:
        out["missed"] = {"breach": True}
        if plan.penalty_percent is not None:
            out["missed"]["penalty_percent"] = plan.penalty_percent.normalize()
    if plan.clause:
        out["clause"] = plan.clause
    if not plan.active:
        out["active"] = False
    return out


def dump(contract: Contract) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    checklists = []
    for template in ChecklistTemplate.objects.filter(contract=contract).order_by(
            "pk").prefetch_related("items"):
        entry: dict[str, Any] = {"code": template.code, "name": template.name}
        if template.description:
            entry["description"] = template.description
        entry["items"] = [_dump_item(item) for item in template.items.all()]
        checklists.append(entry)
    if checklists:
        out["checklists"] = checklists
    plans = [_dump_plan(plan) for plan in MaintenancePlan.objects.filter(
        contract=contract).select_related("checklist").prefetch_related(
        "site_types", "asset_types")]
    if plans:
        out["plans"] = plans
    return out or None


def register_section() -> None:
    # After sites (40), assets (50) and tickets (80): plans name their site and asset types.
    register(Section("maintenance", MAINTENANCE_SCHEMA, "Maintenance", check=check,
                     apply=apply, dump=dump, order=90))
