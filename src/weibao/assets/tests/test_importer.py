"""AST-10: the assets importer (row errors, upsert by tag or serial, archive entries)."""

from __future__ import annotations

from typing import Any

from weibao.assets.importers import AssetImporter
from weibao.assets.models import Asset
from weibao.assets.tests.helpers import make_setup
from weibao.imports.registry import get_importer

KEYS = [c.key for c in AssetImporter.columns]


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(KEYS, "")
    row.update(values)
    return row


def _run(contract: Any, rows: list[dict[str, str]]) -> tuple[list[Any], list[Any]]:
    importer = AssetImporter()
    context = importer.prepare(contract)
    cleaned, errors = [], []
    for number, values in enumerate(rows, start=2):
        row, row_errors = importer.clean_row(contract, values, number, context)
        errors.extend(row_errors)
        if row is not None:
            cleaned.append(row)
    return cleaned, errors


def test_ast10_importer_is_registered():
    importer = get_importer("assets")
    assert importer.permission == "assets.add_asset"
    assert {"type", "site", "serial", "warranty_until", "status"} <= {c.key for c in
                                                                      importer.columns}


def test_ast10_attribute_columns_per_contract(world):
    make_setup(world.a)
    keys = [c.key for c in AssetImporter().columns_for(world.a)]
    assert {"attr:capacity", "attr:os", "attr:room", "attr:bandwidth"} <= set(keys)


def test_ast10_row_errors(world):
    setup = make_setup(world.a)
    setup.asset("在库", serial="SN-DB", code="T-DB")
    _cleaned, errors = _run(world.a, [
        _row(type="nope", name="A"),
        _row(type="desktop", name="B", site="zz"),
        _row(type="desktop", name="C", serial="SN-1"),
        _row(type="desktop", name="D", serial="SN-1"),
        _row(type="桌面计算机", name="E", installed_on="2025-02-30"),
        _row(type="desktop", name="F", code="T-NEW", serial="SN-DB"),
        _row(type="ups", name="G", **{"attr:capacity": "many"}),
        _row(type="desktop", name="H", status="broken", quantity="0"),
    ])
    found = {(e.row, e.column) for e in errors}
    assert found == {(2, "type"), (3, "site"), (5, "serial"), (6, "installed_on"),
                     (7, "serial"), (8, "attributes"), (9, "status"), (9, "quantity")}
    messages = {e.column: e.message for e in errors}
    assert "row 4" in messages["serial"] or "another asset" in messages["serial"]


def test_ast10_write_upserts_by_tag_or_serial(world):
    setup = make_setup(world.a)
    old = setup.asset("旧名", serial="SN-9")
    cleaned, errors = _run(world.a, [
        _row(type="ups", name="UPS 甲", code="UPS-1", site="s1", warranty_until="2027-01-01",
             attributes="capacity=120; room=机房"),
        _row(type="desktop", name="新名", serial="SN-9", **{"attr:os": "WIN7"}),
        _row(type="desktop", name="仓库 PC", status="spare"),
    ])
    assert errors == []
    importer = AssetImporter()
    assert importer.write(world.a, cleaned, world.users["manager"]) == 3
    ups = Asset.objects.get(code="UPS-1")
    assert ups.attributes == {"capacity": "120", "room": "机房"}
    assert ups.site == setup.site1 and ups.events.get().kind == "installation"
    old.refresh_from_db()
    assert (old.name, old.attributes) == ("新名", {"os": "WIN7"})
    assert old.events.filter(kind="note", source_kind="import").exists()
    assert Asset.objects.get(name="仓库 PC").site is None
    cleaned, errors = _run(world.a, [_row(type="ups", name="UPS 甲", code="UPS-1", site="s1",
                                          warranty_until="2027-01-01",
                                          attributes="capacity=120; room=机房")])
    assert importer.write(world.a, cleaned, None) == 0  # unchanged row: nothing written
