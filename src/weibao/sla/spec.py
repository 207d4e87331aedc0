"""The contract spec's ``service_levels`` section (SLA-01..10): schema, checks, apply, dump."""

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
from weibao.sla.choices import Attribute, ClockEvent, DueUnit, FaultScope, TimeUnit, TimeWindow
from weibao.sla.models import FaultLevel, SlaPolicy, SlaStage, SlaTarget
from weibao.sla.policy import parse_clock

__all__ = ["SERVICE_LEVELS_SCHEMA", "register_section"]

CODE = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"}
CALENDAR = {"type": "string", "minLength": 1, "maxLength": 60,
            "description": "Code of a working calendar (see docs/calendars.md)."}
CONDITION_VALUE = {"type": ["string", "number", "boolean"]}

SERVICE_LEVELS_SCHEMA = obj(
    {
        "calendar": CALENDAR,
        "warning_at": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1,
                       "description": "Share of a target used up when a warning is raised."},
        "pause_states": {"type": "array", "items": CODE, "uniqueItems": True,
                         "description": "Ticket states in which clocks pause (SLA-09)."},
        "penalty_percent": {"type": "number", "minimum": 0, "maximum": 100,
                            "description": "Default cost of one breach, % of the amount."},
        "fault_levels": obj(
            {
                "calendar": CALENDAR,
                "levels": {"type": "array", "minItems": 1, "items": obj(
                    {"code": CODE, "name": {"type": "string", "minLength": 1, "maxLength": 60},
                     "scope": {"enum": list(FaultScope.values)},
                     "window": {"enum": list(TimeWindow.values)}},
                    ["code", "name", "scope", "window"])},
            },
            ["levels"],
            "SLA-02: fault level from the report time's window and the scope.",
        ),
        "stages": {"type": "array", "minItems": 1, "items": obj(
            {"code": CODE, "name": {"type": "string", "minLength": 1, "maxLength": 60},
             "start": {"enum": list(ClockEvent.values)},
             "stop": {"enum": list(ClockEvent.values)},
             "every": {"type": "boolean",
                       "description": "A recurring obligation (处理期间每30分钟通报一次进展): "
                                      "while the stage runs an update is due every `within` "
                                      "of its target, counted from the start and then from "
                                      "each recorded update."}},
            ["code", "name", "start", "stop"])},
        "targets": {"type": "array", "minItems": 1, "items": obj(
            {
                "stage": CODE,
                "when": {"type": "object",
                         "propertyNames": {"enum": list(Attribute.values)},
                         "additionalProperties": {"anyOf": [
                             CONDITION_VALUE,
                             {"type": "array", "minItems": 1, "items": CONDITION_VALUE}]}},
                "priority": {"type": "integer", "minimum": -1000, "maximum": 1000},
                "within": obj(
                    {"amount": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                     "unit": {"enum": list(TimeUnit.values)},
                     "days": {"type": "integer", "minimum": 0, "maximum": 366,
                              "description": "With `at`: days after the start's day "
                                             "(0 = the same day, 1 = 次日)."},
                     "at": {"type": "string", "pattern": r"^\d{1,2}:\d{2}$",
                            "description": "A deadline at a clock time, e.g. 10:00 "
                                           "(次日10:00前), in the calendar's time zone."},
                     "day_unit": {"enum": list(DueUnit.values),
                                  "description": "With `at`: count calendar days (default) "
                                                 "or working days of the calendar."},
                     "calendar": CALENDAR},
                    description="Either {amount, unit} or {days, at} (a clock-time deadline)."),
                "penalty_percent": {"type": "number", "minimum": 0, "maximum": 100},
                "kpi": {**obj({"above_percent": {"type": "number", "minimum": 0,
                                                 "maximum": 100},
                               "at_least_percent": {"type": "number", "minimum": 0,
                                                    "maximum": 100}},
                              description="A period KPI (SLA-05), one of above_percent (>) "
                                          "or at_least_percent (≥): the share of tickets on "
                                          "time the period must reach; a late ticket is not "
                                          "a breach."),
                        "minProperties": 1, "maxProperties": 1},
                "clause": {"type": "string", "maxLength": 300},
            },
            ["stage", "within"])},
    },
    ["calendar", "stages", "targets"],
    "Service levels (SLA-01..10): stages (clocks), their targets and the rules selecting them.",
)

