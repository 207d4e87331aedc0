"""Writes of the sites domain (SITE-01..03): area classes, districts, site types, sites.

Every function is one transaction and raises :class:`weibao.core.errors.ServiceError` (a
``ValidationError`` naming the fields) with translated messages; nothing is written then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.core.errors import ServiceError
from weibao.core.models import Organisation
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType

__all__ = [
    "BulkEdit",
    "SiteInput",
    "bulk_edit_sites",
    "delete_object",
    "save_area_class",
    "save_district",
    "save_site",
    "save_site_type",
]

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ServiceError(self.by_field)


def _check_code(errors: _Errors, model: type[Model], contract: Contract, code: str,
                instance: Model | None) -> None:
    if not CODE_RE.match(code or ""):
        errors.add("code", _("Use 1–40 letters, digits, hyphens, dots or underscores, starting "
                             "with a letter or digit."))
        return
    clash = model._default_manager.filter(contract=contract, code=code)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors.add("code", _("The code %(code)s is already used in this contract.")
                   % {"code": code})


def _check_name(errors: _Errors, name: str, limit: int) -> None:
    if not (name or "").strip():
        errors.add("name", _("A name is required."))
    elif len(name) > limit:
        errors.add("name", _("At most %(limit)s characters.") % {"limit": limit})


def _same_contract(errors: _Errors, field: str, obj: Any, contract: Contract) -> None:
    if obj is not None and obj.contract_id != contract.pk:
        errors.add(field, _("%(value)s belongs to another contract.") % {"value": obj})


def _simple_save(model: type[Any], contract: Contract, code: str, name: str, order: int | None,
                 instance: Any, extra: dict[str, Any], actor: Any) -> Any:
    errors = _Errors()
    if instance is not None and instance.contract_id != contract.pk:
        errors.add("contract", _("The record belongs to another contract."))
    _check_code(errors, model, contract, code, instance)
    _check_name(errors, name, 60)
    for field, value in extra.items():
        _same_contract(errors, field, value, contract)
    errors.raise_if_any()
    try:
        with acting_as(actor), transaction.atomic():
            obj = instance or model(contract=contract)
            obj.code, obj.name = code, name.strip()
            if order is not None:
                obj.order = order
            elif obj.pk is None:
                last = model.objects.filter(contract=contract).order_by("-order").first()
                obj.order = (last.order + 1) if last else 1
            for field, value in extra.items():
                setattr(obj, field, value)
            obj.save()
    except IntegrityError:
        # A concurrent writer took the code between the check and the insert.
        raise _code_taken(code) from None
    return obj


def _code_taken(code: str) -> ServiceError:
    return ServiceError({"code": [_("The code %(code)s is already used in this contract.")
                                  % {"code": code}]})


def save_area_class(contract: Contract, *, code: str, name: str, order: int | None = None,
                    area_class: AreaClass | None = None, actor: Any = None) -> AreaClass:
    """Create or update an area class (区域类别, SITE-02)."""
    result: AreaClass = _simple_save(AreaClass, contract, code, name, order, area_class, {}, actor)
    return result


def save_district(contract: Contract, *, code: str, name: str,
                  area_class: AreaClass | None, order: int | None = None,
                  district: District | None = None, actor: Any = None) -> District:
    """Create or update a district (区县) and its area class (SITE-02)."""
    result: District = _simple_save(District, contract, code, name, order, district,
                                    {"area_class": area_class}, actor)
    return result


def save_site_type(contract: Contract, *, code: str, name: str, order: int | None = None,
                   site_type: SiteType | None = None, actor: Any = None) -> SiteType:
    """Create or update a site type (网点类型, SITE-01)."""
    result: SiteType = _simple_save(SiteType, contract, code, name, order, site_type, {}, actor)
    return result


@dataclass
class SiteInput:
    """The fields of a site (网点) a user edits."""

    code: str
    name: str
    site_type: SiteType | None
    district: District | None = None
    area_class_override: AreaClass | None = None
    organisation: Organisation | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    status: str = SiteStatus.ACTIVE
    notes: str = ""


def site_errors(contract: Contract, data: SiteInput, site: Site | None = None
                ) -> dict[str, list[str]]:
    """Every rule the site's fields break, by field (empty: fine)."""
    errors = _Errors()
    if site is not None and site.contract_id != contract.pk:
        errors.add("contract", _("The record belongs to another contract."))
    _check_code(errors, Site, contract, data.code, site)
    _check_name(errors, data.name, 200)
    if data.site_type is None:
        errors.add("site_type", _("Choose the site type."))
    for field in ("site_type", "district", "area_class_override"):
        _same_contract(errors, field, getattr(data, field), contract)
    if data.status not in SiteStatus.values:
        errors.add("status", _("Unknown status %(value)s.") % {"value": data.status})
    if data.organisation is not None and not contract.parties.filter(
            organisation=data.organisation).exists():
        errors.add("organisation", _("%(value)s is not a party to this contract.")
                   % {"value": data.organisation})
    for field, limit in (("address", 300), ("contact_name", 60), ("contact_phone", 40)):
        if len(getattr(data, field) or "") > limit:
            errors.add(field, _("At most %(limit)s characters.") % {"limit": limit})
    return errors.by_field


