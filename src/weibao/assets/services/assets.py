"""Writes of assets, asset types and relations (AST-01/02/04/05)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assets.choices import (
    AssetCategory,
    AssetStatus,
    EventKind,
    Importance,
    RelationKind,
    WarrantyState,
)
from weibao.assets.models import Asset, AssetRelation, AssetType
from weibao.assets.services.archive import record_asset_event
from weibao.assets.services.attributes import check_definitions, clean_attributes
from weibao.contracts.models import Contract
from weibao.sites.models import Site

__all__ = [
    "AssetInput",
    "add_relation",
    "bulk_update_assets",
    "check_type_parent",
    "create_asset",
    "remove_relation",
    "save_asset_type",
    "update_asset",
]

_TRACKED = ("asset_type", "site", "name", "code", "brand", "model", "serial", "quantity",
            "purchased_on", "installed_on", "warranty_until", "warranty_state", "status",
            "importance", "parent", "remote_site", "location", "attributes", "notes")


@dataclass
class AssetInput:
    asset_type: AssetType
    name: str
    site: Site | None = None
    code: str = ""
    brand: str = ""
    model: str = ""
    serial: str = ""
    quantity: int = 1
    purchased_on: datetime.date | None = None
    installed_on: datetime.date | None = None
    warranty_until: datetime.date | None = None
    warranty_state: str = WarrantyState.UNKNOWN
    status: str = AssetStatus.IN_SERVICE
    importance: str = ""
    parent: Asset | None = None
    remote_site: Site | None = None
    location: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: str = ""


def _check(contract: Contract, values: dict[str, Any], instance: Asset | None) -> dict[str, Any]:
    """Cross-field rules of an asset; returns the values with cleaned attributes."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    asset_type: AssetType = values["asset_type"]
    if asset_type.contract_id != contract.pk:
        add("asset_type", _("This asset type belongs to another contract."))
    for name in ("site", "remote_site"):
        site = values.get(name)
        if site is not None and site.contract_id != contract.pk:
            add(name, _("This site belongs to another contract."))
    if not (values.get("name") or "").strip():
        add("name", _("Give the asset a name."))
    if values.get("quantity") is not None and int(values["quantity"]) < 1:
        add("quantity", _("The quantity is at least 1."))
    parent = values.get("parent")
    if parent is not None:
        if parent.contract_id != contract.pk:
            add("parent", _("The parent asset belongs to another contract."))
        node: Asset | None = parent
        while node is not None:
            if instance is not None and node.pk == instance.pk:
                add("parent", _("An asset cannot be a component of itself."))
                break
            node = node.parent
    if values.get("importance") and values["importance"] not in Importance.values:
        add("importance", _("Unknown importance level."))
    if (values.get("importance")
            and asset_type.category != AssetCategory.INFORMATION_SYSTEM):
        add("importance", _("Only information systems have an importance level."))
    if values.get("remote_site") is not None and asset_type.category != AssetCategory.LINE:
        add("remote_site", _("Only lines connect to a remote site."))
    if values.get("status") not in AssetStatus.values:
        add("status", _("Unknown status."))
    if values.get("warranty_state") not in WarrantyState.values:
        add("warranty_state", _("Unknown warranty state."))
    purchased, installed = values.get("purchased_on"), values.get("installed_on")
    if purchased and installed and installed < purchased:
        add("installed_on", _("The installation date is before the purchase date."))
    others = Asset.objects.filter(contract=contract)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    code, serial = values.get("code") or "", values.get("serial") or ""
    if code and others.filter(code=code).exists():
        add("code", _("The asset tag %(code)s is already used in this contract.")
            % {"code": code})
    if serial and others.filter(serial=serial).exists():
        add("serial", _("The serial number %(serial)s is already recorded for another asset "
                        "of this contract.") % {"serial": serial})
    try:
        values["attributes"] = clean_attributes(asset_type.all_definitions(),
                                                values.get("attributes"))
    except ValidationError as exc:
        for message in exc.message_dict["attributes"]:
            add("attributes", message)
    if errors:
        raise ValidationError(errors)
    return values


def _now() -> datetime.datetime:
    return timezone.now()


def create_asset(contract: Contract, data: AssetInput, actor: Any, *,
                 summary: str = "", occurred_at: datetime.datetime | None = None,
                 source_kind: str = "", source_id: str = "") -> Asset:
    """Register an asset and open its archive with an installation entry (AST-02/03)."""
    values = _check(contract, {f.name: getattr(data, f.name) for f in fields(data)}, None)
    values["code"] = values["code"].strip()
    values["serial"] = values["serial"].strip()
    with transaction.atomic():
        try:
            asset = Asset.objects.create(contract=contract, **values)
        except IntegrityError:
            raise ValidationError(_("An asset with this tag or serial number was saved at the "
                                    "same time; reload and try again.")) from None
        where = str(asset.site) if asset.site else (asset.location or _("not placed"))
        when = occurred_at or (
            timezone.make_aware(datetime.datetime.combine(asset.installed_on, datetime.time(9)))
            if asset.installed_on else _now())
        record_asset_event(asset, EventKind.INSTALLATION, when, actor,
                           summary or _("Registered at %(where)s") % {"where": where},
                           {"site": asset.site.code if asset.site else ""},
                           source_kind=source_kind, source_id=source_id)
    return asset


