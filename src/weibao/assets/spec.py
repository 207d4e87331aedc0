"""The contract spec's ``assets`` section (AST-01/02/04/05): asset types with their attribute
definitions, the standard kit of each site type, and the contract's tagged assets.

``types`` and ``kits`` are each the contract's complete list when present (an entry removed
from the file is deleted, unless assets still use it — then the import fails naming it).
``items`` holds tagged assets keyed by ``code``: a file **without** ``items`` leaves every
asset as it is (assets are mostly kept in the UI or loaded from Excel, AST-10); a file **with**
``items`` is the complete list of tagged assets — untagged assets are never touched.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import (
    AssetCategory,
    AssetStatus,
    AttributeKind,
    EventKind,
    Importance,
)
from weibao.assets.models import Asset, AssetType, KitItem
from weibao.assets.services.archive import record_asset_event
from weibao.assets.services.attributes import check_definitions, clean_attributes, typed_value
from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import DATE, obj
from weibao.contracts.spec.sections import assign
from weibao.sites.models import Site, SiteType

__all__ = ["ASSETS_SCHEMA", "check", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"}
TAG: dict[str, Any] = {"type": "string", "pattern": r"^\S{1,60}$",
                       "description": "Asset tag, unique within the contract."}


def _text(limit: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit}


ATTRIBUTE = obj(
    {
        "code": {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,39}$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 60},
        "kind": {"enum": list(AttributeKind.values)},
        "unit": {"type": "string", "maxLength": 20, "description": "e.g. KVA, Mbps"},
        "required": {"type": "boolean"},
        "choices": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
    ["code", "name", "kind"],
    "An attribute assets of this type (and of types below it) carry.",
)

ASSETS_SCHEMA: dict[str, Any] = obj(
    {
        "types": {
            "type": "array",
            "description": "Asset types (资产类型) as a tree; each inherits its parent's "
                           "attributes. The complete list when present.",
            "items": obj({"code": CODE, "name": {"type": "string", "minLength": 1,
                                                 "maxLength": 100},
                          "category": {"enum": list(AssetCategory.values)},
                          "parent": {**CODE, "description": "Code of another type."},
                          "attributes": {"type": "array", "items": ATTRIBUTE}},
                         ["code", "name", "category"]),
        },
        "kits": {
            "type": "array",
            "description": "Standard kit (标准配置, AST-01) of each site type: asset types and "
                           "quantities. The complete list when present.",
            "items": obj({"site_type": {**CODE, "description": "Code of a site type."},
                          "items": {"type": "array", "minItems": 1, "items": obj(
                              {"type": CODE, "quantity": {"type": "integer", "minimum": 1,
                                                          "maximum": 100000}},
                              ["type"])}},
                         ["site_type", "items"]),
        },
        "items": {
            "type": "array",
            "description": "Tagged assets (AST-02). Without this key assets are left as they "
                           "are; with it, the complete list of tagged assets.",
            "items": obj(
                {
                    "code": TAG,
                    "type": {**CODE, "description": "Code of an asset type."},
                    "site": {**CODE, "description": "Code of a site; omit for a warehouse."},
                    "remote_site": {**CODE, "description": "Lines: the other end's site."},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "brand": _text(100),
                    "model": _text(150),
                    "serial": _text(100),
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000000},
                    "attributes": {"type": "object",
                                   "additionalProperties": {"type": ["string", "number",
                                                                     "boolean"]}},
                    "purchased_on": DATE,
                    "installed_on": DATE,
                    "warranty_until": DATE,
                    "status": {"enum": list(AssetStatus.values)},
                    "importance": {"enum": list(Importance.values)},
                    "parent": {**TAG, "description": "Tag of the asset this is a part of."},
                    "location": _text(200),
                    "notes": _text(2000),
                },
                ["code", "type", "name"],
            ),
        },
    },
    description="Assets (AST-01..05): asset types, standard kits per site type, tagged assets.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "unknown_type": _("%(value)s is not an asset type of this contract"),
    "unknown_site_type": _("%(value)s is not a site type of this contract"),
    "unknown_site": _("%(value)s is not a site of this contract"),
    "unknown_parent": _("%(value)s is not a tagged asset of this contract"),
    "type_cycle": _("the type %(value)s is (indirectly) its own parent"),
    "bad_definition": _("%(detail)s"),
    "bad_attributes": _("%(detail)s"),
    "importance": _("only information systems have an importance level"),
    "remote_site": _("only lines have a remote site"),
    "in_use": _("%(value)s cannot be removed: %(detail)s still refer to it"),
    "duplicate_serial": _("the serial number %(value)s appears more than once"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


class _TypeInfo:
    def __init__(self, code: str, category: str, parent: str, definitions: list[Any]) -> None:
        self.code, self.category, self.parent = code, category, parent
        self.definitions = definitions


def _types(data: dict[str, Any], number: str | None) -> dict[str, _TypeInfo]:
    if "types" in data:
        return {t["code"]: _TypeInfo(t["code"], t["category"], t.get("parent", ""),
                                     t.get("attributes", [])) for t in data["types"]}
    if not number:
        return {}
    return {t.code: _TypeInfo(t.code, t.category, t.parent.code if t.parent else "",
                              t.attribute_definitions)
            for t in AssetType.objects.filter(contract__number=number).select_related("parent")}


def _definitions(types: dict[str, _TypeInfo], code: str) -> list[dict[str, Any]]:
    chain: list[_TypeInfo] = []
    node = types.get(code)
    while node is not None and node not in chain:
        chain.insert(0, node)
        node = types.get(node.parent)
    merged: dict[str, dict[str, Any]] = {}
    for info in chain:
        for definition in info.definitions:
            if isinstance(definition, dict) and "code" in definition:
                merged[definition["code"]] = definition
    return list(merged.values())


def _site_codes(spec: dict[str, Any], number: str | None, key: str, model: Any) -> set[str]:
    sites = spec.get("sites")
    if isinstance(sites, dict) and key in sites:
        return {entry["code"] for entry in sites[key]}
    if not number:
        return set()
    return set(model.objects.filter(contract__number=number).values_list("code", flat=True))


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    number = spec.get("contract", {}).get("number")
    types = _types(data, number)
    for i, entry in enumerate(data.get("types", [])):
        path = f"assets.types[{i}]"
        if Counter(t["code"] for t in data["types"])[entry["code"]] > 1:
            errors.append(_error(f"{path}.code", "duplicate_code", value=entry["code"]))
        parent = entry.get("parent")
        if parent:
            if parent not in types:
                errors.append(_error(f"{path}.parent", "unknown_type", value=parent))
            else:
                seen, node = {entry["code"]}, types.get(parent)
                while node is not None:
                    if node.code in seen:
                        errors.append(_error(f"{path}.parent", "type_cycle", value=entry["code"]))
                        break
                    seen.add(node.code)
                    node = types.get(node.parent)
        for problem in check_definitions(entry.get("attributes", [])):
            errors.append(_error(f"{path}.attributes", "bad_definition", detail=problem))
    site_types = _site_codes(spec, number, "site_types", SiteType)
    kit_types = Counter(k["site_type"] for k in data.get("kits", []))
    for i, kit in enumerate(data.get("kits", [])):
        path = f"assets.kits[{i}]"
        if kit_types[kit["site_type"]] > 1:
            errors.append(_error(f"{path}.site_type", "duplicate_code", value=kit["site_type"]))
        if kit["site_type"] not in site_types:
            errors.append(_error(f"{path}.site_type", "unknown_site_type",
                                 value=kit["site_type"]))
        in_kit = Counter(item["type"] for item in kit["items"])
        for j, item in enumerate(kit["items"]):
            if item["type"] not in types:
                errors.append(_error(f"{path}.items[{j}].type", "unknown_type", value=item["type"]))
            elif in_kit[item["type"]] > 1:
                errors.append(_error(f"{path}.items[{j}].type", "duplicate_code",
                                     value=item["type"]))
    errors.extend(_check_items(data, spec, number, types))
    return errors


def _check_items(data: dict[str, Any], spec: dict[str, Any], number: str | None,
                 types: dict[str, _TypeInfo]) -> list[SpecError]:
    errors: list[SpecError] = []
    items = data.get("items", [])
    if not items:
        return errors
    sites = _site_codes(spec, number, "items", Site)
    codes = Counter(item["code"] for item in items)
    serials = Counter(item["serial"] for item in items if item.get("serial"))
    for i, item in enumerate(items):
        path = f"assets.items[{i}]"
        if codes[item["code"]] > 1:
            errors.append(_error(f"{path}.code", "duplicate_code", value=item["code"]))
        if item.get("serial") and serials[item["serial"]] > 1:
            errors.append(_error(f"{path}.serial", "duplicate_serial", value=item["serial"]))
        info = types.get(item["type"])
        if info is None:
            errors.append(_error(f"{path}.type", "unknown_type", value=item["type"]))
        for key in ("site", "remote_site"):
            if item.get(key) and item[key] not in sites:
                errors.append(_error(f"{path}.{key}", "unknown_site", value=item[key]))
        if item.get("parent") and item["parent"] not in codes:
            errors.append(_error(f"{path}.parent", "unknown_parent", value=item["parent"]))
        if info is not None:
            if item.get("importance") and info.category != AssetCategory.INFORMATION_SYSTEM:
                errors.append(_error(f"{path}.importance", "importance"))
            if item.get("remote_site") and info.category != AssetCategory.LINE:
                errors.append(_error(f"{path}.remote_site", "remote_site"))
            try:
                clean_attributes(_definitions(types, item["type"]), item.get("attributes"))
            except Exception as exc:
                for message in getattr(exc, "message_dict", {}).get("attributes", [str(exc)]):
                    errors.append(_error(f"{path}.attributes", "bad_attributes", detail=message))
    return errors


def _remove(queryset: Any, path: str, errors: list[SpecError], label: Any) -> None:
    for instance in queryset:
        try:
            instance.delete()
        except ProtectedError as exc:
            users = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            errors.append(_error(path, "in_use", value=label(instance), detail=", ".join(users)))


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    types = {t.code: t for t in AssetType.objects.filter(contract=contract)}
    if "types" in data:
        for order, entry in enumerate(data["types"], start=1):
            instance = types.get(entry["code"]) or AssetType(contract=contract)
            values = {"code": entry["code"], "name": entry["name"], "category": entry["category"],
                      "attribute_definitions": entry.get("attributes", []), "order": order}
            if assign(instance, values) or instance.pk is None:
                instance.save()
            types[entry["code"]] = instance
        for entry in data["types"]:
            instance = types[entry["code"]]
            parent = types.get(entry.get("parent", ""))
            if instance.parent_id != (parent.pk if parent else None):
                instance.parent = parent
                instance.save(update_fields=["parent", "updated_at"])
    if "kits" in data:
        site_types = {s.code: s for s in SiteType.objects.filter(contract=contract)}
        existing = {(k.site_type_id, k.asset_type_id): k
                    for k in KitItem.objects.filter(contract=contract)}
        kept: set[int] = set()
        for kit in data["kits"]:
            site_type = site_types[kit["site_type"]]
            for order, item in enumerate(kit["items"], start=1):
                asset_type = types[item["type"]]
                row = existing.get((site_type.pk, asset_type.pk)) or KitItem(
                    contract=contract, site_type=site_type, asset_type=asset_type)
                if assign(row, {"quantity": item.get("quantity", 1), "order": order}) \
                        or row.pk is None:
                    row.save()
                kept.add(row.pk)
        KitItem.objects.filter(contract=contract).exclude(pk__in=kept).delete()
    if "items" in data:
        _apply_items(contract, data["items"], types, errors)
    if "types" in data:
        codes = {entry["code"] for entry in data["types"]}
        # Children before parents, so a removed subtree goes in one import.
        stale = sorted((t for t in types.values() if t.code not in codes),
                       key=lambda t: -len(t.ancestors()))
        _remove(stale, "assets.types", errors, lambda t: t.code)


def _apply_items(contract: Contract, items: list[dict[str, Any]], types: dict[str, AssetType],
                 errors: list[SpecError]) -> None:
    sites = {s.code: s for s in Site.objects.filter(contract=contract)}
    assets = {a.code: a for a in Asset.objects.filter(contract=contract).exclude(code="")}
    now = timezone.now()
    written: dict[str, Asset] = {}
    for item in items:
        asset_type = types[item["type"]]
        values = {
            "code": item["code"], "asset_type": asset_type, "name": item["name"],
            "site": sites.get(item.get("site", "")),
            "remote_site": sites.get(item.get("remote_site", "")),
            "brand": item.get("brand", ""), "model": item.get("model", ""),
            "serial": item.get("serial", ""), "quantity": item.get("quantity", 1),
            "attributes": clean_attributes(asset_type.all_definitions(),
                                           item.get("attributes")),
            "purchased_on": _date(item.get("purchased_on")),
            "installed_on": _date(item.get("installed_on")),
            "warranty_until": _date(item.get("warranty_until")),
            "status": item.get("status", AssetStatus.IN_SERVICE),
            "importance": item.get("importance", ""), "location": item.get("location", ""),
            "notes": item.get("notes", ""),
        }
        asset = assets.get(item["code"])
        if asset is None:
            taken = Asset.objects.filter(contract=contract, serial=values["serial"]).first() \
                if values["serial"] else None
            if taken is not None:
                errors.append(_error("assets.items", "duplicate_serial", value=values["serial"]))
                continue
            asset = Asset.objects.create(contract=contract, **values)
            record_asset_event(asset, EventKind.INSTALLATION, now, None,
                               str(_("Registered by the contract spec")),
                               source_kind="contract_spec")
        elif assign(asset, values):
            asset.save()
            record_asset_event(asset, EventKind.NOTE, now, None,
                               str(_("Changed by the contract spec")),
                               source_kind="contract_spec")
        written[item["code"]] = asset
    for item in items:
        asset = written.get(item["code"])
        if asset is None:
            continue
        parent = written.get(item.get("parent", ""))
        if asset.parent_id != (parent.pk if parent else None):
            asset.parent = parent
            asset.save(update_fields=["parent", "updated_at"])
    stale = [a for code, a in assets.items() if code not in written]
    stale.sort(key=lambda a: a.parent_id is None)  # components first
    _remove(stale, "assets.items", errors, lambda a: a.code)


def dump(contract: Contract) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    types = list(AssetType.objects.filter(contract=contract).select_related("parent"))
    if types:
        out["types"] = []
        for t in types:
            entry: dict[str, Any] = {"code": t.code, "name": t.name, "category": t.category}
            if t.parent is not None:
                entry["parent"] = t.parent.code
            if t.attribute_definitions:
                entry["attributes"] = t.attribute_definitions
            out["types"].append(entry)
    kits: dict[int, dict[str, Any]] = {}
    for row in KitItem.objects.filter(contract=contract).select_related(
            "site_type", "asset_type").order_by("site_type__order", "site_type__code", "order",
                                                "pk"):
        kit = kits.setdefault(row.site_type_id, {"site_type": row.site_type.code, "items": []})
        line: dict[str, Any] = {"type": row.asset_type.code}
        if row.quantity != 1:
            line["quantity"] = row.quantity
        kit["items"].append(line)
    if kits:
        out["kits"] = list(kits.values())
    items = []
    for a in Asset.objects.filter(contract=contract).exclude(code="").select_related(
            "asset_type__parent", "site", "remote_site", "parent").order_by("pk"):
        items.append(_dump_item(a))
    if items:
        out["items"] = items
    return out or None


def _dump_item(a: Asset) -> dict[str, Any]:
    item: dict[str, Any] = {"code": a.code, "type": a.asset_type.code, "name": a.name}
    if a.site is not None:
        item["site"] = a.site.code
    if a.remote_site is not None:
        item["remote_site"] = a.remote_site.code
    for name in ("brand", "model", "serial"):
        if getattr(a, name):
            item[name] = getattr(a, name)
    if a.quantity != 1:
        item["quantity"] = a.quantity
    if a.attributes:
        definitions = {d["code"]: d for d in a.asset_type.all_definitions()}
        item["attributes"] = {code: typed_value(definitions.get(code), value)
                              for code, value in a.attributes.items()}
    for name in ("purchased_on", "installed_on", "warranty_until"):
        if getattr(a, name):
            item[name] = getattr(a, name).isoformat()
    if a.status != AssetStatus.IN_SERVICE:
        item["status"] = a.status
    if a.importance:
        item["importance"] = a.importance
    if a.parent is not None and a.parent.code:
        item["parent"] = a.parent.code
    for name in ("location", "notes"):
        if getattr(a, name):
            item[name] = getattr(a, name)
    return item


def register_section() -> None:
    register(Section("assets", ASSETS_SCHEMA, "Assets", check=check, apply=apply, dump=dump,
                     order=50))
