"""The demo: seed 000's demo outlets get their standard kits, idempotently (AST-01)."""

from __future__ import annotations

from pathlib import Path

import pytest

from weibao.assets.demo import load_demo
from weibao.assets.models import Asset, KitItem
from weibao.contracts.spec.importer import import_text
from weibao.sites.demo import load_demo as load_sites_demo

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


@pytest.mark.django_db
def test_ast01_demo_gives_every_outlet_its_kit_once():
    contract = import_text(next(EXAMPLES.glob("000-*.yaml")).read_text(encoding="utf-8")) \
        .contract
    lines: list[str] = []
    load_sites_demo(lines.append)
    load_demo(lines.append)
    hardware = KitItem.objects.filter(contract=contract, site_type__code="sbk-outlet",
                                      asset_type__category="hardware").count()
    demo = Asset.objects.filter(contract=contract, serial__startswith="DEMO-")
    count = demo.count()
    assert count == 300 * hardware
    assert all(a.events.exists() for a in demo[:20])
    load_demo(lines.append)
    assert demo.count() == count
    assert "0 demo assets created" in lines[-1]
