"""Shared set-up of the assets tests: a site type with a kit, districts, sites and types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weibao.assets.choices import AssetCategory
from weibao.assets.models import Asset, AssetType, KitItem
from weibao.assets.services import AssetInput, create_asset
from weibao.contracts.models import Contract
from weibao.sites.models import District, Site, SiteType

__all__ = ["Setup", "make_setup"]


@dataclass
class Setup:
    contract: Contract
    outlet: SiteType
    minhang: District
    pudong: District
    site1: Site
    site2: Site
    hw: AssetType
    ups: AssetType
    desktop: AssetType
    system: AssetType
    line: AssetType

    def asset(self, name: str = "设备", asset_type: AssetType | None = None,
              actor: Any = None, **extra: Any) -> Asset:
        extra.setdefault("site", self.site1)
        return create_asset(self.contract, AssetInput(asset_type=asset_type or self.desktop,
                                                      name=name, **extra), actor)


def make_setup(contract: Contract, prefix: str = "") -> Setup:
    outlet = SiteType.objects.create(contract=contract, code="outlet", name="社保卡受理网点")
    minhang = District.objects.create(contract=contract, code="minhang", name="闵行区")
    pudong = District.objects.create(contract=contract, code="pudong", name="浦东新区")
    site1 = Site.objects.create(contract=contract, code=f"{prefix}s1", name=f"{prefix}网点一",
                                site_type=outlet, district=minhang)
    site2 = Site.objects.create(contract=contract, code=f"{prefix}s2", name=f"{prefix}网点二",
                                site_type=outlet, district=pudong)
    hw = AssetType.objects.create(contract=contract, code="hw", name="硬件",
                                  category=AssetCategory.HARDWARE, attribute_definitions=[
                                      {"code": "room", "name": "房间", "kind": "string"}])
    ups = AssetType.objects.create(
        contract=contract, code="ups", name="UPS", category=AssetCategory.HARDWARE, parent=hw,
        attribute_definitions=[{"code": "capacity", "name": "容量", "kind": "decimal",
                                "unit": "KVA", "required": True}])
    desktop = AssetType.objects.create(
        contract=contract, code="desktop", name="桌面计算机", category=AssetCategory.HARDWARE,
        parent=hw, attribute_definitions=[
            {"code": "os", "name": "操作系统", "kind": "choice", "choices": ["WIN7", "麒麟"]}])
    system = AssetType.objects.create(contract=contract, code="system", name="信息系统",
                                      category=AssetCategory.INFORMATION_SYSTEM)
    line = AssetType.objects.create(contract=contract, code="line", name="线路",
                                    category=AssetCategory.LINE, attribute_definitions=[
                                        {"code": "bandwidth", "name": "带宽", "kind": "integer",
                                         "unit": "Mbps"}])
    KitItem.objects.create(contract=contract, site_type=outlet, asset_type=desktop, quantity=2)
    return Setup(contract, outlet, minhang, pudong, site1, site2, hw, ups, desktop, system, line)