def _show(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def update_asset(asset: Asset, changes: dict[str, Any], actor: Any, *, summary: str = "",
                 source_kind: str = "", source_id: str = "") -> Asset:
    """Change an asset; the archive records which fields changed (a site change is a
    relocation entry)."""
    unknown = set(changes) - set(_TRACKED)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s")
                              % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Asset.objects.select_for_update(of=("self",)).select_related(
            "asset_type", "site", "parent", "remote_site").get(pk=asset.pk)
        values = {name: getattr(locked, name) for name in _TRACKED} | changes
        values = _check(locked.contract, values, locked)
        diff = {name: [_show(getattr(locked, name)), _show(values[name])]
                for name in _TRACKED if getattr(locked, name) != values[name]}
        if not diff:
            return locked
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        kind = EventKind.RELOCATION if "site" in diff else EventKind.NOTE
        text = summary or _("Changed: %(fields)s") % {
            "fields": ", ".join(str(getattr(Asset._meta.get_field(n), "verbose_name", n))
                                for n in diff)}
        record_asset_event(locked, kind, _now(), actor, text, {"changes": diff},
                           source_kind=source_kind, source_id=source_id)
    return locked


def bulk_update_assets(assets: QuerySet[Asset], actor: Any, *, status: str | None = None,
                       site: Site | None = None, set_site: bool = False) -> int:
    """Bulk edit (status and/or site) of the given assets, each with its archive entry."""
    changes: dict[str, Any] = {}
    if status:
        changes["status"] = status
    if set_site:
        changes["site"] = site
    if not changes:
        raise ValidationError(_("Choose a status or a site to set."))
    count = 0
    with transaction.atomic():
        for asset in assets.select_related("contract"):
            if site is not None and site.contract_id != asset.contract_id:
                raise ValidationError({"site": [_("%(asset)s belongs to another contract than "
                                                  "the site.") % {"asset": asset}]})
            update_asset(asset, changes, actor, summary=_("Bulk edit"))
            count += 1
    return count


def check_type_parent(asset_type: AssetType | None, parent: AssetType | None) -> None:
    node = parent
    while node is not None:
        if asset_type is not None and node.pk == asset_type.pk:
            raise ValidationError({"parent": [_("A type cannot be below itself.")]})
        node = node.parent


def save_asset_type(contract: Contract, *, code: str, name: str, category: str,
                    parent: AssetType | None = None,
                    attribute_definitions: list[dict[str, Any]] | None = None,
                    order: int = 0, instance: AssetType | None = None) -> AssetType:
    """Create or change an asset type; its attribute definitions are validated."""
    errors: dict[str, list[str]] = {}
    problems = check_definitions(attribute_definitions or [])
    if problems:
        errors["attribute_definitions"] = problems
    if category not in AssetCategory.values:
        errors["category"] = [_("Unknown category.")]
    if parent is not None and parent.contract_id != contract.pk:
        errors["parent"] = [_("The parent type belongs to another contract.")]
    if errors:
        raise ValidationError(errors)
    check_type_parent(instance, parent)
    with transaction.atomic():
        asset_type = instance or AssetType(contract=contract)
        taken = AssetType.objects.filter(contract=contract, code=code)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise ValidationError({"code": [_("The type code %(code)s is already used.")
                                            % {"code": code}]})
        asset_type.code, asset_type.name, asset_type.category = code, name, category
        asset_type.parent, asset_type.order = parent, order
        asset_type.attribute_definitions = attribute_definitions or []
        asset_type.save()
    return asset_type


def add_relation(source: Asset, kind: str, target: Asset, actor: Any,
                 note: str = "") -> AssetRelation:
    """Relate two assets of one contract (runs on, depends on, backs up, connects)."""
    if kind not in RelationKind.values:
        raise ValidationError({"kind": [_("Unknown relation.")]})
    if source.pk == target.pk:
        raise ValidationError({"target": [_("An asset cannot be related to itself.")]})
    if source.contract_id != target.contract_id:
        raise ValidationError({"target": [_("The related asset belongs to another contract.")]})
    with transaction.atomic():
        relation, created = AssetRelation.objects.get_or_create(
            contract_id=source.contract_id, source=source, kind=kind, target=target,
            defaults={"note": note})
        if created:
            record_asset_event(source, EventKind.NOTE, _now(), actor,
                               _("Related: %(kind)s %(target)s")
                               % {"kind": RelationKind(kind).label, "target": target})
    return relation


def remove_relation(relation: AssetRelation, actor: Any) -> None:
    with transaction.atomic():
        record_asset_event(relation.source, EventKind.NOTE, _now(), actor,
                           _("Relation removed: %(kind)s %(target)s")
                           % {"kind": relation.get_kind_display(), "target": relation.target})
        relation.delete()
