"""Behaviour of /api/contracts/: create, validation errors, filters, pagination, ordering,
OpenAPI schema, query count, and the audit history (CON-01, CON-02, PLT-01, PLT-03)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from weibao.conftest import World
from weibao.contracts.choices import ContractStatus
from weibao.contracts.models import Contract, ContractParty
from weibao.testing.factories import PASSWORD, make_contract


def as_user(api: APIClient, world: World, role: str) -> APIClient:
    api.force_authenticate(world.users[role])
    return api


def body(world: World, **changes: Any) -> dict[str, Any]:
    data = {"number": "API-001", "title": "接口新建合同", "amount": "1663800.00",
            "signed_on": "2025-12-20", "start_date": "2026-01-01", "end_date": "2026-12-31",
            "purchaser": world.orgs["P1"].pk, "vendor": world.orgs["V1"].pk,
            "supervisor": world.orgs["S1"].pk}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- create ------------------------------------------------------------------------------------

def test_con01_create_contract_with_its_parties(api, world: World):
    as_user(api, world, "manager")
    response = api.post("/api/contracts/", body(world))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == "API-001" and data["amount"] == "1663800.00"
    roles = {(p["role"], p["organisation"]) for p in data["parties"]}
    assert roles == {("purchaser", world.orgs["P1"].pk), ("vendor", world.orgs["V1"].pk),
                     ("supervisor", world.orgs["S1"].pk)}
    contract = Contract.objects.get(number="API-001")
    assert contract.parties.count() == 3
    assert api.get(f"/api/contracts/{contract.pk}/").status_code == 200  # creator sees it


def test_plt01_creator_organisation_must_be_a_party(api, world: World):
    as_user(api, world, "purchaser")  # P1 creating a P2/V2 contract
    response = api.post("/api/contracts/", body(world, purchaser=world.orgs["P2"].pk,
                                                vendor=world.orgs["V2"].pk, supervisor=None))
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert "must be a party" in error["message"] or "必须" in error["message"]
    assert not Contract.objects.filter(number="API-001").exists()
    assert ContractParty.objects.count() == 6  # only the world's parties


def test_plt01_administrator_may_create_any_contract(api, world: World):
    as_user(api, world, "admin")
    response = api.post("/api/contracts/", body(world, purchaser=world.orgs["P2"].pk,
                                                vendor=world.orgs["V2"].pk, supervisor=None))
    assert response.status_code == 201, response.json()


def test_con01_duplicate_number_is_a_field_error(api, world: World):
    as_user(api, world, "manager")
    response = api.post("/api/contracts/", body(world, number="A-001"))
    assert response.status_code == 400
    error = response.json()
    assert set(error) >= {"message", "code", "errors"}
    assert list(error["errors"]) == ["number"]
    assert "A-001" in error["errors"]["number"][0]
    assert Contract.objects.filter(number="A-001").count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"end_date": "2025-12-31"}, "end_date"),
    ({"amount": "-1.00"}, "amount"),
    ({"title": None}, "title"),
    ({"purchaser": None}, "purchaser"),
    ({"vendor": "__P1__"}, "vendor"),  # a purchaser organisation as vendor
])
def test_con01_create_validation_errors_name_the_field(api, world: World, changes, field):
    as_user(api, world, "manager")
    if changes.get("vendor") == "__P1__":
        changes = {"vendor": world.orgs["P1"].pk}
    response = api.post("/api/contracts/", body(world, **changes))
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Contract.objects.filter(number="API-001").exists()


def test_con02_patch_end_before_start_is_refused(api, world: World):
    as_user(api, world, "purchaser")
    response = api.patch(f"/api/contracts/{world.a.pk}/", {"end_date": "2024-12-31"})
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"], response.json()
    world.a.refresh_from_db()
    assert world.a.end_date == datetime.date(2025, 12, 31)


def test_con01_patch_cannot_change_the_number(api, world: World):
    as_user(api, world, "purchaser")
    response = api.patch(f"/api/contracts/{world.a.pk}/", {"number": "HIJACK", "title": "改"})
    assert response.status_code == 200
    world.a.refresh_from_db()
    assert (world.a.number, world.a.title) == ("A-001", "改")


def test_con01_amount_is_exact_to_the_fen(api, world: World):
    as_user(api, world, "purchaser")
    response = api.patch(f"/api/contracts/{world.a.pk}/", {"amount": "100.005"})
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    response = api.patch(f"/api/contracts/{world.a.pk}/", {"amount": "100.05"})
    assert response.status_code == 200 and response.json()["amount"] == "100.05"


# --- list: filters, pagination, ordering -------------------------------------------------------

@pytest.fixture
def many(world: World) -> World:
    """Extra contracts of P1/V1 (administrator sees all, purchaser the P1 ones)."""
    p1, v1, p2, v2 = (world.orgs[k] for k in ("P1", "V1", "P2", "V2"))
    make_contract(p1, v1, number="C-2024", title="二〇二四年运维", amount=Decimal("300.00"),
                  start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 12, 31))
    make_contract(p1, v1, number="C-2026", title="二〇二六年运维", amount=Decimal("100.00"),
                  start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
                  status=ContractStatus.DRAFT)
    make_contract(p2, v2, number="C-OTHER", title="他人运维", amount=Decimal("200.00"),
                  start_date=datetime.date(2024, 7, 1), end_date=datetime.date(2026, 6, 30))
    return world


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["number"] for row in response.json()["results"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("q=运维", {"C-2024", "C-2026", "C-OTHER"}),
    ("q=a-00", {"A-001"}),
    ("status=draft", {"C-2026"}),
    ("organisation=P2", {"B-001", "C-OTHER"}),
    ("organisation=V1&party_role=vendor", {"A-001", "C-2024", "C-2026"}),
    ("organisation=V1&party_role=purchaser", set()),
    ("in_force_on=2024-08-01", {"C-2024", "C-OTHER"}),
    ("in_force_on=2026-03-01", {"C-2026", "C-OTHER"}),
    ("year=2024", {"C-2024", "C-OTHER"}),
    ("year=2026", {"C-2026", "C-OTHER"}),
    ("year=2025&status=signed", {"A-001", "B-001", "C-OTHER"}),
])
def test_list_filters(api, many: World, query: str, expected: set[str]):
    as_user(api, many, "admin")
    for key in ("P1", "P2", "V1"):
        query = query.replace(f"organisation={key}", f"organisation={many.orgs[key].pk}")
    assert set(numbers(api.get(f"/api/contracts/?{query}"))) == expected


def test_list_filters_are_applied_within_the_users_scope(api, many: World):
    as_user(api, many, "purchaser")
    assert set(numbers(api.get("/api/contracts/?q=运维"))) == {"C-2024", "C-2026"}
    assert set(numbers(api.get("/api/contracts/?year=2024"))) == {"C-2024"}


def test_list_invalid_filter_value_is_a_field_error(api, many: World):
    as_user(api, many, "admin")
    response = api.get("/api/contracts/?in_force_on=not-a-date")
    assert response.status_code == 400
    assert "in_force_on" in response.json()["errors"]


def test_list_pagination_shape(api, many: World):
    as_user(api, many, "admin")
    first = api.get("/api/contracts/?page_size=2&ordering=number").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None and "page=2" in first["next"]
    last = api.get("/api/contracts/?page_size=2&ordering=number&page=3").json()
    assert [r["number"] for r in last["results"]] == ["C-OTHER"]
    assert last["next"] is None
    assert api.get("/api/contracts/?page_size=2&page=9").status_code == 404


@pytest.mark.parametrize(("ordering", "expected"), [
    ("number", ["A-001", "B-001", "C-2024", "C-2026", "C-OTHER"]),
    ("-amount", ["A-001", "B-001", "C-2024", "C-OTHER", "C-2026"]),
    ("end_date,number", ["C-2024", "A-001", "B-001", "C-OTHER", "C-2026"]),
])
def test_list_ordering(api, many: World, ordering: str, expected: list[str]):
    as_user(api, many, "admin")
    assert numbers(api.get(f"/api/contracts/?ordering={ordering}")) == expected


def test_list_default_ordering_is_newest_start_first(api, many: World):
    as_user(api, many, "admin")
    assert numbers(api.get("/api/contracts/")) == ["C-2026", "A-001", "B-001", "C-OTHER",
                                                   "C-2024"]


def test_openapi_schema_lists_the_contracts_endpoints(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/contracts/" in schema["paths"]
    assert "/api/contracts/{id}/milestones/" in schema["paths"]


def _list_queries(api: APIClient, count: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/api/contracts/?page_size=100")
    assert response.status_code == 200 and response.json()["count"] == count
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_number_of_contracts(api, world: World):
    as_user(api, world, "purchaser")
    p1, v1, s1 = world.orgs["P1"], world.orgs["V1"], world.orgs["S1"]
    for i in range(2):
        make_contract(p1, v1, supervisor=s1, number=f"N-{i}")
    small = _list_queries(api, 3)
    for i in range(2, 14):
        contract = make_contract(p1, v1, supervisor=s1, number=f"N-{i}",
                                 previous=Contract.objects.get(number=f"N-{i - 1}"))
        contract.parties.first().contacts.create(name=f"联系人{i}")
    assert _list_queries(api, 15) == small


# --- PLT-03: history ---------------------------------------------------------------------------

def test_plt03_history_shows_actor_and_changed_fields_after_a_patch(api, client, world: World):
    client.force_login(world.users["purchaser"])
    response = client.patch(f"/api/contracts/{world.a.pk}/", {"title": "新标题"},
                            content_type="application/json")
    assert response.status_code == 200
    as_user(api, world, "supervisor")
    entries = api.get(f"/api/contracts/{world.a.pk}/history/").json()
    [update] = [e for e in entries
                if e["model"] == "contract" and e["changes"].get("title", [""])[0] == "合同甲"]
    assert update["actor"] == "purchaser"
    assert update["changes"]["title"] == ["合同甲", "新标题"]
    assert update["object_id"] == str(world.a.pk)


def test_plt03_history_records_the_actor_of_a_token_request(api, world: World):
    token = api.post("/api/auth/token/", {"username": "purchaser",
                                          "password": PASSWORD}).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.patch(f"/api/contracts/{world.a.pk}/", {"title": "令牌修改"}).status_code == 200
    entries = client.get(f"/api/contracts/{world.a.pk}/history/").json()
    [update] = [e for e in entries if e["changes"].get("title", [""])[0] == "合同甲"]
    assert update["actor"] == "purchaser"


def test_plt03_history_covers_the_parts_of_the_contract(api, world: World):
    as_user(api, world, "manager")
    api.post(f"/api/contracts/{world.a.pk}/milestones/",
             {"name": "首付款", "percent": "50", "trigger": "on_signing"})
    entries = api.get(f"/api/contracts/{world.a.pk}/history/").json()
    assert "paymentmilestone" in {e["model"] for e in entries}
    other = api.get(f"/api/contracts/{world.b.pk}/history/")
    assert other.status_code == 404


# --- service errors through the API ------------------------------------------------------------

def test_con03_api_upload_of_a_disguised_file_is_a_field_error(api, world: World, settings,
                                                              tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    as_user(api, world, "purchaser")
    fake = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n0000")
    response = api.post(f"/api/contracts/{world.a.pk}/documents/",
                        {"doc_type": "tender", "title": "招标文件", "file": fake},
                        format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()["errors"]
    assert not world.a.documents.exists()


def test_pay02_api_payment_without_invoice_is_a_field_error(api, world: World):
    as_user(api, world, "manager")
    api.post(f"/api/contracts/{world.a.pk}/milestones/",
             {"name": "首付款", "percent": "50", "trigger": "on_signing"})
    milestone = world.a.milestones.get()
    as_user(api, world, "purchaser")
    response = api.post(f"/api/contracts/{world.a.pk}/payments/",
                        {"milestone": milestone.pk, "paid_on": "2025-03-01",
                         "amount": "500000.00"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["invoice"]
    assert not milestone.payments.exists()


def test_pay01_api_milestones_over_100_percent_is_a_field_error(api, world: World):
    as_user(api, world, "manager")
    url = f"/api/contracts/{world.a.pk}/milestones/"
    first = api.post(url, {"name": "首付款", "percent": "70", "trigger": "on_signing"})
    assert first.status_code == 201
    assert first.json()[0]["amount"] == "700000.00"
    response = api.post(url, {"name": "尾款", "percent": "30.01", "trigger": "on_signing"})
    assert response.status_code == 400
    assert "percent" in response.json()["errors"]
    assert world.a.milestones.count() == 1


def test_api_milestone_of_another_contract_is_refused(api, world: World):
    """An invoice posted on A for a milestone of B must not be written."""
    from weibao.contracts import services

    other = services.save_milestone(world.b, services.MilestoneInput(
        name="乙", percent=Decimal("100"), trigger="on_signing"))
    as_user(api, world, "manager")
    response = api.post(f"/api/contracts/{world.a.pk}/invoices/",
                        {"milestone": other.pk, "number": "X-1", "issued_on": "2025-03-01",
                         "amount": "10.00"})
    assert response.status_code == 400
    assert "milestone" in response.json()["errors"]
    assert not other.invoices.exists()
