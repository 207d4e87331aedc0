"""Spare-parts pages: compliance, stock, ledger (filters, export), forms, budget, standby,
and who may see and do what (PLT-01)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from weibao.conftest import login
from weibao.sites.models import Site
from weibao.spares import services
from weibao.spares.choices import ReferenceKind
from weibao.spares.models import BudgetCap, PartType, RatioRule, StandbyLoan, StockMovement
from weibao.spares.tests.conftest import make_sites


@pytest.fixture
def filled(stock):
    make_sites(stock.contract, stock.outlet, 20)
    RatioRule.objects.create(contract=stock.contract, part_type=stock.reader,
                             ratio=Decimal("0.15"))
    services.receive(warehouse=stock.main, part_type=stock.reader, quantity=2)
    services.issue(warehouse=stock.main, part_type=stock.reader, quantity=1,
                   reference_kind=ReferenceKind.TICKET, reference_id="GD-0001")
    return stock


@pytest.mark.parametrize(("user", "code"), [
    ("manager", 200), ("engineer", 200), ("purchaser", 200), ("supervisor", 200),
    ("site", 403), ("outsider", 404), ("admin", 200)])
def test_spr01_compliance_page_access(client, world, filled, user, code) -> None:
    login(client, world.users[user])
    response = client.get(reverse("spares:compliance", args=[filled.contract.pk]))
    assert response.status_code == code


def test_spr01_compliance_page_shows_shortfall(client, world, filled) -> None:
    login(client, world.users["purchaser"])
    response = client.get(reverse("spares:compliance", args=[filled.contract.pk]))
    html = response.content.decode()
    assert 'data-part-type="reader" data-status="short"' in html  # ceil(3) required, 1 on hand
    assert "15% × 20" in html
    assert 'data-part-type="battery" data-status="none"' in html


def test_index_opens_the_only_contract_and_nav_shows_spare_parts(client, world, filled) -> None:
    login(client, world.users["engineer"])
    response = client.get(reverse("spares:index"))
    assert response.status_code == 302
    assert response.url == reverse("spares:compliance", args=[filled.contract.pk])
    page = client.get(response.url).content.decode()
    assert reverse("spares:index") in page


@pytest.mark.parametrize("name", ["stock", "budget", "standby"])
def test_contract_pages_render(client, world, filled, name) -> None:
    BudgetCap.objects.create(contract=filled.contract, code="c", name="电池上限",
                             base_amount=Decimal("10000"), percent=Decimal("20"))
    login(client, world.users["supervisor"])
    response = client.get(reverse(f"spares:{name}", args=[filled.contract.pk]))
    assert response.status_code == 200


def test_spr02_ledger_is_scoped_and_filtered(client, world, filled) -> None:
    other = services.receive(warehouse=filled.other, quantity=1,
                             part_type=PartType.objects.create(contract=world.b, code="x",
                                                               name="乙件"))
    login(client, world.users["purchaser"])
    html = client.get(reverse("spares:movements")).content.decode()
    assert f'data-movement="{other.pk}"' not in html
    assert html.count("data-movement=") == 2
    html = client.get(reverse("spares:movements"), {"reference": "GD-0001"}).content.decode()
    assert html.count("data-movement=") == 1
    html = client.get(reverse("spares:movements"), {"kind": "receive"}).content.decode()
    assert html.count("data-movement=") == 1


def test_spr02_ledger_export_xlsx_is_scoped(client, world, filled) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    login(client, world.users["purchaser"])
    response = client.get(reverse("spares:movements"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 movements of contract A


def test_spr02_record_issue_form_refuses_with_message(client, world, filled) -> None:
    login(client, world.users["engineer"])
    url = reverse("spares:record", args=[filled.contract.pk, "issue"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"warehouse": filled.main.pk, "part_type": filled.reader.pk,
                                 "quantity": 5, "reference_kind": "ticket",
                                 "reference_id": "GD-2"})
    assert response.status_code == 400
    assert "cannot issue 5" in response.content.decode()
    response = client.post(url, {"warehouse": filled.main.pk, "part_type": filled.reader.pk,
                                 "quantity": 1, "reference_kind": "ticket",
                                 "reference_id": "GD-2"})
    assert response.status_code == 302
    assert StockMovement.objects.filter(reference_id="GD-2", actor=world.users["engineer"]) \
        .exists()


@pytest.mark.parametrize("kind", ["receive", "return_faulty", "scrap", "transfer", "adjust"])
def test_spr02_every_movement_form_records(client, world, filled, kind) -> None:
    login(client, world.users["manager"])
    data = {"warehouse": filled.main.pk, "part_type": filled.reader.pk, "quantity": 1,
            "condition": "new", "delta": -1, "reason": "盘点", "destination": filled.east.pk,
            "reference_kind": "visit", "reference_id": "XJ-1"}
    response = client.post(reverse("spares:record", args=[filled.contract.pk, kind]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("user", ["purchaser", "supervisor", "site"])
def test_spr02_viewers_cannot_record(client, world, filled, user) -> None:
    login(client, world.users[user])
    response = client.post(reverse("spares:record", args=[filled.contract.pk, "receive"]),
                           {"warehouse": filled.main.pk, "part_type": filled.reader.pk,
                            "quantity": 1, "condition": "new"})
    assert response.status_code == 403


def test_spr02_warehouse_of_another_contract_is_not_a_choice(client, world, filled) -> None:
    login(client, world.users["manager"])
    response = client.post(reverse("spares:record", args=[filled.contract.pk, "receive"]),
                           {"warehouse": filled.other.pk, "part_type": filled.reader.pk,
                            "quantity": 1, "condition": "new"})
    assert response.status_code == 400
    assert not StockMovement.objects.filter(warehouse=filled.other).exists()


def test_spr04_lend_and_return_standby_in_the_ui(client, world, filled) -> None:
    site = Site.objects.filter(contract=filled.contract).first()
    login(client, world.users["engineer"])
    url = reverse("spares:standby", args=[filled.contract.pk])
    response = client.post(url, {"site": site.pk, "warehouse": filled.main.pk,
                                 "part_type": filled.reader.pk, "faulty_device": "SN-1"})
    assert response.status_code == 302
    loan = StandbyLoan.objects.get()
    response = client.post(url, {"return": loan.pk, "condition": "faulty"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.return_movement.condition == "faulty"