def save_site(contract: Contract, data: SiteInput, *, site: Site | None = None,
              actor: Any = None) -> Site:
    """Create or update a site (SITE-01); its area class follows the district unless
    overridden (SITE-02)."""
    errors = site_errors(contract, data, site)
    if errors:
        raise ServiceError(errors)
    try:
        with acting_as(actor), transaction.atomic():
            if site is not None:
                site = Site.objects.select_for_update().get(pk=site.pk)
            obj = site or Site(contract=contract)
            for field in ("code", "name", "site_type", "district", "area_class_override",
                          "organisation", "address", "contact_name", "contact_phone", "status",
                          "notes"):
                value = getattr(data, field)
                setattr(obj, field, value.strip() if isinstance(value, str) else value)
            obj.save()
    except IntegrityError:
        raise _code_taken(data.code) from None
    return obj


@dataclass
class BulkEdit:
    """What a bulk edit changes; fields left at ``None`` stay as they are."""

    status: str | None = None
    district: District | None = None
    site_type: SiteType | None = None


def bulk_edit_sites(contract: Contract, sites: Iterable[Site], change: BulkEdit, *,
                    actor: Any = None) -> int:
    """Set status / district / site type of many sites of one contract at once; returns the
    number of sites changed. All or nothing."""
    errors = _Errors()
    if change.status is None and change.district is None and change.site_type is None:
        errors.add("", _("Choose at least one field to change."))
    if change.status is not None and change.status not in SiteStatus.values:
        errors.add("status", _("Unknown status %(value)s.") % {"value": change.status})
    _same_contract(errors, "district", change.district, contract)
    _same_contract(errors, "site_type", change.site_type, contract)
    pks = [s.pk for s in sites]
    if not pks:
        errors.add("", _("Select at least one site."))
    errors.raise_if_any()
    changed = 0
    with acting_as(actor), transaction.atomic():
        rows = list(Site.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        if len(rows) != len(set(pks)) or any(r.contract_id != contract.pk for r in rows):
            raise ServiceError(_("Some selected sites do not belong to this contract."))
        for site in rows:
            dirty = False
            for field in ("status", "district", "site_type"):
                value = getattr(change, field)
                if value is not None and getattr(site, field) != value:
                    setattr(site, field, value)
                    dirty = True
            if dirty:
                site.save()  # one save per site: every change is in the audit log (PLT-03)
                changed += 1
    return changed


def delete_object(obj: AreaClass | District | SiteType | Site, *, actor: Any = None) -> None:
    """Delete a record; when others still refer to it, explain who (nothing is deleted)."""
    with acting_as(actor), transaction.atomic():
        try:
            obj.delete()
        except ProtectedError as exc:
            kinds: dict[str, int] = {}
            for other in exc.protected_objects:
                name = str(other._meta.verbose_name_plural)
                kinds[name] = kinds.get(name, 0) + 1
            detail = ", ".join(f"{count} {name}" for name, count in sorted(kinds.items()))
            raise ServiceError(
                _("%(value)s cannot be deleted: %(detail)s still refer to it.")
                % {"value": obj, "detail": detail}) from None
