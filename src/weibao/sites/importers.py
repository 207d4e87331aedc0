"""Bulk import of sites from a spreadsheet (AST-10, SITE-01): upsert by site code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.imports.registry import Column, Importer, RowError, register
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.sites.services import CODE_RE

__all__ = ["SiteImporter", "register_importers"]


def _lookup(objects: list[Any]) -> dict[str, Any]:
    """Code or name -> object (codes win over names)."""
    table: dict[str, Any] = {}
    for obj in objects:
        table.setdefault(obj.name, obj)
    for obj in objects:
        table[obj.code] = obj
    return table


def _status_lookup() -> dict[str, str]:
    table = {str(label): value for value, label in SiteStatus.choices}
    table.update({value: value for value in SiteStatus.values})
    return table


class SiteImporter(Importer):
    """Sites (网点) of a contract: type and district by code or name."""

    key = "sites"
    title = gettext_lazy("Sites")
    permission = "sites.add_site"
    columns = (
        Column("code", gettext_lazy("site code"), required=True),
        Column("name", gettext_lazy("site name"), required=True),
        Column("site_type", gettext_lazy("site type"), required=True,
               help=gettext_lazy("code or name of a site type of the contract")),
        Column("district", gettext_lazy("district"),
               help=gettext_lazy("code or name of a district of the contract")),
        Column("area_class", gettext_lazy("area class (override)"),
               help=gettext_lazy("only when it differs from the district's")),
        Column("address", gettext_lazy("address")),
        Column("contact_name", gettext_lazy("contact person")),
        Column("contact_phone", gettext_lazy("contact phone")),
        Column("status", gettext_lazy("status"),
               help=gettext_lazy("active / suspended / closed (default active)")),
    )

    def prepare(self, contract: Any) -> dict[str, Any]:
        return {
            "site_types": _lookup(list(SiteType.objects.filter(contract=contract))),
            "districts": _lookup(list(District.objects.filter(contract=contract))),
            "area_classes": _lookup(list(AreaClass.objects.filter(contract=contract))),
            "statuses": _status_lookup(),
            "seen": {},
        }

    def clean_row(self, contract: Any, values: dict[str, str], row: int,
                  context: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(row=row, column=column, message=message))

        for column in self.columns:
            if column.required and not values.get(column.key, ""):
                fail(column.key, _("Required."))
        code = values.get("code", "")
        if code and not CODE_RE.match(code):
            fail("code", _("Use 1–40 letters, digits, hyphens, dots or underscores, starting "
                           "with a letter or digit."))
        if code:
            first = context["seen"].get(code)
            if first is not None:
                fail("code", _("The code %(code)s already appears in row %(row)s.")
                     % {"code": code, "row": first})
            else:
                context["seen"][code] = row
        limits = {"name": 200, "address": 300, "contact_name": 60, "contact_phone": 40}
        for key, limit in limits.items():
            if len(values.get(key, "")) > limit:
                fail(key, _("At most %(limit)s characters.") % {"limit": limit})
        cleaned: dict[str, Any] = {key: values.get(key, "") for key in
                                   ("code", "name", "address", "contact_name", "contact_phone")}
        for key, table, message in (
            ("site_type", "site_types", _("%(value)s is not a site type of this contract.")),
            ("district", "districts", _("%(value)s is not a district of this contract.")),
            ("area_class", "area_classes",
             _("%(value)s is not an area class of this contract.")),
        ):
            text = values.get(key, "")
            cleaned[key] = context[table].get(text) if text else None
            if text and cleaned[key] is None:
                fail(key, message % {"value": text})
        status = values.get("status", "")
        cleaned["status"] = context["statuses"].get(status) if status else SiteStatus.ACTIVE
        if cleaned["status"] is None:
            fail("status", _("%(value)s is not a status; use one of %(allowed)s.")
                 % {"value": status, "allowed": ", ".join(SiteStatus.values)})
        if errors:
            return None, errors
        return cleaned, []

    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        """Upsert by code; a row equal to the recorded site is not saved again. Sites not in
        the file stay as they are; ``notes`` and the site owner are kept."""
        existing = {s.code: s for s in Site.objects.select_for_update().filter(
            contract=contract, code__in=[r["code"] for r in rows])}
        written = 0
        for values in rows:
            site = existing.get(values["code"]) or Site(contract=contract)
            wanted = {"code": values["code"], "name": values["name"],
                      "site_type": values["site_type"], "district": values["district"],
                      "area_class_override": values["area_class"],
                      "address": values["address"], "contact_name": values["contact_name"],
                      "contact_phone": values["contact_phone"], "status": values["status"]}
            changed = site.pk is None
            for field, value in wanted.items():
                if getattr(site, field, None) != value:
                    setattr(site, field, value)
                    changed = True
            if changed:
                site.save()
                written += 1
        return written


def register_importers() -> None:
    register(SiteImporter())
