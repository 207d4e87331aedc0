"""Work at the site: verification of a site's assets (AST-08), relocation and
decommissioning with the "district + device N" label (AST-09)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assets.choices import AssetStatus, EventKind, VerificationResult
from weibao.assets.models import Asset, Relocation
from weibao.assets.services.archive import record_asset_event
from weibao.sites.models import District, Site

__all__ = ["LABEL_FORMAT", "VerificationLine", "VerificationReport", "district_label",
           "relocate_asset", "verify_site"]


#: The registration label of a relocated device: "区名+设备N" (AST-09). Chinese on purpose: it
#: is written on the device and in the purchaser's registration list, whatever the UI language.
LABEL_FORMAT = "{district}设备{number}"


@dataclass(frozen=True)
class VerificationLine:
    asset: Asset
    result: str
    note: str = ""


@dataclass
class VerificationReport:
    site: Site
    verified_at: datetime.datetime
    present: list[Asset] = field(default_factory=list)
    missing: list[Asset] = field(default_factory=list)
    mismatched: list[tuple[Asset, str]] = field(default_factory=list)


def verify_site(site: Site, lines: list[VerificationLine], actor: Any, *,
                verified_at: datetime.datetime | None = None, source_kind: str = "",
                source_id: str = "") -> VerificationReport:
    """核实网点资产: record each asset's result in its archive and its ``last_verified_at``;
    a missing asset gets the status missing, a found one is back in service."""
    when = verified_at or timezone.now()
    report = VerificationReport(site=site, verified_at=when)
    errors: list[str] = []
    for line in lines:
        if line.asset.site_id != site.pk:
            errors.append(_("%(asset)s is not recorded at %(site)s.")
                          % {"asset": line.asset, "site": site})
        if line.result not in VerificationResult.values:
            errors.append(_("%(asset)s: unknown result.") % {"asset": line.asset})
        if line.result == VerificationResult.MISMATCH and not line.note.strip():
            errors.append(_("%(asset)s: describe the mismatch.") % {"asset": line.asset})
    if not lines:
        errors.append(_("Nothing to verify."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for line in lines:
            asset = Asset.objects.select_for_update().get(pk=line.asset.pk)
            asset.last_verified_at = when
            changed = ["last_verified_at", "updated_at"]
            if line.result == VerificationResult.MISSING:
                asset.status = AssetStatus.MISSING
                changed.append("status")
                report.missing.append(asset)
            elif line.result == VerificationResult.MISMATCH:
                report.mismatched.append((asset, line.note))
            else:
                report.present.append(asset)
            if line.result != VerificationResult.MISSING and asset.status == AssetStatus.MISSING:
                asset.status = AssetStatus.IN_SERVICE
                changed.append("status")
            asset.save(update_fields=changed)
            record_asset_event(
                asset, EventKind.VERIFICATION, when, actor,
                _("Verified at %(site)s: %(result)s")
                % {"site": site, "result": VerificationResult(line.result).label},
                {"result": line.result, "note": line.note.strip()},
                source_kind=source_kind, source_id=source_id)
    return report


def district_label(district: District | None) -> str:
    """The short district name used in labels: 闵行区 → 闵行, 浦东新区 → 浦东."""
    if district is None:
        return ""
    name = district.name
    for suffix in ("新区", "区", "县"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def relocate_asset(asset: Asset, actor: Any, *, relocated_on: datetime.date,
                   to_site: Site | None = None, destination: str = "",
                   decommission: bool = False, reason: str = "") -> Relocation:
    """迁移/报废: move ``asset`` off its site to another site or a destination (warehouse),
    labelled "区名+设备N" with the next running number of the source district."""
    errors: dict[str, list[str]] = {}
    if to_site is None and not destination.strip():
        errors["destination"] = [_("Give another site or a destination.")]
    if to_site is not None and to_site.contract_id != asset.contract_id:
        errors["to_site"] = [_("This site belongs to another contract.")]
    if to_site is not None and to_site.pk == asset.site_id:
        errors["to_site"] = [_("The asset is already at this site.")]
    if asset.status == AssetStatus.DECOMMISSIONED:
        errors["asset"] = [_("The asset is decommissioned.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Asset.objects.select_for_update(of=("self",)).select_related(
            "site__district").get(pk=asset.pk)
        from_site = locked.site
        district = from_site.district if from_site is not None else None
        if district is not None:
            District.objects.select_for_update().filter(pk=district.pk).first()
        numbers = Relocation.objects.filter(contract_id=locked.contract_id, district=district)
        number = (numbers.aggregate(n=Max("number"))["n"] or 0) + 1
        label = LABEL_FORMAT.format(district=district_label(district), number=number)
        relocation = Relocation.objects.create(
            contract_id=locked.contract_id, asset=locked, from_site=from_site,
            district=district, number=number, label=label, to_site=to_site,
            destination=destination.strip(), decommission=decommission,
            relocated_on=relocated_on, reason=reason.strip(),
            actor=actor if getattr(actor, "is_authenticated", False) else None)
        locked.site = to_site
        locked.location = "" if to_site is not None else destination.strip()
        if decommission:
            locked.status = AssetStatus.DECOMMISSIONED
        elif to_site is None:
            locked.status = AssetStatus.RELOCATED
        locked.save(update_fields=["site", "location", "status", "updated_at"])
        where = str(to_site) if to_site is not None else destination.strip()
        record_asset_event(
            locked, EventKind.DECOMMISSION if decommission else EventKind.RELOCATION,
            timezone.make_aware(datetime.datetime.combine(relocated_on, datetime.time(12))),
            actor, _("%(label)s: %(from)s → %(to)s") % {
                "label": label, "from": from_site or "—", "to": where},
            {"relocation": relocation.pk, "label": label, "reason": reason.strip()})
    return relocation
