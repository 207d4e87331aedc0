"""``/api/spare-parts/…`` (SPR-01..03, PLT-01): scoping, movements via services, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weibao.spares import services
from weibao.spares.models import BudgetCap, PartType, RatioRule, StockMovement
from weibao.spares.tests.conftest import make_sites

MOVEMENTS = "/api/spare-parts/movements/"


@pytest.mark.parametrize(("user", "code"), [
    ("manager", 201), ("engineer", 201), ("purchaser", 403), ("supervisor", 403),
    ("site", 403)])
def test_spr02_api_record_permission(api, world, stock, user, code) -> None:
    api.force_authenticate(world.users[user])
    response = api.post(MOVEMENTS, {"kind": "receive", "warehouse": stock.main.pk,
                                    "part_type": stock.reader.pk, "quantity": 2},
                        format="json")
    assert response.status_code == code, response.json()


def test_spr02_api_issue_refused_409_in_error_format(api, world, stock) -> None:
    api.force_authenticate(world.users["engineer"])
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=2)
    response = api.post(MOVEMENTS, {"kind": "issue", "warehouse": stock.main.pk,
                                    "part_type": stock.reader.pk, "quantity": 3,
                                    "reference_kind": "ticket", "reference_id": "T-1"},
                        format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and "cannot issue 3" in body["errors"]["quantity"][0]
    response = api.post(MOVEMENTS, {"kind": "issue", "warehouse": stock.main.pk,
                                    "part_type": stock.reader.pk, "quantity": 2,
                                    "reference_kind": "ticket", "reference_id": "T-1"},
                        format="json")
    assert response.status_code == 201 and response.json()["quantity"] == -2


def test_spr03_api_issue_beyond_cap_needs_proposal(api, world, stock) -> None:
    cap = BudgetCap.objects.create(contract=stock.contract, code="b", name="电池",
                                   base_amount=Decimal("1000"), percent=Decimal("20"))
    cap.part_types.add(stock.battery)
    services.receive(warehouse=stock.main, part_type=stock.battery, quantity=5)
    api.force_authenticate(world.users["manager"])
    payload = {"kind": "issue", "warehouse": stock.main.pk, "part_type": stock.battery.pk,
               "quantity": 1, "reference_kind": "ticket", "reference_id": "T-5"}
    response = api.post(MOVEMENTS, payload, format="json")
    assert response.status_code == 409 and "proposal_reference" in response.json()["errors"]
    response = api.post(MOVEMENTS, {**payload, "proposal_reference": "FA-1"}, format="json")
    assert response.status_code == 201 and response.json()["proposal_reference"] == "FA-1"


def test_spr02_api_transfer_and_bad_input(api, world, stock) -> None:
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=2)
    api.force_authenticate(world.users["manager"])
    response = api.post(MOVEMENTS, {"kind": "transfer", "warehouse": stock.main.pk,
                                    "part_type": stock.reader.pk, "quantity": 1},
                        format="json")
    assert response.status_code == 400 and "destination" in response.json()["errors"]
    response = api.post(MOVEMENTS, {"kind": "transfer", "warehouse": stock.main.pk,
                                    "destination": stock.east.pk,
                                    "part_type": stock.reader.pk, "quantity": 1},
                        format="json")
    assert response.status_code == 201 and response.json()["kind"] == "transfer_out"
    response = api.post(MOVEMENTS, {"kind": "receive", "warehouse": stock.main.pk,
                                    "part_type": stock.reader.pk, "quantity": 0},
                        format="json")
    assert response.status_code == 400 and "quantity" in response.json()["errors"]


def test_plt01_api_other_contracts_rows_are_invisible(api, world, stock) -> None:
    other_part = PartType.objects.create(contract=world.b, code="x", name="乙件")
    services.receive(warehouse=stock.other, part_type=other_part, quantity=1)
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=1)
    api.force_authenticate(world.users["manager"])
    assert {r["code"] for r in api.get("/api/spare-parts/part-types/").json()["results"]} == {
        "reader", "desktop", "battery"}
    assert {r["code"] for r in api.get("/api/spare-parts/warehouses/").json()["results"]} == {
        "main", "east"}
    assert api.get(MOVEMENTS).json()["count"] == 1
    response = api.post(MOVEMENTS, {"kind": "receive", "warehouse": stock.other.pk,
                                    "part_type": other_part.pk, "quantity": 1},
                        format="json")
    assert response.status_code == 400
    assert StockMovement.objects.filter(warehouse=stock.other).count() == 1
    assert api.get(f"/api/spare-parts/compliance/{world.b.pk}/").status_code == 404
    api.force_authenticate(world.users["site"])
    assert api.get(MOVEMENTS).status_code == 403
    assert api.get("/api/spare-parts/compliance/").status_code == 403


def test_spr01_api_compliance(api, world, stock) -> None:
    make_sites(stock.contract, stock.outlet, 10)
    RatioRule.objects.create(contract=stock.contract, part_type=stock.reader,
                             site_type=stock.outlet, ratio=Decimal("0.15"))
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=1)
    api.force_authenticate(world.users["supervisor"])
    body = api.get(f"/api/spare-parts/compliance/{stock.contract.pk}/").json()
    reader = next(p for p in body["part_types"] if p["code"] == "reader")
    assert reader == {**reader, "required": 2, "on_hand": 1, "shortfall": 1, "status": "short"}
    listed = api.get("/api/spare-parts/compliance/").json()
    assert [c["contract"] for c in listed] == [stock.contract.pk]
