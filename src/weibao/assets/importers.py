"""Bulk import of assets from a spreadsheet (AST-10, AST-02): upsert by asset tag or serial.

Columns: type (code or name), site (code), name, code, brand, model, serial, quantity,
purchased_on, installed_on, warranty_until, status, plus the attributes of the asset type,
either one column ``attr:<code>`` per attribute (:meth:`AssetImporter.columns_for` lists them
for a contract) or one ``attributes`` column of ``code=value; code=value``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.assets.choices import AssetStatus, EventKind
from weibao.assets.models import Asset, AssetType
from weibao.assets.services.archive import record_asset_event, record_asset_events
from weibao.assets.services.attributes import clean_attributes
from weibao.imports.registry import Column, Importer, RowError, register
from weibao.sites.models import Site

__all__ = ["ATTR_PREFIX", "AssetImporter", "register_importers"]

ATTR_PREFIX = "attr:"
_DATE_HELP = gettext_lazy("YYYY-MM-DD")


def _lookup(objects: list[Any]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for obj in objects:
        table.setdefault(obj.name, obj)
    for obj in objects:
        table[obj.code] = obj
    return table


def _status_lookup() -> dict[str, str]:
    table = {str(label): value for value, label in AssetStatus.choices}
    table.update({value: value for value in AssetStatus.values})
    return table


def _parse_attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        code, sep, value = part.partition("=")
        if not sep:
            raise ValueError(part.strip())
        out[code.strip()] = value.strip()
    return out


class AssetImporter(Importer):
    """Assets (资产) of a contract."""

    key = "assets"
    title = gettext_lazy("Assets")
    permission = "assets.add_asset"
    columns = (
        Column("type", gettext_lazy("asset type"), required=True,
               help=gettext_lazy("code or name of an asset type of the contract")),
        Column("site", gettext_lazy("site code"),
               help=gettext_lazy("empty for an asset in a warehouse")),
        Column("name", gettext_lazy("asset name"), required=True),
        Column("code", gettext_lazy("asset tag"),
               help=gettext_lazy("unique within the contract; the import key with the serial")),
        Column("brand", gettext_lazy("brand")),
        Column("model", gettext_lazy("model")),
        Column("serial", gettext_lazy("serial number")),
        Column("quantity", gettext_lazy("quantity"), help=gettext_lazy("default 1")),
        Column("purchased_on", gettext_lazy("purchased on"), help=_DATE_HELP),
        Column("installed_on", gettext_lazy("installed on"), help=_DATE_HELP),
        Column("warranty_until", gettext_lazy("warranty until"), help=_DATE_HELP),
        Column("status", gettext_lazy("status"),
               help=gettext_lazy("in_service / spare / relocated / decommissioned / missing")),
        Column("attributes", gettext_lazy("attributes"),
               help=gettext_lazy("code=value; code=value (or one attr:<code> column each)")),
    )

    def columns_for(self, contract: Any) -> tuple[Column, ...]:
        """The columns plus one ``attr:<code>`` column per attribute of the contract's types."""
        seen: dict[str, Column] = {}
        for asset_type in AssetType.objects.filter(contract=contract):
            for definition in asset_type.attribute_definitions or []:
                key = ATTR_PREFIX + definition["code"]
                unit = f" ({definition['unit']})" if definition.get("unit") else ""
                seen.setdefault(key, Column(key, f"{definition['name']}{unit}"))
        return (*self.columns, *seen.values())

    def prepare(self, contract: Any) -> dict[str, Any]:
        types = list(AssetType.objects.filter(contract=contract).select_related("parent"))
        by_pk = {t.pk: t for t in types}
        for t in types:  # ancestors from memory, not one query per level
            t.parent = by_pk.get(t.parent_id) if t.parent_id else None
        existing = Asset.objects.filter(contract=contract)
        return {
            "types": _lookup(types),
            "sites": {s.code: s for s in Site.objects.filter(contract=contract)},
            "statuses": _status_lookup(),
            "by_code": dict(existing.exclude(code="").values_list("code", "pk")),
            "by_serial": dict(existing.exclude(serial="").values_list("serial", "pk")),
            "code_of": dict(existing.exclude(code="").values_list("pk", "code")),
            "serials_in_file": {},
            "codes_in_file": {},
        }

    def clean_row(self, contract: Any, values: dict[str, str], row: int,
                  context: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(row=row, column=column, message=message))

        asset_type = context["types"].get(values.get("type", ""))
        if asset_type is None:
            fail("type", _("%(value)s is not an asset type of this contract.")
                 % {"value": values.get("type", "")})
        site = None
        if values.get("site"):
            site = context["sites"].get(values["site"])
            if site is None:
                fail("site", _("%(value)s is not a site of this contract.")
                     % {"value": values["site"]})
        if not values.get("name"):
            fail("name", _("Give the asset a name."))
        dates: dict[str, datetime.date | None] = {}
        for name in ("purchased_on", "installed_on", "warranty_until"):
            text = values.get(name, "")
            try:
                dates[name] = datetime.date.fromisoformat(text[:10]) if text else None
            except ValueError:
                fail(name, _("%(value)s is not a date (YYYY-MM-DD).") % {"value": text})
        quantity = 1
        if values.get("quantity"):
            text = values["quantity"].removesuffix(".0")
            if not text.isdigit() or int(text) < 1:
                fail("quantity", _("%(value)s is not a whole number of at least 1.")
                     % {"value": values["quantity"]})
            else:
                quantity = int(text)
        status = AssetStatus.IN_SERVICE
        if values.get("status"):
            status = context["statuses"].get(values["status"], "")
            if not status:
                fail("status", _("%(value)s is not a status; allowed: %(allowed)s.")
                     % {"value": values["status"], "allowed": ", ".join(AssetStatus.values)})
        code, serial = values.get("code", ""), values.get("serial", "")
        existing_pk = context["by_code"].get(code) if code else None
        if existing_pk is None and serial:
            existing_pk = context["by_serial"].get(serial)
        if code:
            first = context["codes_in_file"].setdefault(code, row)
            if first != row:
                fail("code", _("The asset tag %(value)s is already in row %(row)d.")
                     % {"value": code, "row": first})
        if serial:
            first = context["serials_in_file"].setdefault(serial, row)
            if first != row:
                fail("serial", _("The serial number %(value)s is already in row %(row)d.")
                     % {"value": serial, "row": first})
            owner = context["by_serial"].get(serial)
            tagged_otherwise = (owner is not None and code
                                and context["code_of"].get(owner, code) != code)
            if owner is not None and (owner != existing_pk or tagged_otherwise):
                fail("serial", _("The serial number %(value)s belongs to another asset.")
                     % {"value": serial})
        raw: dict[str, str] = {}
        if values.get("attributes"):
            try:
                raw.update(_parse_attributes(values["attributes"]))
            except ValueError as exc:
                fail("attributes", _("%(part)s: write code=value.") % {"part": exc})
        for key, value in values.items():
            if key.startswith(ATTR_PREFIX) and value:
                raw[key[len(ATTR_PREFIX):]] = value
        attributes: dict[str, Any] = {}
        if asset_type is not None:
            try:
                attributes = clean_attributes(asset_type.all_definitions(), raw)
            except ValidationError as exc:
                for message in exc.message_dict["attributes"]:
                    fail("attributes", message)
        if errors:
            return None, errors
        return {
            "pk": existing_pk, "asset_type": asset_type, "site": site, "name": values["name"],
            "code": code, "brand": values.get("brand", ""), "model": values.get("model", ""),
            "serial": serial, "quantity": quantity, "status": status, "attributes": attributes,
            **dates,
        }, []

    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        now = timezone.now()
        existing = Asset.objects.in_bulk([r["pk"] for r in rows if r["pk"]])
        created: list[Asset] = []
        written = 0
        for row in rows:
            values = {k: v for k, v in row.items() if k != "pk"}
            asset = existing.get(row["pk"]) if row["pk"] else None
            if asset is None:
                # Saved one by one so each new asset gets its audit entry (PLT-03).
                created.append(Asset.objects.create(contract=contract, **values))
                written += 1
                continue
            changed = [k for k, v in values.items() if getattr(asset, k) != v]
            if not changed:
                continue
            for key in changed:
                setattr(asset, key, values[key])
            asset.save()
            record_asset_event(asset, EventKind.NOTE, now, actor,
                               _("Updated by import: %(fields)s")
                               % {"fields": ", ".join(changed)}, source_kind="import")
            written += 1
        record_asset_events(created, EventKind.INSTALLATION, now, actor,
                            _("Registered by import"), source_kind="import")
        return written


def register_importers() -> None:
    register(AssetImporter())
