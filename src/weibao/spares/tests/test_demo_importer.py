"""The demo data (idempotent, shows shortfalls) and the opening-stock importer (AST-10)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from weibao.contracts.spec.importer import import_text
from weibao.spares.choices import Condition
from weibao.spares.importers import StockImporter
from weibao.spares.models import StockBalance, StockMovement
from weibao.spares.selectors import compliance

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


@pytest.mark.django_db
def test_spr01_demo_shows_shortfalls_and_is_idempotent() -> None:
    from weibao.sites.demo import load_demo as load_sites
    from weibao.spares.demo import load_demo

    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text()).contract
    lines: list[str] = []
    load_sites(lines.append)
    load_demo(lines.append)
    rows = compliance(contract)
    assert any(r.shortfall for r in rows) and any(r.on_hand and not r.shortfall for r in rows)
    count = StockMovement.objects.filter(contract=contract).count()
    load_demo(lines.append)
    assert StockMovement.objects.filter(contract=contract).count() == count
    # Re-importing the spec (no warehouses key) keeps the demo warehouses and their stock.
    import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text())
    assert StockMovement.objects.filter(contract=contract).count() == count


@pytest.fixture
def importer() -> StockImporter:
    return StockImporter()


def test_ast10_stock_importer_rows(importer, stock) -> None:
    context = importer.prepare(stock.contract)
    cleaned, errors = importer.clean_row(stock.contract, {
        "warehouse": "main", "part_type": "reader", "quantity": "4", "unit_cost": "1,150.50",
        "condition": ""}, 2, context)
    assert errors == [] and cleaned["quantity"] == 4
    assert cleaned["unit_cost"] == Decimal("1150.50") and cleaned["condition"] == Condition.NEW
    faulty, errors = importer.clean_row(stock.contract, {
        "warehouse": "east", "part_type": "desktop", "quantity": "1", "unit_cost": "",
        "condition": "坏"}, 3, context)
    assert errors == []
    assert importer.write(stock.contract, [cleaned, faulty], None) == 2
    assert StockBalance.objects.get(warehouse=stock.main, part_type=stock.reader).on_hand == 4
    assert StockBalance.objects.get(warehouse=stock.east, part_type=stock.desktop,
                                    condition=Condition.FAULTY).on_hand == 1


@pytest.mark.parametrize(("values", "columns"), [
    ({"warehouse": "nope", "part_type": "reader", "quantity": "1"}, {"warehouse"}),
    ({"warehouse": "main", "part_type": "ghost", "quantity": "1"}, {"part_type"}),
    ({"warehouse": "main", "part_type": "reader", "quantity": "0"}, {"quantity"}),
    ({"warehouse": "main", "part_type": "reader", "quantity": "-2"}, {"quantity"}),
    ({"warehouse": "main", "part_type": "reader", "quantity": "1.5"}, {"quantity"}),
    ({"warehouse": "main", "part_type": "reader", "quantity": "1", "unit_cost": "x"},
     {"unit_cost"}),
    ({"warehouse": "main", "part_type": "reader", "quantity": "1", "condition": "used"},
     {"condition"}),
])
def test_ast10_stock_importer_row_errors(importer, stock, values, columns) -> None:
    cleaned, errors = importer.clean_row(stock.contract, values, 5,
                                         importer.prepare(stock.contract))
    assert cleaned is None
    assert {e.column for e in errors} == columns and all(e.row == 5 for e in errors)


def test_ast10_warehouse_of_another_contract_is_unknown(importer, stock, world) -> None:
    _cleaned, errors = importer.clean_row(world.b, {"warehouse": "main", "part_type": "reader",
                                                    "quantity": "1"}, 2,
                                          importer.prepare(world.b))
    assert {e.column for e in errors} == {"part_type"}  # B's "main" exists, reader does not
