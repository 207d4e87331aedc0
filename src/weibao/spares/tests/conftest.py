"""Fixtures of the spare-parts tests: contract A's site types, sites, part types, warehouses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from weibao.contracts.models import Contract
from weibao.sites.models import Site, SiteType
from weibao.spares.models import PartType, Warehouse
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)


@dataclass
class Stock:
    contract: Contract
    outlet: SiteType
    room: SiteType
    reader: PartType
    desktop: PartType
    battery: PartType
    main: Warehouse
    east: Warehouse
    other: Warehouse  # a warehouse of contract B


def make_sites(contract: Contract, site_type: SiteType, count: int, prefix: str = "S",
               **extra: object) -> list[Site]:
    return Site.objects.bulk_create([
        Site(contract=contract, code=f"{prefix}{i:05d}", name=f"示例网点{i:05d}",
             site_type=site_type, **extra) for i in range(count)])


@pytest.fixture
def stock(world: object) -> Stock:
    a = world.a  # type: ignore[attr-defined]
    b = world.b  # type: ignore[attr-defined]
    outlet = SiteType.objects.create(contract=a, code="outlet", name="网点")
    room = SiteType.objects.create(contract=a, code="room", name="机房")
    return Stock(
        contract=a, outlet=outlet, room=room,
        reader=PartType.objects.create(contract=a, code="reader", name="读卡机",
                                       unit_cost=Decimal("1200.00")),
        desktop=PartType.objects.create(contract=a, code="desktop", name="桌面计算机",
                                        unit_cost=Decimal("4999.99")),
        battery=PartType.objects.create(contract=a, code="battery", name="UPS 电池",
                                        unit="节", unit_cost=Decimal("800.00")),
        main=Warehouse.objects.create(contract=a, code="main", name="主库"),
        east=Warehouse.objects.create(contract=a, code="east", name="东区库"),
        other=Warehouse.objects.create(contract=b, code="main", name="乙方库"),
    )
