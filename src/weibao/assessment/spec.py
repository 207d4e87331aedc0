"""The contract spec's ``assessment`` section (ASM-01..05, PAY-03): how the vendor's work is
assessed and what the contract charges besides the records' own breaches.

- ``method: score`` (ASM-01, seed 001 第一条四): weighted items whose points add up to
  ``total_points``; the payment factor comes from ``payment.final_price.factor_by_score``.
- ``method: criteria`` (ASM-02, seed 002 §6.1): criteria, each met when its measured value
  compares with its threshold; ``grades`` map a count of criteria met to a rating, whose factor
  comes from ``payment.final_price.factor_by_rating``.
- ``method: ledger`` (ASM-03, seed 000 第七条): no items; the breach ledger alone, with the
  termination right at ``termination.breaches`` breaches.

``penalties`` (ASM-04) are the penalties by clause that no record computes; the purchaser
applies one to the ledger with a reason, within its range.

The section absent from the file leaves the scheme as it is. ``items`` and ``penalties`` are
the complete lists. An item that an assessment has measured is never removed (the import fails
naming it), nor a penalty rule applied to a breach; the method of a contract with assessments
does not change.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from weibao.assessment.choices import BreachSource, Comparison, Method, Metric, Scoring
from weibao.assessment.models import (
    Assessment,
    AssessmentItem,
    AssessmentScheme,
    PenaltyRule,
)
from weibao.contracts.models import Contract, FactorBand
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.maintenance.models import MaintenancePlan
from weibao.reports.models import Deliverable
from weibao.sla.models import SlaStage
from weibao.tickets.models import TicketType

__all__ = ["ASSESSMENT_SCHEMA", "PARAMS", "apply", "check", "dump", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores."}
PERCENT: dict[str, Any] = {"type": "number", "exclusiveMinimum": 0, "maximum": 100}
#: The metric parameters each metric requires and the ones it may take
#: (``weibao.assessment.metrics`` reads them).
PARAMS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Metric.MANUAL: (frozenset(), frozenset()),
    Metric.STAGE_ATTAINMENT: (frozenset({"stage"}), frozenset({"ticket_types"})),
    Metric.RESPONSE_WITHIN: (frozenset({"minutes"}), frozenset({"ticket_types"})),
    Metric.RESOLVED_WITHIN: (frozenset({"working_days"}), frozenset({"ticket_types"})),
    Metric.REQUIREMENT_RESPONDED: (frozenset({"working_days"}), frozenset({"ticket_types"})),
    Metric.COMPLETION_RATE: (frozenset(), frozenset({"ticket_types"})),
    Metric.SATISFACTION_RATE: (frozenset(), frozenset({"ticket_types"})),
    Metric.INSPECTION_COVERAGE: (frozenset(), frozenset({"plans"})),
    Metric.DELIVERABLES_ON_TIME: (frozenset(), frozenset({"deliverables"})),
    Metric.BREACH_COUNT: (frozenset(), frozenset({"sources"})),
    Metric.KPI: (frozenset({"stage"}), frozenset({"ticket_types"})),
    Metric.ATTENDANCE_RATE: (frozenset(), frozenset()),
}
#: Metrics that are not a percentage: proportional scoring cannot use them.
NOT_A_RATE = {Metric.MANUAL, Metric.BREACH_COUNT}
POINTS_LIMIT = 9999


def _text(limit: int, description: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": limit}
    if description:
        node["description"] = description
    return node


def _codes(description: str) -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "uniqueItems": True, "items": CODE,
            "description": description}


PARAMS_SCHEMA = obj(
    {
        "stage": {**CODE, "description": "stage_attainment, kpi: the code of a stage in "
                                         "service_levels."},
        "minutes": {"type": "integer", "minimum": 1, "maximum": 100000,
                    "description": "response_within: the response limit in minutes."},
        "working_days": {"type": "integer", "minimum": 1, "maximum": 366,
                         "description": "resolved_within, requirement_responded: the limit "
                                        "in working days of the contract's calendar."},
        "ticket_types": _codes("Only tickets of these ticket types (default: every ticket "
                               "the metric counts — faults for response_within, "
                               "requirement changes for requirement_responded)."),
        "plans": _codes("inspection_coverage: only these maintenance plans (default all)."),
        "deliverables": _codes("deliverables_on_time: only these deliverables (default "
                               "all)."),
        "sources": {"type": "array", "minItems": 1, "uniqueItems": True,
                    "items": {"enum": list(BreachSource.values)},
                    "description": "breach_count: only breaches from these sources."},
    },
    [],
    "What the metric measures; each metric takes its own keys (see docs/assessment.md).",
)

ITEM = obj(
    {
        "code": {**CODE, "description": "Unique within the scheme."},
        "name": _text(200, "As the contract words it, e.g. 完成率."),
        "metric": {"enum": list(Metric.values),
                   "description": "What is measured from the records; manual: a value or "
                                  "points entered by the purchaser with a proof."},
        "params": PARAMS_SCHEMA,
        "points": {"type": "number", "exclusiveMinimum": 0, "maximum": POINTS_LIMIT,
                   "description": "score only: the item's weight; the items add up to "
                                  "total_points."},
        "scoring": {"enum": list(Scoring.values),
                    "description": "score only: manual — the purchaser enters the points "
                                   "(the metric is shown as evidence); proportional — "
                                   "points × the rate / 100."},
        "comparison": {"enum": list(Comparison.values),
                       "description": "criteria only: met when the value is gt / ge / lt / "
                                      "le / eq the threshold."},
        "threshold": {"type": "number", "minimum": -999999, "maximum": 999999,
                      "description": "criteria only: the limit the value is compared with."},
        "unit": {"type": "string", "minLength": 1, "maxLength": 20,
                 "description": "How the value reads, e.g. % or 日."},
        "clause": _text(2000, "The contract clause the item transcribes."),
    },
    ["code", "name", "metric"],
)

GRADE = obj(
    {"met": {"type": "integer", "minimum": 0, "maximum": 1000,
             "description": "At least this many criteria met."},
     "rating": _text(20, "The rating, as payment.final_price.factor_by_rating names it.")},
    ["met", "rating"],
)

PENALTY = obj(
    {
        "code": {**CODE, "description": "Unique within the contract."},
        "name": _text(200, "e.g. 未按时整改."),
        "percent": {**PERCENT, "description": "A fixed penalty, % of the contract amount."},
        "min_percent": {**PERCENT, "description": "A range: from this % …"},
        "max_percent": {**PERCENT, "description": "… up to this % (default 100: 不少于)."},
        "clause": _text(2000, "The contract clause."),
    },
    ["code", "name"],
)

ASSESSMENT_SCHEMA: dict[str, Any] = obj(
    {
        "method": {"enum": list(Method.values),
                   "description": "score (weighted items, ASM-01), criteria (criteria met "
                                  "-> grade, ASM-02) or ledger (breaches only, ASM-03)."},
        "total_points": {"type": "number", "exclusiveMinimum": 0, "maximum": POINTS_LIMIT,
                         "description": "score only: the full score; the items' points add "
                                        "up to it."},
        "review_working_days": {"type": "integer", "minimum": 1, "maximum": 366,
                                "description": "The purchaser completes an assessment within "
                                               "this many working days."},
        "clause": _text(4000, "The contract's assessment clause."),
        "items": {"type": "array", "items": ITEM,
                  "description": "score: the weighted items; criteria: the criteria. The "
                                 "complete list; an item an assessment measured stays."},
        "grades": {"type": "array", "items": GRADE,
                   "description": "criteria only: the rating of a count of criteria met; a "
                                  "count below the lowest grade has no rating."},
        "termination": obj(
            {"breaches": {"type": "integer", "minimum": 1, "maximum": 1000,
                          "description": "At this many breaches in the contract period the "
                                         "purchaser may terminate."},
             "penalty_percent": {**PERCENT, "description": "The termination penalty, % of "
                                                           "the contract amount."}},
            ["breaches"], "ASM-03: the termination right the ledger gives."),
        "penalties": {"type": "array", "items": PENALTY,
                      "description": "ASM-04: penalties by clause applied to the ledger by "
                                     "the purchaser. The complete list; a rule applied to a "
                                     "breach stays."},
    },
    ["method"],
    "Assessment (考核, ASM-01..05): the method, its items or criteria, grades, the "
    "termination right and penalties by clause.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "needs": _("a %(method)s scheme needs %(key)s"),
    "not_for": _("a %(method)s scheme has no %(key)s"),
    "points_total": _("the items' points add up to %(total)s, not %(expected)s"),
    "param_missing": _("the metric %(metric)s needs %(key)s"),
    "param_unused": _("the metric %(metric)s takes no %(key)s"),
    "proportional_rate": _("proportional scoring needs a measured percentage, not %(metric)s"),
    "unknown_stage": _("%(value)s is not a stage of this contract's service levels"),
    "unknown_ticket_type": _("%(value)s is not a ticket type of this contract"),
    "unknown_plan": _("%(value)s is not a maintenance plan of this contract"),
    "unknown_deliverable": _("%(value)s is not a deliverable of this contract"),
    "grade_over": _("%(value)s is more than the %(count)s criteria"),
    "no_rating_band": _("%(value)s has no factor in payment.final_price.factor_by_rating"),
    "no_score_bands": _("a score scheme needs payment.final_price.factor_by_score"),
    "penalty_form": _("give either percent or min_percent (with max_percent)"),
    "penalty_range": _("min_percent %(low)s is more than max_percent %(high)s"),
    "decimals": _("%(value)s has more than %(limit)s decimals"),
    "item_measured": _("item %(value)s has been assessed and cannot be removed"),
    "rule_applied": _("penalty rule %(value)s has been applied to breaches and cannot be "
                      "removed"),
    "method_locked": _("the contract has assessments: the method stays %(value)s"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def _decimals(value: Any, limit: int, path: str) -> list[SpecError]:
    exponent = Decimal(str(value)).as_tuple().exponent
    if isinstance(exponent, int) and -exponent > limit:
        return [_error(path, "decimals", value=value, limit=limit)]
    return []


def _number(spec: dict[str, Any]) -> str | None:
    number = spec.get("contract", {}).get("number")
    return number if isinstance(number, str) else None


def _recorded(model: type[Model], number: str | None, **scope: Any) -> set[str]:
    if not number:
        return set()
    return set(model._default_manager.filter(**scope).values_list("code", flat=True))


def _known(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Codes the params may name: the file's lists when present, else what is recorded."""
    number = _number(spec)
    known: dict[str, set[str]] = {}
    levels = spec.get("service_levels")
    known["stage"] = ({s["code"] for s in levels.get("stages", [])} if isinstance(levels, dict)
                      else _recorded(SlaStage, number, policy__contract__number=number))
    tickets = spec.get("tickets")
    known["ticket_types"] = ({t["code"] for t in tickets["types"]}
                             if isinstance(tickets, dict) and "types" in tickets
                             else _recorded(TicketType, number, contract__number=number))
    plans = spec.get("maintenance")
    known["plans"] = ({p["code"] for p in plans["plans"]}
                      if isinstance(plans, dict) and "plans" in plans
                      else _recorded(MaintenancePlan, number, contract__number=number))
    deliverables = spec.get("deliverables")
    known["deliverables"] = ({d["code"] for d in deliverables}
                             if isinstance(deliverables, list)
                             else _recorded(Deliverable, number, contract__number=number))
    return known


