"""Demo data: clearly fictitious outlets for the Shanghai social-security-card contract (seed 000).

``weibao demo`` imports the four example specs first (their districts, site types and the
sites listed there), then calls :func:`load_demo`. The outlets here are made up — names
示例网点001…, addresses 示例路, contacts 测试联系人, phones 1380000xxxx — and spread over the
contract's districts in the order the spec lists them. Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.sites.choices import SiteStatus
from weibao.sites.models import District, Site, SiteType

__all__ = ["DEMO_CONTRACT", "DEMO_OUTLETS", "load_demo"]

DEMO_CONTRACT = "11N4252038312025801"
DEMO_OUTLETS = 300
# Every fifth outlet is a residence-permit outlet (居住证受理网点), the rest social-security-card
# outlets (社保卡受理网点); every 50th is suspended so the status filter has something to show.
_RP_EVERY = 5
_SUSPENDED_EVERY = 50


def _outlet(i: int, district: District, sbk: SiteType, rp: SiteType) -> dict[str, object]:
    kind = rp if i % _RP_EVERY == 0 else sbk
    return {
        "name": f"示例网点{i:03d}",
        "site_type": kind,
        "district": district,
        "address": f"上海市{district.name.split('（')[0]}示例路{i}号（虚构地址）",
        "contact_name": "测试联系人",
        "contact_phone": f"1380000{i:04d}",
        "status": SiteStatus.SUSPENDED if i % _SUSPENDED_EVERY == 0 else SiteStatus.ACTIVE,
        "notes": "演示数据，非真实网点。",
    }


def load_demo(write: Callable[[str], object]) -> None:
    contract = Contract.objects.filter(number=DEMO_CONTRACT).first()
    if contract is None:
        write(f"sites: contract {DEMO_CONTRACT} not found; import examples/contracts first.")
        return
    districts = list(District.objects.filter(contract=contract).order_by("order", "code"))
    types = {t.code: t for t in SiteType.objects.filter(contract=contract)}
    sbk, rp = types.get("sbk-outlet"), types.get("rp-outlet")
    if not districts or sbk is None or rp is None:
        write("sites: the contract has no districts or site types sbk-outlet / rp-outlet; "
              "import examples/contracts/000-shanghai-sbk-outlets.yaml first.")
        return
    created = changed = 0
    with acting_as(None), transaction.atomic():
        existing = {s.code: s for s in Site.objects.filter(contract=contract,
                                                            code__startswith="demo-")}
        for i in range(1, DEMO_OUTLETS + 1):
            code = f"demo-{i:03d}"
            values = _outlet(i, districts[(i - 1) % len(districts)], sbk, rp)
            site = existing.get(code)
            if site is None:
                Site.objects.create(contract=contract, code=code, **values)
                created += 1
                continue
            dirty = False
            for field, value in values.items():
                if getattr(site, field) != value:
                    setattr(site, field, value)
                    dirty = True
            if dirty:
                site.save()
                changed += 1
    write(f"sites: {created} demo outlets created, {changed} updated "
          f"({DEMO_OUTLETS} in contract {DEMO_CONTRACT}).")