_MESSAGES = {
    "unknown_calendar": _("%(value)s is not a known calendar (%(detail)s)"),
    "unknown_stage": _("%(value)s is not a stage of this contract"),
    "unknown_level": _("%(value)s is not a fault level of this contract"),
    "same_event": _("a stage cannot start and stop at the same event %(value)s"),
    "ambiguous_target": _("targets %(value)s select the same tickets with the same priority; "
                          "give them different priorities or conditions"),
    "ambiguous_level": _("fault levels %(value)s both cover scope %(scope)s %(window)s"),
    "bad_clock": _("%(value)s is not a time of day (00:00 to 23:59)"),
    "within_form": _("give either amount and unit, or days and at (a clock-time deadline)"),
    "kpi_with_penalty": _("a KPI target is not a breach and has no penalty; remove "
                          "penalty_percent or kpi"),
    "recurring_clock_time": _("stage %(value)s recurs: its target needs an interval "
                              "(amount and unit), not a clock time"),
    "recurring_whole_units": _("stage %(value)s recurs: its interval cannot be in "
                               "calendar days or months"),
    "whole_number": _("%(value)s %(unit)s: this unit takes whole numbers"),
    "duplicate_code": _("%(value)s appears more than once"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def _calendar_error(code: str, spec: dict[str, Any]) -> str | None:
    if code in {c.get("code") for c in spec.get("calendars", []) if isinstance(c, dict)}:
        return None
    from weibao.calendars.selectors import validate_calendar_code

    return validate_calendar_code(code)


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    base = "service_levels"
    calendars = [(f"{base}.calendar", data["calendar"])]
    if "calendar" in data.get("fault_levels", {}):
        calendars.append((f"{base}.fault_levels.calendar", data["fault_levels"]["calendar"]))
    for i, target in enumerate(data["targets"]):
        if "calendar" in target["within"]:
            calendars.append((f"{base}.targets[{i}].within.calendar",
                              target["within"]["calendar"]))
    for path, code in calendars:
        problem = _calendar_error(code, spec)
        if problem:
            errors.append(_error(path, "unknown_calendar", value=code, detail=problem))
    stage_codes = Counter(s["code"] for s in data["stages"])
    for i, stage in enumerate(data["stages"]):
        if stage_codes[stage["code"]] > 1:
            errors.append(_error(f"{base}.stages[{i}].code", "duplicate_code",
                                 value=stage["code"]))
        if stage["start"] == stage["stop"]:
            errors.append(_error(f"{base}.stages[{i}].stop", "same_event", value=stage["stop"]))
    levels = data.get("fault_levels", {}).get("levels", [])
    level_codes = Counter(lv["code"] for lv in levels)
    covered: dict[tuple[str, str], int] = {}
    for i, level in enumerate(levels):
        if level_codes[level["code"]] > 1:
            errors.append(_error(f"{base}.fault_levels.levels[{i}].code", "duplicate_code",
                                 value=level["code"]))
        for kind in TimeWindow.covered(level["window"]):
            other = covered.get((level["scope"], kind))
            if other is not None:
                errors.append(_error(
                    f"{base}.fault_levels.levels[{i}]", "ambiguous_level",
                    value=f"{levels[other]['code']}, {level['code']}", scope=level["scope"],
                    window=f"{kind} ({TimeWindow(kind).label})"))
            covered[(level["scope"], kind)] = i
    seen: dict[tuple[str, str, int], int] = {}
    recurring = {s["code"] for s in data["stages"] if s.get("every")}
    for i, target in enumerate(data["targets"]):
        path = f"{base}.targets[{i}]"
        if target["stage"] not in stage_codes:
            errors.append(_error(f"{path}.stage", "unknown_stage", value=target["stage"]))
        within = target["within"]
        interval = "amount" in within and "unit" in within
        clock = "days" in within and "at" in within
        if interval == clock or (interval and ("days" in within or "at" in within
                                               or "day_unit" in within)) \
                or (clock and ("amount" in within or "unit" in within)):
            errors.append(_error(f"{path}.within", "within_form"))
            continue
        if clock:
            try:
                parse_clock(within["at"])
            except ValueError:
                errors.append(_error(f"{path}.within.at", "bad_clock", value=within["at"]))
        if clock and target["stage"] in recurring:
            errors.append(_error(f"{path}.within", "recurring_clock_time",
                                 value=target["stage"]))
        if target.get("kpi") and target.get("penalty_percent") is not None:
            errors.append(_error(f"{path}.penalty_percent", "kpi_with_penalty"))
        if interval:
            unit, amount = within["unit"], Decimal(str(within["amount"]))
            whole = unit in (TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS)
            if whole and amount != amount.to_integral():
                errors.append(_error(f"{path}.within.amount", "whole_number", value=amount,
                                     unit=unit))
            if whole and target["stage"] in recurring:
                errors.append(_error(f"{path}.within.unit", "recurring_whole_units",
                                     value=target["stage"]))
        wanted = target.get("when", {}).get(Attribute.FAULT_LEVEL)
        for value in (wanted if isinstance(wanted, list) else [wanted] if wanted else []):
            if str(value) not in level_codes:
                errors.append(_error(f"{path}.when.fault_level", "unknown_level", value=value))
        key = (target["stage"], _canonical(target.get("when", {})), target.get("priority", 0))
        if key in seen:
            errors.append(_error(f"{path}.when", "ambiguous_target",
                                 value=f"#{seen[key] + 1}, #{i + 1}"))
        seen.setdefault(key, i)
    return errors


def _canonical(when: dict[str, Any]) -> str:
    return repr(sorted((k, sorted(map(str, v if isinstance(v, list) else [v])))
                       for k, v in when.items()))


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    policy = SlaPolicy.objects.filter(contract=contract).first() or SlaPolicy(contract=contract)
    levels_data = data.get("fault_levels", {})
    changed = assign(policy, {
        "calendar": data["calendar"],
        "warning_at": Decimal(str(data.get("warning_at", "0.75"))).quantize(Decimal("0.001")),
        "pause_states": list(data.get("pause_states", [])),
        "level_calendar": levels_data.get("calendar", ""),
        "penalty_percent": (Decimal(str(data["penalty_percent"]))
                            if data.get("penalty_percent") is not None else None),
    })
    saved = changed or policy.pk is None
    if saved:
        policy.save()
    touched: list[Any] = []
    _sync(FaultLevel, policy, "code", touched, [
        {"code": lv["code"], "name": lv["name"], "scope": lv["scope"], "window": lv["window"]}
        for lv in levels_data.get("levels", [])])
    stages = _sync(SlaStage, policy, "code", touched, [
        {"code": s["code"], "name": s["name"], "start_event": s["start"], "stop_event": s["stop"],
         "every": bool(s.get("every", False))}
        for s in data["stages"]])
    _sync(SlaTarget, policy, "order", touched, [
        {"stage": stages[t["stage"]], "when": t.get("when", {}),
         "priority": t.get("priority", 0), **_within_values(t["within"]),
         "calendar": t["within"].get("calendar", ""),
         "penalty_percent": (Decimal(str(t["penalty_percent"]))
                             if t.get("penalty_percent") is not None else None),
         "clause": t.get("clause", ""), **_kpi_values(t.get("kpi"))}
        for t in data["targets"]], ordered_by_position=True)
    if touched and not saved:
        # A child changed: move the policy's timestamp so cached compiled policies go stale.
        policy.save(update_fields=["updated_at"])


def _within_values(within: dict[str, Any]) -> dict[str, Any]:
    if "at" in within:
        return {"amount": Decimal(int(within["days"])).quantize(Decimal("0.001")),
                "unit": within.get("day_unit", DueUnit.CALENDAR_DAYS),
                "due_time": parse_clock(within["at"])}
    return {"amount": Decimal(str(within["amount"])).quantize(Decimal("0.001")),
            "unit": within["unit"], "due_time": None}


def _kpi_values(kpi: dict[str, Any] | None) -> dict[str, Any]:
    if not kpi:
        return {"kpi_percent": None, "kpi_inclusive": False}
    inclusive = "at_least_percent" in kpi
    value = kpi["at_least_percent"] if inclusive else kpi["above_percent"]
    return {"kpi_percent": Decimal(str(value)).quantize(Decimal("0.01")),
            "kpi_inclusive": inclusive}


def _sync(model: Any, policy: SlaPolicy, key: str, touched: list[Any],
          rows: list[dict[str, Any]],
          ordered_by_position: bool = False) -> dict[Any, Any]:
    """Upsert rows keyed by ``key`` (or by position), delete the rest; unchanged rows are not
    written, so re-importing the same file leaves no audit entries."""
    existing = {getattr(o, key): o for o in model.objects.filter(policy=policy)}
    kept = {}
    for position, values in enumerate(rows, start=1):
        values = {**values, "order": position}
        ident = position if ordered_by_position else values[key]
        instance = existing.pop(ident, None) or model(policy=policy)
        if assign(instance, values) or instance.pk is None:
            instance.save()
            touched.append(instance)
        kept[ident] = instance
    for instance in existing.values():
        instance.delete()
        touched.append(instance)
    return kept


def dump(contract: Contract) -> dict[str, Any] | None:
    policy = SlaPolicy.objects.filter(contract=contract).first()
    if policy is None:
        return None
    out: dict[str, Any] = {"calendar": policy.calendar, "warning_at": policy.warning_at.normalize()}
    if policy.pause_states:
        out["pause_states"] = list(policy.pause_states)
    if policy.penalty_percent is not None:
        out["penalty_percent"] = policy.penalty_percent.normalize()
    levels = list(policy.levels.all())
    if levels:
        out["fault_levels"] = {}
        if policy.level_calendar:
            out["fault_levels"]["calendar"] = policy.level_calendar
        out["fault_levels"]["levels"] = [
            {"code": lv.code, "name": lv.name, "scope": lv.scope, "window": lv.window}
            for lv in levels]
    out["stages"] = [{"code": s.code, "name": s.name, "start": s.start_event,
                      "stop": s.stop_event, **({"every": True} if s.every else {})}
                     for s in policy.stages.all()]
    targets = []
    for t in policy.targets.select_related("stage"):
        item: dict[str, Any] = {"stage": t.stage.code}
        if t.when:
            item["when"] = t.when
        if t.priority:
            item["priority"] = t.priority
        within: dict[str, Any]
        if t.due_time is not None:
            within = {"days": int(t.amount), "at": t.due_time.strftime("%H:%M")}
            if t.unit != DueUnit.CALENDAR_DAYS:
                within["day_unit"] = t.unit
        else:
            within = {"amount": t.amount.normalize(), "unit": t.unit}
        if t.calendar:
            within["calendar"] = t.calendar
        item["within"] = within
        if t.penalty_percent is not None:
            item["penalty_percent"] = t.penalty_percent.normalize()
        if t.kpi_percent is not None:
            key = "at_least_percent" if t.kpi_inclusive else "above_percent"
            item["kpi"] = {key: _plain(t.kpi_percent)}
        if t.clause:
            item["clause"] = t.clause
        targets.append(item)
    out["targets"] = targets
    return out


def _plain(value: Decimal) -> Decimal:
    """95.00 -> 95, 100.00 -> 100 (not 1E+2), 95.50 -> 95.5."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def register_section() -> None:
    register(Section("service_levels", SERVICE_LEVELS_SCHEMA, "Service levels", check=check,
                     apply=apply, dump=dump, order=70))