def _bands(spec: dict[str, Any]) -> tuple[bool, set[str]]:
    """(whether score bands exist, the ratings with a band): the file's payment section when
    present, else the contract's recorded bands."""
    payment = spec.get("payment")
    if isinstance(payment, dict):
        final = payment.get("final_price", {})
        return (bool(final.get("factor_by_score")),
                {b["rating"] for b in final.get("factor_by_rating", [])})
    number = _number(spec)
    if not number:
        return False, set()
    rows = list(FactorBand.objects.filter(contract__number=number).values_list("rating",
                                                                               flat=True))
    return any(not r for r in rows), {r for r in rows if r}


_REFERENCE = {"stage": "unknown_stage", "ticket_types": "unknown_ticket_type",
              "plans": "unknown_plan", "deliverables": "unknown_deliverable"}


def _check_params(item: dict[str, Any], path: str,
                  known: dict[str, set[str]]) -> list[SpecError]:
    required, optional = PARAMS[item["metric"]]
    params = item.get("params", {})
    errors = [_error(f"{path}.params", "param_missing", metric=item["metric"], key=key)
              for key in sorted(required - set(params))]
    for key, value in params.items():
        if key not in required | optional:
            errors.append(_error(f"{path}.params.{key}", "param_unused",
                                 metric=item["metric"], key=key))
        elif key in _REFERENCE:
            values = [value] if isinstance(value, str) else value
            errors += [_error(f"{path}.params.{key}" + (f"[{j}]" if key != "stage" else ""),
                              _REFERENCE[key], value=code)
                       for j, code in enumerate(values) if code not in known[key]]
    return errors


