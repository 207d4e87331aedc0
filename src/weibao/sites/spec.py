"""The contract spec's ``sites`` section (SITE-01..03): area classes, districts, site types and
the contract's sites.

``area_classes``, ``districts`` and ``site_types`` are each the contract's complete list when
present: an entry removed from the file is deleted, unless something still refers to it (then
the import fails with an error naming it). ``items`` is different on purpose: sites are often
kept in the UI or loaded from Excel (AST-10) rather than in the spec, so a file **without** an
``items`` key leaves every site as it is; only a file **with** ``items`` defines the complete
list of sites (sites missing from it are deleted when nothing refers to them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Model, ProtectedError
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecError
from weibao.contracts.spec.registry import Section, register
from weibao.contracts.spec.schema_parts import obj
from weibao.contracts.spec.sections import assign
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType

__all__ = ["SITES_SCHEMA", "check", "register_section"]

CODE: dict[str, Any] = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
                        "description": "Letters, digits, hyphens, dots, underscores; unique "
                                       "within the contract."}
NAME: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 60}


def _text(limit: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit}


SITES_SCHEMA: dict[str, Any] = obj(
    {
        "area_classes": {
            "type": "array",
            "description": "Area classes (区域类别, SITE-02), e.g. urban 市内 / suburban 郊区; SLA "
                           "targets select by their code (when: {area_class: urban}).",
            "items": obj({"code": CODE, "name": NAME}, ["code", "name"]),
        },
        "districts": {
            "type": "array",
            "description": "Districts (区县) and their area class; a split district is two "
                           "entries (浦东新区 and 浦东新区(原南汇)).",
            "items": obj({"code": CODE, "name": NAME,
                          "area_class": {**CODE, "description": "Code of an area class."}},
                         ["code", "name"]),
        },
        "site_types": {
            "type": "array",
            "description": "Site types (网点类型, SITE-01): 社保卡受理网点, 机房, 会议室 …",
            "items": obj({"code": CODE, "name": NAME}, ["code", "name"]),
        },
        "items": {
            "type": "array",
            "description": "The contract's sites. Without this key the sites are left as they "
                           "are (e.g. loaded from Excel); with it, it is the complete list.",
            "items": obj(
                {
                    "code": CODE,
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "type": {**CODE, "description": "Code of a site type."},
                    "district": {**CODE, "description": "Code of a district."},
                    "area_class": {**CODE, "description": "Only when the site's area class "
                                                          "differs from its district's."},
                    "address": _text(300),
                    "contact_name": _text(60),
                    "contact_phone": _text(40),
                    "status": {"enum": list(SiteStatus.values)},
                    "notes": _text(2000),
                },
                ["code", "name", "type"],
            ),
        },
    },
    description="Sites (SITE-01..03): area classes, districts, site types and the sites.",
)

_MESSAGES = {
    "duplicate_code": _("%(value)s appears more than once"),
    "unknown_area_class": _("%(value)s is not an area class of this contract"),
    "unknown_district": _("%(value)s is not a district of this contract"),
    "unknown_site_type": _("%(value)s is not a site type of this contract"),
    "in_use": _("%(value)s cannot be removed: %(detail)s still refer to it"),
}


def _error(path: str, code: str, **params: Any) -> SpecError:
    return SpecError(path, code, params, text=_MESSAGES[code])


def _known(data: dict[str, Any], key: str, model: type[Model], number: str | None) -> set[str]:
    """Codes a reference may name: the file's list when present, else what is recorded."""
    if key in data:
        return {entry["code"] for entry in data[key]}
    if not number:
        return set()
    return set(model._default_manager.filter(contract__number=number)
               .values_list("code", flat=True))


