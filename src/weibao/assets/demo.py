"""Demo data: every demo outlet of seed 000's contract gets its standard kit of devices.

Runs after the sites demo (which creates the outlets 示例网点001…). Each hardware line of the
site type's kit (AST-01) becomes one asset with a clearly fictitious serial (DEMO-…), an
installation entry in its archive, and every tenth outlet's desktop a maintenance entry.
Two demo certificates show the expiry badges. Running it again creates nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from weibao.assets.choices import (
    AssetCategory,
    CertificateKind,
    CertificateState,
    EventKind,
    WarrantyState,
)
from weibao.assets.models import Asset, AssetEvent, Certificate, KitItem
from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.sites.models import Site

__all__ = ["load_demo"]

DEMO_CONTRACT = "11N4252038312025801"
_INSTALLED = datetime.date(2023, 3, 1)


def load_demo(write: Callable[[str], object]) -> None:
    contract = Contract.objects.filter(number=DEMO_CONTRACT).first()
    if contract is None:
        write(f"assets: contract {DEMO_CONTRACT} not found; import examples/contracts first.")
        return
    kits: dict[int, list[KitItem]] = {}
    for item in KitItem.objects.filter(contract=contract,
                                       asset_type__category=AssetCategory.HARDWARE) \
            .select_related("asset_type").order_by("order"):
        kits.setdefault(item.site_type_id, []).append(item)
    sites = list(Site.objects.filter(contract=contract, code__startswith="demo-")
                 .order_by("code"))
    if not kits or not sites:
        write("assets: no standard kits or demo sites; import the example specs and run the "
              "sites demo first.")
        return
    with acting_as(None), transaction.atomic():
        taken = set(Asset.objects.filter(contract=contract, serial__startswith="DEMO-")
                    .values_list("serial", flat=True))
        new: list[Asset] = []
        for index, site in enumerate(sites):
            for item in kits.get(site.site_type_id, []):
                serial = f"DEMO-{site.code}-{item.asset_type.code}".upper()
                if serial in taken:
                    continue
                new.append(Asset(
                    contract=contract, asset_type=item.asset_type, site=site,
                    name=f"{item.asset_type.name.split('（')[0]}（{site.name}）",
                    brand="示例品牌", model="DEMO", serial=serial, quantity=item.quantity,
                    installed_on=_INSTALLED,
                    warranty_until=(_INSTALLED + datetime.timedelta(days=365 * 3)
                                    if index % 3 else None),
                    warranty_state=(WarrantyState.OUT_OF_WARRANTY if index % 3 == 0
                                    else WarrantyState.UNKNOWN),
                    notes="演示数据，序列号为虚构。"))
        created = Asset.objects.bulk_create(new, batch_size=1000)
        installed = timezone.make_aware(datetime.datetime.combine(_INSTALLED,
                                                                  datetime.time(9)))
        events = [AssetEvent(contract=contract, asset=a, kind=EventKind.INSTALLATION,
                             occurred_at=installed, summary=f"安装于{a.site}（演示）")
                  for a in created]
        events += [AssetEvent(contract=contract, asset=a, kind=EventKind.MAINTENANCE,
                              occurred_at=installed + datetime.timedelta(days=180),
                              summary="季度巡检：清洁、检查运行状态（演示）")
                   for i, a in enumerate(created)
                   if a.asset_type.code == "desktop" and i % 10 == 0]
        AssetEvent.objects.bulk_create(events, batch_size=1000)
        today = timezone.localdate()
        for holder, kind, days in (("示例网点电子印章（演示）", CertificateKind.E_SEAL, 25),
                                   ("示例数字证书（演示）", CertificateKind.CERTIFICATE, 200)):
            Certificate.objects.get_or_create(
                contract=contract, holder=holder,
                defaults={"kind": kind, "issuer": "示例CA", "algorithm": "SM2",
                          "serial": f"DEMO-CERT-{days}", "state": CertificateState.IMPORTED,
                          "issued_on": today - datetime.timedelta(days=365 - days),
                          "expires_on": today + datetime.timedelta(days=days)})
    write(f"assets: {len(created)} demo assets created for {len(sites)} demo outlets "
          f"(contract {DEMO_CONTRACT}).")