def _check_item(item: dict[str, Any], path: str, method: str,
                known: dict[str, set[str]]) -> list[SpecError]:
    errors = _check_params(item, path, known)
    score_keys, criteria_keys = ("points", "scoring"), ("comparison", "threshold")
    own, other = ((score_keys, criteria_keys) if method == Method.SCORE
                  else (criteria_keys, score_keys))
    errors += [_error(f"{path}.{key}", "needs", method=method, key=key)
               for key in own if key not in item]
    errors += [_error(f"{path}.{key}", "not_for", method=method, key=key)
               for key in other if key in item]
    if item.get("scoring") == Scoring.PROPORTIONAL and item["metric"] in NOT_A_RATE:
        errors.append(_error(f"{path}.scoring", "proportional_rate", metric=item["metric"]))
    if "points" in item:
        errors += _decimals(item["points"], 2, f"{path}.points")
    if "threshold" in item:
        errors += _decimals(item["threshold"], 3, f"{path}.threshold")
    return errors


def _check_shape(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    """Which keys the method needs and refuses, and the payment bands it reads."""
    method = data["method"]
    needs = {Method.SCORE: ("total_points", "items"), Method.CRITERIA: ("items", "grades"),
             Method.LEDGER: ()}[method]
    refused = {Method.SCORE: ("grades",), Method.CRITERIA: ("total_points",),
               Method.LEDGER: ("total_points", "items", "grades")}[method]
    errors = [_error(f"assessment.{key}", "needs", method=method, key=key)
              for key in needs if not data.get(key)]
    errors += [_error(f"assessment.{key}", "not_for", method=method, key=key)
               for key in refused if key in data]
    has_score_bands, ratings = _bands(spec)
    if method == Method.SCORE and not has_score_bands:
        errors.append(_error("assessment.method", "no_score_bands"))
    if method == Method.CRITERIA:
        count = len(data.get("items", []))
        for key, counts in (("met", Counter(g["met"] for g in data.get("grades", []))),
                            ("rating", Counter(g["rating"] for g in data.get("grades", [])))):
            errors += [_error(f"assessment.grades[{i}].{key}", "duplicate_code",
                              value=grade[key])
                       for i, grade in enumerate(data.get("grades", []))
                       if counts[grade[key]] > 1]
        for i, grade in enumerate(data.get("grades", [])):
            if grade["met"] > count:
                errors.append(_error(f"assessment.grades[{i}].met", "grade_over",
                                     value=grade["met"], count=count))
            if grade["rating"] not in ratings:
                errors.append(_error(f"assessment.grades[{i}].rating", "no_rating_band",
                                     value=grade["rating"]))
    if method == Method.SCORE and data.get("items") and "total_points" in data:
        total = sum((Decimal(str(i.get("points", 0))) for i in data["items"]), Decimal(0))
        expected = Decimal(str(data["total_points"]))
        if total != expected:
            errors.append(_error("assessment.items", "points_total", total=_plain(total),
                                 expected=_plain(expected)))
    return errors


def _check_penalties(penalties: list[dict[str, Any]]) -> list[SpecError]:
    codes = Counter(p["code"] for p in penalties)
    errors = [_error(f"assessment.penalties[{i}].code", "duplicate_code", value=p["code"])
              for i, p in enumerate(penalties) if codes[p["code"]] > 1]
    for i, rule in enumerate(penalties):
        path = f"assessment.penalties[{i}]"
        if ("percent" in rule) == ("min_percent" in rule) or (
                "max_percent" in rule and "min_percent" not in rule):
            errors.append(_error(path, "penalty_form"))
            continue
        for key in ("percent", "min_percent", "max_percent"):
            if key in rule:
                errors += _decimals(rule[key], 3, f"{path}.{key}")
        low, high = rule.get("min_percent"), rule.get("max_percent")
        if low is not None and high is not None and Decimal(str(low)) > Decimal(str(high)):
            errors.append(_error(f"{path}.max_percent", "penalty_range", low=low, high=high))
    return errors


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors = _check_shape(data, spec)
    items = data.get("items", [])
    codes = Counter(item["code"] for item in items)
    errors += [_error(f"assessment.items[{i}].code", "duplicate_code", value=item["code"])
               for i, item in enumerate(items) if codes[item["code"]] > 1]
    if items and data["method"] != Method.LEDGER:
        known = _known(spec)
        for i, item in enumerate(items):
            errors += _check_item(item, f"assessment.items[{i}]", data["method"], known)
    termination = data.get("termination", {})
    if "penalty_percent" in termination:
        errors += _decimals(termination["penalty_percent"], 3,
                            "assessment.termination.penalty_percent")
    if "total_points" in data:
        errors += _decimals(data["total_points"], 2, "assessment.total_points")
    errors += _check_penalties(data.get("penalties", []))
    return errors


# --- apply ----------------------------------------------------------------------------------

def _dec(value: Any, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def _item_values(data: dict[str, Any], sequence: int) -> dict[str, Any]:
    return {
        "sequence": sequence, "name": data["name"], "metric": data["metric"],
        "params": dict(data.get("params", {})), "points": _dec(data.get("points"), "0.01"),
        "scoring": data.get("scoring", ""), "comparison": data.get("comparison", ""),
        "threshold": _dec(data.get("threshold"), "0.001"), "unit": data.get("unit", ""),
        "clause": data.get("clause", ""),
    }


def _rule_values(data: dict[str, Any]) -> dict[str, Any]:
    low = data.get("percent", data.get("min_percent"))
    high = data.get("percent", data.get("max_percent", 100))
    return {"name": data["name"], "min_percent": _dec(low, "0.001"),
            "max_percent": _dec(high, "0.001"), "clause": data.get("clause", "")}


def _apply_items(scheme: AssessmentScheme, items: list[dict[str, Any]],
                 errors: list[SpecError]) -> None:
    existing = {i.code: i for i in AssessmentItem.objects.filter(scheme=scheme)}
    for sequence, entry in enumerate(items, start=1):
        item = existing.pop(entry["code"], None) or AssessmentItem(scheme=scheme,
                                                                   code=entry["code"])
        if assign(item, _item_values(entry, sequence)) or item.pk is None:
            item.save()
    for code, item in existing.items():
        if item.lines.exists():
            errors.append(_error("assessment.items", "item_measured", value=code))
        else:
            item.delete()


def _apply_penalties(contract: Contract, penalties: list[dict[str, Any]],
                     errors: list[SpecError]) -> None:
    existing = {r.code: r for r in PenaltyRule.objects.filter(contract=contract)}
    for entry in penalties:
        rule = existing.pop(entry["code"], None) or PenaltyRule(contract=contract,
                                                                code=entry["code"])
        if assign(rule, _rule_values(entry)) or rule.pk is None:
            rule.save()
    for code, rule in existing.items():
        if rule.breaches.exists():
            errors.append(_error("assessment.penalties", "rule_applied", value=code))
        else:
            rule.delete()


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    scheme = AssessmentScheme.objects.filter(contract=contract).first()
    if (scheme is not None and scheme.method != data["method"]
            and Assessment.objects.filter(contract=contract).exists()):
        errors.append(_error("assessment.method", "method_locked", value=scheme.method))
        return
    termination = data.get("termination", {})
    values = {
        "method": data["method"], "total_points": _dec(data.get("total_points"), "0.01"),
        "grades": [{"met": g["met"], "rating": g["rating"]} for g in data.get("grades", [])],
        "termination_breaches": termination.get("breaches"),
        "termination_penalty_percent": _dec(termination.get("penalty_percent"), "0.001"),
        "review_working_days": data.get("review_working_days"),
        "clause": data.get("clause", ""),
    }
    if scheme is None:
        scheme = AssessmentScheme(contract=contract)
    if assign(scheme, values) or scheme.pk is None:
        scheme.save()
    _apply_items(scheme, data.get("items", []), errors)
    _apply_penalties(contract, data.get("penalties", []), errors)


# --- dump -----------------------------------------------------------------------------------

def _plain(value: Decimal) -> int | Decimal:
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


def _dump_item(item: AssessmentItem) -> dict[str, Any]:
    out: dict[str, Any] = {"code": item.code, "name": item.name, "metric": item.metric}
    if item.params:
        out["params"] = dict(item.params)
    if item.points is not None:
        out["points"] = _plain(item.points)
    if item.scoring:
        out["scoring"] = item.scoring
    if item.comparison:
        out["comparison"] = item.comparison
    if item.threshold is not None:
        out["threshold"] = _plain(item.threshold)
    if item.unit:
        out["unit"] = item.unit
    if item.clause:
        out["clause"] = item.clause
    return out


def _dump_rule(rule: PenaltyRule) -> dict[str, Any]:
    out: dict[str, Any] = {"code": rule.code, "name": rule.name}
    if rule.min_percent == rule.max_percent:
        out["percent"] = _plain(rule.min_percent)
    else:
        out["min_percent"] = _plain(rule.min_percent)
        if rule.max_percent != 100:
            out["max_percent"] = _plain(rule.max_percent)
    if rule.clause:
        out["clause"] = rule.clause
    return out


def dump(contract: Contract) -> dict[str, Any] | None:
    scheme = AssessmentScheme.objects.filter(contract=contract).first()
    if scheme is None:
        return None
    out: dict[str, Any] = {"method": scheme.method}
    if scheme.total_points is not None:
        out["total_points"] = _plain(scheme.total_points)
    if scheme.review_working_days is not None:
        out["review_working_days"] = scheme.review_working_days
    if scheme.clause:
        out["clause"] = scheme.clause
    items = [_dump_item(i) for i in scheme.items.order_by("sequence")]
    if items:
        out["items"] = items
    if scheme.grades:
        out["grades"] = [{"met": g["met"], "rating": g["rating"]} for g in scheme.grades]
    if scheme.termination_breaches is not None:
        out["termination"] = {"breaches": scheme.termination_breaches}
        if scheme.termination_penalty_percent is not None:
            out["termination"]["penalty_percent"] = _plain(scheme.termination_penalty_percent)
    rules = [_dump_rule(r) for r in PenaltyRule.objects.filter(contract=contract)]
    if rules:
        out["penalties"] = rules
    return out


def register_section() -> None:
    # After payment and the sections whose codes the items name (service_levels, tickets,
    # maintenance, deliverables at 100).
    register(Section("assessment", ASSESSMENT_SCHEMA, "Assessment", check=check, apply=apply,
                     dump=dump, order=110))
