"""Demo data: two made-up warehouses and their stock for seed 000's contract (SPR-01).

``weibao demo`` imports the example specs (the part types and 表二 ratios), the sites demo adds
the fictitious outlets, then :func:`load_demo` runs. Stock is set from the compliance figures:
most part types at their required level, every third one short, so the compliance page shows
shortfalls; a few parts are issued to made-up tickets and one faulty part returned. The
warehouses are 示例备件库 with 虚构 addresses. Running it again changes nothing: the stock is
written only while the contract has no demo movements.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from weibao.contracts.models import Contract
from weibao.core.audit import acting_as
from weibao.spares import services
from weibao.spares.choices import ReferenceKind
from weibao.spares.models import StockMovement, Warehouse
from weibao.spares.selectors import compliance

__all__ = ["DEMO_CONTRACT", "DEMO_REASON", "load_demo"]

DEMO_CONTRACT = "11N4252038312025801"
DEMO_REASON = "演示数据（虚构）"
_WAREHOUSES = [
    ("demo-xuhui", "示例备件库（徐汇，虚构）", "上海市徐汇区示例路1号（虚构地址）"),
    ("demo-pudong", "示例备件库（浦东，虚构）", "上海市浦东新区示例路2号（虚构地址）"),
]


def load_demo(write: Callable[[str], object]) -> None:
    contract = Contract.objects.filter(number=DEMO_CONTRACT).first()
    if contract is None:
        write(f"spares: contract {DEMO_CONTRACT} not found; import examples/contracts first.")
        return
    rows = compliance(contract)
    if not rows:
        write("spares: the contract has no part types; import "
              "examples/contracts/000-shanghai-sbk-outlets.yaml first.")
        return
    with acting_as(None), transaction.atomic():
        houses = []
        for order, (code, name, address) in enumerate(_WAREHOUSES):
            house, _created = Warehouse.objects.get_or_create(
                contract=contract, code=code,
                defaults={"name": name, "address": address, "order": order})
            houses.append(house)
        if StockMovement.objects.filter(contract=contract, reason=DEMO_REASON).exists():
            write("spares: demo stock already loaded; nothing to do.")
            return
        moved = 0
        for i, row in enumerate(rows):
            wanted = row.required if i % 3 else row.required * 3 // 5  # every third is short
            main, east = wanted - wanted // 3, wanted // 3
            for house, quantity in ((houses[0], main), (houses[1], east)):
                if quantity > 0:
                    services.receive(warehouse=house, part_type=row.part_type,
                                     quantity=quantity, reason=DEMO_REASON)
                    moved += 1
            if i % 4 == 1 and main > 1:
                services.issue(warehouse=houses[0], part_type=row.part_type, quantity=1,
                               reference_kind=ReferenceKind.TICKET,
                               reference_id=f"DEMO-GD-{i:04d}", reason=DEMO_REASON)
                services.return_faulty(warehouse=houses[0], part_type=row.part_type,
                                       quantity=1, reference_kind=ReferenceKind.TICKET,
                                       reference_id=f"DEMO-GD-{i:04d}", reason=DEMO_REASON)
                moved += 2
    short = sum(1 for row in compliance(contract) if row.shortfall)
    write(f"spares: {len(houses)} warehouses, {moved} movements; {short} part types short.")
