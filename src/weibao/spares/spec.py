"""The contract spec's ``spare_parts`` section (SPR-01..03).

``part_types``, ``ratios`` and ``budget_caps`` are each the contract's complete list: an entry
removed from the file is deleted, unless stock movements still refer to it (the import then
fails naming it). ``warehouses`` is the complete list only when the key is present: a file
without it leaves the warehouses as they are (they are often set up in weibao). Stock itself
is never in the spec: it lives in the ledger.
Ratio rules are keyed by (part type, site type); budget caps and the rest by code.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Model, ProtectedError
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.sites.models import Site, SiteType
from weibao.spares.models import BudgetCap, PartType, RatioRule, Warehouse
from weibao.utils.money import to_fen

__all__ = ["SPARE_PARTS_SCHEMA", "check", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores; unique "
                                       "within the contract."}
MONEY: dict[str, Any] = {"type": "number", "minimum": 0, "exclusiveMaximum": 1000000000000,
                         "description": "CNY, exact to the fen."}

SPARE_PARTS_SCHEMA: dict[str, Any] = obj(
    {
        "part_types": {
            "type": "array",
            "description": "Part types kept in stock (备件类型).",
            "items": obj({
                "code": CODE,
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "unit": {"type": "string", "minLength": 1, "maxLength": 20,
                         "description": "Counting unit, e.g. 台, 节, 块 (default 台)."},
                "unit_cost": {**MONEY, "description": "Standard cost of one unit in CNY, exact "
                                                     "to the fen; issues are valued at it."},
                "must_be_new": {"type": "boolean",
                                "description": "Parts fitted must be new, unused (全新, "
                                               "SPR-02); default true."},
            }, ["code", "name"]),
        },
        "warehouses": {
            "type": "array",
            "description": "Where the spare parts are kept (备件库). Without this key the "
                           "warehouses are left as they are; with it, it is the complete list.",
            "items": obj({
                "code": CODE,
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "site": {**CODE, "description": "Code of the site it is at (optional)."},
                "address": {"type": "string", "maxLength": 300},
            }, ["code", "name"]),
        },
        "ratios": {
            "type": "array",
            "description": "Required stock (SPR-01): ceil(ratio × active sites of the site "
                           "type, or of every type when site_type is omitted).",
            "items": obj({
                "part_type": {**CODE, "description": "Code of a part type."},
                "site_type": {**CODE, "description": "Code of a site type (sites section); "
                                                     "omitted = sites of every type."},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                          "description": "Share of the number of sites, e.g. 0.1 for 10%."},
            }, ["part_type", "ratio"]),
        },
        "budget_caps": {
            "type": "array",
            "description": "Budget caps (SPR-03): issues of the listed part types may cost at "
                           "most percent × base_amount; beyond it an issue needs a proposal.",
            "items": obj({
                "code": CODE,
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "base_amount": {**MONEY, "description": "Amount the percent applies to (CNY); "
                                                        "omitted while unknown (not enforced)."},
                "percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                "part_types": {"type": "array", "minItems": 1,
                               "items": {**CODE, "description": "Code of a part type."}},
            }, ["code", "name", "percent", "part_types"]),
        },
    },
    description="Spare parts (备品备件, SPR-01..03): part types, warehouses, ratio rules and "
                "budget caps. Stock is kept in weibao's ledger, not here.",
)

_MESSAGES = {
    "duplicate": _("%(value)s appears more than once"),
    "unknown_part_type": _("%(value)s is not a part type of this section"),
    "unknown_site_type": _("%(value)s is not a site type of this contract"),
    "unknown_site": _("%(value)s is not a site of this contract"),
    "not_fen": _("%(value)s is not exact to the fen"),
    "bad_ratio": _("the ratio must be above 0 and at most 1, not %(value)s"),
    "in_use": _("%(value)s cannot be removed: stock movements refer to it"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def _known(spec: dict[str, Any], key: str, model: type[Model], number: str | None) -> set[str]:
    """Codes of the sites section in this file, else those already saved for the contract."""
    sites = spec.get("sites") or {}
    if key in sites:
        return {str(item.get("code")) for item in sites[key] if isinstance(item, dict)}
    if not number:
        return set()
    return set(model._default_manager.filter(contract__number=number)
               .values_list("code", flat=True))


def _duplicates(items: list[Any], path: str, key: Any) -> list[SpecError]:
    seen = Counter(key(item) for item in items)
    return [_error(f"{path}[{i}]", "duplicate", value=key(item))
            for i, item in enumerate(items) if seen[key(item)] > 1]


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    number = spec.get("contract", {}).get("number")
    errors: list[SpecError] = []
    part_types = data.get("part_types", [])
    codes = {p["code"] for p in part_types}
    errors += _duplicates(part_types, "spare_parts.part_types", lambda p: p["code"])
    for i, item in enumerate(part_types):
        if "unit_cost" in item and to_fen(Decimal(str(item["unit_cost"]))) != \
                Decimal(str(item["unit_cost"])):
            errors.append(_error(f"spare_parts.part_types[{i}].unit_cost", "not_fen",
                                 value=item["unit_cost"]))
    warehouses = data.get("warehouses", [])
    errors += _duplicates(warehouses, "spare_parts.warehouses", lambda w: w["code"])
    if any("site" in w for w in warehouses):
        sites = _known(spec, "items", Site, number)
        for i, item in enumerate(warehouses):
            if "site" in item and item["site"] not in sites:
                errors.append(_error(f"spare_parts.warehouses[{i}].site", "unknown_site",
                                     value=item["site"]))
    ratios = data.get("ratios", [])
    errors += _duplicates(ratios, "spare_parts.ratios",
                          lambda r: f"{r['part_type']}/{r.get('site_type', '*')}")
    site_types = _known(spec, "site_types", SiteType, number)
    for i, item in enumerate(ratios):
        path = f"spare_parts.ratios[{i}]"
        if item["part_type"] not in codes:
            errors.append(_error(f"{path}.part_type", "unknown_part_type",
                                 value=item["part_type"]))
        if "site_type" in item and item["site_type"] not in site_types:
            errors.append(_error(f"{path}.site_type", "unknown_site_type",
                                 value=item["site_type"]))
        ratio = Decimal(str(item["ratio"]))
        if not Decimal(0) < ratio <= 1 or ratio != ratio.quantize(Decimal("0.0001")):
            errors.append(_error(f"{path}.ratio", "bad_ratio", value=item["ratio"]))
    caps = data.get("budget_caps", [])
    errors += _duplicates(caps, "spare_parts.budget_caps", lambda c: c["code"])
    for i, item in enumerate(caps):
        path = f"spare_parts.budget_caps[{i}]"
        if "base_amount" in item and to_fen(Decimal(str(item["base_amount"]))) != \
                Decimal(str(item["base_amount"])):
            errors.append(_error(f"{path}.base_amount", "not_fen", value=item["base_amount"]))
        for j, code in enumerate(item["part_types"]):
            if code not in codes:
                errors.append(_error(f"{path}.part_types[{j}]", "unknown_part_type",
                                     value=code))
    return errors


def _upsert(model: type[Model], contract: Contract, key: str,
            rows: list[tuple[Any, dict[str, Any]]]) -> dict[Any, Any]:
    existing = {getattr(o, key): o for o in model._default_manager.filter(
        contract=contract)}
    kept: dict[Any, Any] = {}
    for natural, values in rows:
        instance = existing.get(natural) or model(contract=contract)
        if assign(instance, values) or instance.pk is None:
            instance.save()
        kept[natural] = instance
    return kept


def _remove_missing(model: type[Model], contract: Contract, kept: dict[Any, Any], path: str,
                    errors: list[SpecError]) -> None:
    ids = [o.pk for o in kept.values()]
    for stale in model._default_manager.filter(contract=contract).exclude(
            pk__in=ids):
        try:
            stale.delete()
        except ProtectedError:
            errors.append(_error(path, "in_use", value=str(stale)))


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    part_types = _upsert(PartType, contract, "code", [
        (p["code"], {"code": p["code"], "name": p["name"], "unit": p.get("unit", "台"),
                     "unit_cost": to_fen(Decimal(str(p.get("unit_cost", 0)))),
                     "must_be_new": p.get("must_be_new", True), "order": i})
        for i, p in enumerate(data.get("part_types", []))])
    sites = {s.code: s for s in Site.objects.filter(contract=contract)}
    warehouses = None if "warehouses" not in data else _upsert(Warehouse, contract, "code", [
        (w["code"], {"code": w["code"], "name": w["name"], "site": sites.get(w.get("site", "")),
                     "address": w.get("address", ""), "order": i})
        for i, w in enumerate(data.get("warehouses", []))])
    site_types = {t.code: t for t in SiteType.objects.filter(contract=contract)}
    existing = {(r.part_type_id, r.site_type_id): r
                for r in RatioRule.objects.filter(contract=contract)}
    kept_rules: dict[Any, RatioRule] = {}
    for i, item in enumerate(data.get("ratios", [])):
        part_type = part_types[item["part_type"]]
        site_type = site_types.get(item["site_type"]) if "site_type" in item else None
        if "site_type" in item and site_type is None:
            errors.append(_error(f"spare_parts.ratios[{i}].site_type", "unknown_site_type",
                                 value=item["site_type"]))
            continue
        key = (part_type.pk, site_type.pk if site_type else None)
        rule = existing.get(key) or RatioRule(contract=contract)
        if assign(rule, {"part_type": part_type, "site_type": site_type,
                         "ratio": Decimal(str(item["ratio"])).quantize(Decimal("0.0001")),
                         "order": i}) or rule.pk is None:
            rule.save()
        kept_rules[key] = rule
    RatioRule.objects.filter(contract=contract).exclude(
        pk__in=[r.pk for r in kept_rules.values()]).delete()
    caps = _upsert(BudgetCap, contract, "code", [
        (c["code"], {"code": c["code"], "name": c["name"],
                     "base_amount": (to_fen(Decimal(str(c["base_amount"])))
                                     if "base_amount" in c else None),
                     "percent": Decimal(str(c["percent"])).quantize(Decimal("0.01")),
                     "order": i})
        for i, c in enumerate(data.get("budget_caps", []))])
    for item in data.get("budget_caps", []):
        cap = caps[item["code"]]
        wanted = {part_types[code].pk for code in item["part_types"]}
        if set(cap.part_types.values_list("pk", flat=True)) != wanted:
            cap.part_types.set(wanted)
    _remove_missing(BudgetCap, contract, caps, "spare_parts.budget_caps", errors)
    if warehouses is not None:
        _remove_missing(Warehouse, contract, warehouses, "spare_parts.warehouses", errors)
    _remove_missing(PartType, contract, part_types, "spare_parts.part_types", errors)


def _number(value: Decimal) -> Decimal:
    """Decimals as written in the file (0.1, 20, 1200): the spec loader reads numbers as
    Decimal, so the export round-trips exactly."""
    return value.normalize() if value else Decimal(0)


def dump(contract: Contract) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    part_types = []
    for p in PartType.objects.filter(contract=contract):
        item: dict[str, Any] = {"code": p.code, "name": p.name}
        if p.unit != "台":
            item["unit"] = p.unit
        if p.unit_cost:
            item["unit_cost"] = _number(p.unit_cost)
        item["must_be_new"] = p.must_be_new
        part_types.append(item)
    if part_types:
        out["part_types"] = part_types
    warehouses = []
    for w in Warehouse.objects.filter(contract=contract).select_related("site"):
        item = {"code": w.code, "name": w.name}
        if w.site:
            item["site"] = w.site.code
        if w.address:
            item["address"] = w.address
        warehouses.append(item)
    if warehouses:
        out["warehouses"] = warehouses
    ratios = []
    for r in RatioRule.objects.filter(contract=contract).select_related("part_type",
                                                                         "site_type"):
        item = {"part_type": r.part_type.code}
        if r.site_type:
            item["site_type"] = r.site_type.code
        item["ratio"] = _number(r.ratio)
        ratios.append(item)
    if ratios:
        out["ratios"] = ratios
    caps = []
    for c in BudgetCap.objects.filter(contract=contract).prefetch_related("part_types"):
        item = {"code": c.code, "name": c.name}
        if c.base_amount is not None:
            item["base_amount"] = _number(c.base_amount)
        item["percent"] = _number(c.percent)
        item["part_types"] = [p.code for p in sorted(c.part_types.all(),
                                                     key=lambda p: (p.order, p.code))]
        caps.append(item)
    if caps:
        out["budget_caps"] = caps
    return out or None


def register_section() -> None:
    register(Section("spare_parts", SPARE_PARTS_SCHEMA, "Spare parts", check=check,
                     apply=apply, dump=dump, order=60))
