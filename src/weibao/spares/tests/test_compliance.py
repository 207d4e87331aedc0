"""SPR-01: required stock = ceil(ratio × active sites in scope), compliance per part type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.sites.choices import SiteStatus
from weibao.spares import services
from weibao.spares.choices import ComplianceStatus
from weibao.spares.models import RatioRule
from weibao.spares.selectors import compliance, required_quantity
from weibao.spares.tests.conftest import make_sites


@pytest.mark.parametrize(("ratio", "sites", "required"), [
    ("0.10", 31, 4), ("0.10", 30, 3), ("0.15", 20, 3), ("0.01", 1, 1), ("0.03", 0, 0),
    ("0.05", 101, 6), ("1", 7, 7),
])
def test_spr01_required_is_exact_ceiling(ratio, sites, required) -> None:
    assert required_quantity(Decimal(ratio), sites) == required


def test_spr01_compliance_counts_active_sites_of_the_type_and_new_stock(stock, world) -> None:
    make_sites(stock.contract, stock.outlet, 31)
    make_sites(stock.contract, stock.outlet, 5, prefix="C", status=SiteStatus.CLOSED)
    make_sites(stock.contract, stock.room, 9, prefix="R")
    RatioRule.objects.create(contract=stock.contract, part_type=stock.reader,
                             site_type=stock.outlet, ratio=Decimal("0.15"))
    RatioRule.objects.create(contract=stock.contract, part_type=stock.desktop,
                             ratio=Decimal("0.10"))  # every site type: 40 sites
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=3)
    services.receive(warehouse=stock.east, part_type=stock.reader, quantity=2)
    services.return_faulty(warehouse=stock.main, part_type=stock.reader, quantity=9)
    services.receive(warehouse=stock.main, part_type=stock.desktop, quantity=4)
    with CaptureQueriesContext(connection) as queries:
        rows = {row.part_type.code: row for row in compliance(stock.contract)}
    assert len(queries) == 4
    reader = rows["reader"]
    assert (reader.required, reader.on_hand, reader.shortfall) == (5, 5, 0)  # ceil(4.65)
    assert reader.status == ComplianceStatus.OK
    desktop = rows["desktop"]
    assert (desktop.required, desktop.on_hand, desktop.shortfall) == (4, 4, 0)
    assert rows["battery"].status == ComplianceStatus.NONE_REQUIRED
    services.issue(warehouse=stock.main, part_type=stock.reader, quantity=1,
                   reference_kind="ticket", reference_id="T-1")
    reader = {r.part_type.code: r for r in compliance(stock.contract)}["reader"]
    assert reader.shortfall == 1 and reader.status == ComplianceStatus.SHORT
