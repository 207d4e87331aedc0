"""AST-01/02: attribute definitions of asset types and the validation of asset attributes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.assets.services import check_definitions, clean_attributes, update_asset
from weibao.assets.tests.helpers import make_setup


def test_ast01_definitions_are_checked():
    assert check_definitions([{"code": "capacity", "name": "容量", "kind": "decimal",
                               "unit": "KVA"}]) == []
    problems = check_definitions([
        {"code": "Bad", "name": "x", "kind": "string"},
        {"code": "a", "name": "", "kind": "colour"},
        {"code": "c", "name": "c", "kind": "choice"},
        {"code": "d", "name": "d", "kind": "string", "choices": ["x"]},
        {"code": "d", "name": "d", "kind": "string", "extra": 1},
    ])
    text = " | ".join(problems)
    assert "lower-case" in text and "needs a name" in text and "colour" in text
    assert "needs a list of choices" in text and "only choice attributes" in text
    assert "more than once" in text and "unknown keys" in text


@pytest.mark.parametrize(("kind", "raw", "stored"), [
    ("string", 12, "12"),
    ("integer", "42", 42),
    ("decimal", "6.50", "6.5"),
    ("decimal", 300, "300"),
    ("date", "2025-01-31", "2025-01-31"),
    ("boolean", "是", True),
    ("boolean", "false", False),
])
def test_ast02_values_are_stored_canonically(kind, raw, stored):
    definitions = [{"code": "x", "name": "X", "kind": kind}]
    assert clean_attributes(definitions, {"x": raw}) == {"x": stored}


def test_ast02_each_bad_attribute_gets_its_own_message():
    definitions = [{"code": "capacity", "name": "容量", "kind": "decimal", "required": True},
                   {"code": "cells", "name": "节数", "kind": "integer"},
                   {"code": "os", "name": "系统", "kind": "choice", "choices": ["WIN7"]},
                   {"code": "on", "name": "日期", "kind": "date"}]
    with pytest.raises(ValidationError) as exc:
        clean_attributes(definitions, {"cells": "many", "os": "DOS", "on": "2025-13-01",
                                       "colour": "red"})
    messages = exc.value.message_dict["attributes"]
    assert len(messages) == 5
    joined = " | ".join(messages)
    for expected in ("节数 (cells)", "系统 (os)", "日期 (on)", "colour", "容量 (capacity)"):
        assert expected in joined


def test_ast02_asset_attributes_follow_the_type_and_its_ancestors(world):
    setup = make_setup(world.a)
    ups = setup.asset("UPS", setup.ups, attributes={"capacity": "120", "room": "机房"})
    assert ups.attributes == {"capacity": "120", "room": "机房"}
    with pytest.raises(ValidationError) as exc:
        setup.asset("UPS 2", setup.ups, attributes={"room": "机房"})
    assert "容量 (capacity)" in exc.value.message_dict["attributes"][0]
    with pytest.raises(ValidationError):
        update_asset(ups, {"attributes": {"capacity": "lots"}}, None)


def test_ast04_importance_only_for_information_systems(world):
    setup = make_setup(world.a)
    assert setup.asset("系统", setup.system, importance="important").importance == "important"
    with pytest.raises(ValidationError) as exc:
        setup.asset("PC", setup.desktop, importance="important")
    assert "importance" in exc.value.message_dict


def test_ast05_only_lines_have_a_remote_site(world):
    setup = make_setup(world.a)
    line = setup.asset("裸光纤", setup.line, remote_site=setup.site2,
                       attributes={"bandwidth": 1000})
    assert line.remote_site == setup.site2 and line.attributes == {"bandwidth": 1000}
    with pytest.raises(ValidationError):
        setup.asset("PC", setup.desktop, remote_site=setup.site2)


def test_ast02_tag_and_serial_unique_per_contract(world):
    setup = make_setup(world.a)
    setup.asset("A", code="T1", serial="SN1")
    with pytest.raises(ValidationError) as exc:
        setup.asset("B", code="T1", serial="SN1")
    assert set(exc.value.message_dict) == {"code", "serial"}
    other = make_setup(world.b, prefix="b")
    assert other.asset("B", code="T1", serial="SN1").pk  # another contract: allowed


def test_ast02_components_cannot_loop(world):
    setup = make_setup(world.a)
    printer = setup.asset("制卡机")
    sam = setup.asset("SAM 卡", parent=printer)
    with pytest.raises(ValidationError):
        update_asset(printer, {"parent": sam}, None)