def check(data: dict[str, Any], spec: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    number = spec.get("contract", {}).get("number")
    for key in ("area_classes", "districts", "site_types", "items"):
        codes = Counter(entry["code"] for entry in data.get(key, []))
        for i, entry in enumerate(data.get(key, [])):
            if codes[entry["code"]] > 1:
                errors.append(_error(f"sites.{key}[{i}].code", "duplicate_code",
                                     value=entry["code"]))
    area_classes = _known(data, "area_classes", AreaClass, number)
    districts = _known(data, "districts", District, number)
    site_types = _known(data, "site_types", SiteType, number)
    for i, district in enumerate(data.get("districts", [])):
        if district.get("area_class") and district["area_class"] not in area_classes:
            errors.append(_error(f"sites.districts[{i}].area_class", "unknown_area_class",
                                 value=district["area_class"]))
    for i, item in enumerate(data.get("items", [])):
        path = f"sites.items[{i}]"
        if item["type"] not in site_types:
            errors.append(_error(f"{path}.type", "unknown_site_type", value=item["type"]))
        if item.get("district") and item["district"] not in districts:
            errors.append(_error(f"{path}.district", "unknown_district", value=item["district"]))
        if item.get("area_class") and item["area_class"] not in area_classes:
            errors.append(_error(f"{path}.area_class", "unknown_area_class",
                                 value=item["area_class"]))
    return errors


def _upsert(model: type[Any], contract: Contract, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Upsert rows by code; unchanged rows are not saved (re-import writes nothing)."""
    existing = {o.code: o for o in model._default_manager.filter(contract=contract)}
    kept: dict[str, Any] = {}
    for values in rows:
        instance = existing.get(values["code"]) or model(contract=contract)
        if assign(instance, values) or instance.pk is None:
            instance.save()
        kept[values["code"]] = instance
    return kept


def _remove_missing(model: type[Any], contract: Contract, kept: dict[str, Any], path: str,
                    errors: list[SpecError]) -> None:
    stale = model._default_manager.filter(contract=contract).exclude(code__in=list(kept))
    for instance in stale:
        try:
            instance.delete()
        except ProtectedError as exc:
            users = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            errors.append(_error(path, "in_use", value=instance.code, detail=", ".join(users)))


def apply(contract: Contract, data: dict[str, Any], errors: list[SpecError]) -> None:
    area_classes = {a.code: a for a in AreaClass.objects.filter(contract=contract)}
    if "area_classes" in data:
        area_classes = _upsert(AreaClass, contract, [
            {"code": a["code"], "name": a["name"], "order": i}
            for i, a in enumerate(data["area_classes"], start=1)])
    districts = {d.code: d for d in District.objects.filter(contract=contract)}
    if "districts" in data:
        districts = _upsert(District, contract, [
            {"code": d["code"], "name": d["name"], "order": i,
             "area_class": area_classes.get(d.get("area_class", ""))}
            for i, d in enumerate(data["districts"], start=1)])
    site_types = {t.code: t for t in SiteType.objects.filter(contract=contract)}
    if "site_types" in data:
        site_types = _upsert(SiteType, contract, [
            {"code": t["code"], "name": t["name"], "order": i}
            for i, t in enumerate(data["site_types"], start=1)])
    if "items" in data:
        sites = _upsert(Site, contract, [
            {"code": s["code"], "name": s["name"], "site_type": site_types[s["type"]],
             "district": districts.get(s.get("district", "")),
             "area_class_override": area_classes.get(s.get("area_class", "")),
             "address": s.get("address", ""), "contact_name": s.get("contact_name", ""),
             "contact_phone": s.get("contact_phone", ""),
             "status": s.get("status", SiteStatus.ACTIVE), "notes": s.get("notes", "")}
            for s in data["items"]])
        _remove_missing(Site, contract, sites, "sites.items", errors)
    if "site_types" in data:
        _remove_missing(SiteType, contract, site_types, "sites.site_types", errors)
    if "districts" in data:
        _remove_missing(District, contract, districts, "sites.districts", errors)
    if "area_classes" in data:
        _remove_missing(AreaClass, contract, area_classes, "sites.area_classes", errors)


def dump(contract: Contract) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    area_classes = [{"code": a.code, "name": a.name}
                    for a in AreaClass.objects.filter(contract=contract)]
    if area_classes:
        out["area_classes"] = area_classes
    districts = []
    for d in District.objects.filter(contract=contract).select_related("area_class"):
        entry = {"code": d.code, "name": d.name}
        if d.area_class is not None:
            entry["area_class"] = d.area_class.code
        districts.append(entry)
    if districts:
        out["districts"] = districts
    site_types = [{"code": t.code, "name": t.name}
                  for t in SiteType.objects.filter(contract=contract)]
    if site_types:
        out["site_types"] = site_types
    items = []
    # In creation order: a file's items come back in the file's order.
    for s in Site.objects.filter(contract=contract).select_related(
            "site_type", "district", "area_class_override").order_by("pk"):
        item: dict[str, Any] = {"code": s.code, "name": s.name, "type": s.site_type.code}
        if s.district is not None:
            item["district"] = s.district.code
        if s.area_class_override is not None:
            item["area_class"] = s.area_class_override.code
        for field in ("address", "contact_name", "contact_phone"):
            if getattr(s, field):
                item[field] = getattr(s, field)
        if s.status != SiteStatus.ACTIVE:
            item["status"] = s.status
        if s.notes:
            item["notes"] = s.notes
        items.append(item)
    if items:
        out["items"] = items
    return out or None


def register_section() -> None:
    register(Section("sites", SITES_SCHEMA, "Sites", check=check, apply=apply, dump=dump,
                     order=40))
