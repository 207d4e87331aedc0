"""The device archive (设备档案, AST-03): the one way to append to an asset's timeline."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.assets.choices import EventKind
from weibao.assets.models import Asset, AssetEvent

__all__ = ["record_asset_event", "record_asset_events"]


def record_asset_event(asset: Asset, kind: str, occurred_at: datetime.datetime, actor: Any,
                       summary: str, details: dict[str, Any] | None = None,
                       source_kind: str = "", source_id: str | int = "") -> AssetEvent:
    """Append one entry to ``asset``'s archive. Tickets and visits pass ``source_kind`` (e.g.
    "ticket", "visit") and ``source_id`` so the entry links back to them."""
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = [_("%(kind)s is not an archive event kind.") % {"kind": kind}]
    if not summary or not summary.strip():
        errors["summary"] = [_("Give a short summary.")]
    if details is not None and not isinstance(details, dict):
        errors["details"] = [_("Details must be a mapping.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return AssetEvent.objects.create(
            contract_id=asset.contract_id, asset=asset, kind=kind, occurred_at=occurred_at,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            summary=summary.strip()[:300], details=details or {},
            source_kind=source_kind, source_id=str(source_id))


def record_asset_events(assets: list[Asset], kind: str, occurred_at: datetime.datetime,
                        actor: Any, summary: str, source_kind: str = "") -> int:
    """The same entry for many assets at once (an import of thousands of rows): one insert
    per thousand entries instead of one per asset."""
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("%(kind)s is not an archive event kind.")
                               % {"kind": kind}})
    who = actor if getattr(actor, "is_authenticated", False) else None
    AssetEvent.objects.bulk_create(
        [AssetEvent(contract_id=asset.contract_id, asset=asset, kind=kind,
                    occurred_at=occurred_at, actor=who, summary=summary.strip()[:300],
                    details={}, source_kind=source_kind, source_id="") for asset in assets],
        batch_size=1000)
    return len(assets)
