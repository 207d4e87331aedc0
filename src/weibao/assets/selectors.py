"""Reads of the assets domain: PLT-01 scoping, type trees, kits, registration lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from weibao.assets.models import Asset, AssetEvent, AssetType, Certificate, KitItem, Relocation
from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user
from weibao.sites.models import Site

__all__ = [
    "TypeNode",
    "descendant_ids",
    "relocations_between",
    "type_tree",
    "visible_asset_types",
    "visible_assets",
    "visible_certificates",
    "visible_events",
    "visible_relocations",
    "visible_sites",
]


def visible_assets(user: Any) -> QuerySet[Asset]:
    return Asset.objects.visible_to(user)


def visible_events(user: Any) -> QuerySet[AssetEvent]:
    return AssetEvent.objects.filter(asset__in=visible_assets(user))


def visible_asset_types(user: Any) -> QuerySet[AssetType]:
    return scope_to_user(AssetType.objects.all(), user)


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    return scope_to_user(Certificate.objects.all(), user)


def visible_relocations(user: Any) -> QuerySet[Relocation]:
    return scope_to_user(Relocation.objects.all(), user)


def visible_sites(user: Any) -> QuerySet[Site]:
    return Site.objects.visible_to(user)


def descendant_ids(asset_type: AssetType) -> list[int]:
    """The type and every type below it (one query for the contract's types)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in AssetType.objects.filter(contract_id=asset_type.contract_id) \
            .order_by().values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out, todo = [], [asset_type.pk]
    while todo:
        pk = todo.pop()
        if pk in out:
            continue
        out.append(pk)
        todo.extend(children.get(pk, []))
    return out


@dataclass
class TypeNode:
    asset_type: AssetType
    depth: int
    children: list[TypeNode] = field(default_factory=list)
    kits: list[KitItem] = field(default_factory=list)


def type_tree(contract: Contract) -> list[TypeNode]:
    """The contract's types depth-first, each with the kit lines naming it."""
    types = list(AssetType.objects.filter(contract=contract))
    kits: dict[int, list[KitItem]] = {}
    for item in KitItem.objects.filter(contract=contract).select_related("site_type"):
        kits.setdefault(item.asset_type_id, []).append(item)
    children: dict[int | None, list[AssetType]] = {}
    for t in types:
        children.setdefault(t.parent_id, []).append(t)
    out: list[TypeNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for t in children.get(parent, []):
            out.append(TypeNode(t, depth, kits=kits.get(t.pk, [])))
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


def relocations_between(queryset: QuerySet[Relocation], start: datetime.date | None,
                        end: datetime.date | None) -> QuerySet[Relocation]:
    if start:
        queryset = queryset.filter(relocated_on__gte=start)
    if end:
        queryset = queryset.filter(relocated_on__lte=end)
    return queryset.select_related("asset__asset_type", "from_site", "to_site", "district",
                                   "actor", "contract")
