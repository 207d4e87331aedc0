"""PLT-01 (least privilege) for the REST API, with the JSON error format {message, code, errors}.

Same world as the UI tests: contract A (P1, V1, S1, O1) and contract B (P2, V2).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from weibao.conftest import World
from weibao.contracts import services
from weibao.contracts.choices import MilestoneTrigger
from weibao.contracts.models import (
    Amendment,
    Contract,
    ContractDocument,
    ContractParty,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.services import MilestoneInput
from weibao.core.models import Organisation
from weibao.testing.factories import PASSWORD

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
EVERYONE = {*PARTY_ROLES, "admin"}
OUTSIDERS = ["outsider", "outsider_manager"]
COMMERCIAL = {"purchaser", "manager", "supervisor", "admin"}
DOCUMENTS = {"purchaser", "manager", "engineer", "supervisor", "admin"}
WRITERS = {"purchaser", "manager", "admin"}


def as_user(api: APIClient, world: World, role: str) -> APIClient:
    api.force_authenticate(world.users[role])
    return api


def assert_error_format(response: Any, code: str | None = None) -> None:
    body = response.json()
    assert set(body) >= {"message", "code", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    if code is not None:
        assert body["code"] == code, body


@pytest.fixture
def data(world: World, settings, tmp_path) -> World:
    """A: milestone 1 (50 %, invoiced 500,000.00, unpaid), milestone 2 (30 %), a document."""
    settings.MEDIA_ROOT = tmp_path
    first = services.save_milestone(world.a, MilestoneInput(
        name="首付款", percent=Decimal("50"), trigger=MilestoneTrigger.ON_SIGNING))
    services.save_milestone(world.a, MilestoneInput(
        name="二期", percent=Decimal("30"), trigger=MilestoneTrigger.ON_SIGNING))
    services.record_invoice(first, number="INV-1", issued_on=datetime.date(2025, 2, 1),
                            amount=Decimal("500000.00"))
    services.upload_document(world.a, doc_type="tender", title="招标文件",
                             upload=SimpleUploadedFile("t.pdf", b"%PDF-1.7 tender"))
    return world


def _doc(world: World) -> int:
    return world.a.documents.get().pk


# --- reads -------------------------------------------------------------------------------------

# (path under /api/contracts/{a}/, roles that get 200)
READS: list[tuple[str, set[str]]] = [
    ("", EVERYONE),
    ("milestones/", COMMERCIAL),
    ("bonds/", COMMERCIAL),
    ("invoices/", COMMERCIAL),
    ("payments/", COMMERCIAL),
    ("documents/", DOCUMENTS),
    ("documents/{doc}/download/", DOCUMENTS),
    ("amendments/", DOCUMENTS),
    ("history/", EVERYONE),
    ("spec/", {"purchaser", "manager", "supervisor", "admin"}),
]


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_plt01_api_read_matrix(api, data: World, role: str):
    """PLT-01: each GET on contract A answers 200 or 403 by the role's permissions."""
    as_user(api, data, role)
    wrong = []
    for path, allowed in READS:
        url = f"/api/contracts/{data.a.pk}/" + path.format(doc=_doc(data))
        response = api.get(url)
        want = 200 if role in allowed else 403
        if response.status_code != want:
            wrong.append(f"{path}: got {response.status_code}, expected {want}")
        elif want == 403:
            assert_error_format(response, "permission_denied")
    assert wrong == []


@pytest.mark.parametrize("role", OUTSIDERS)
def test_plt01_api_other_organisation_gets_404(api, data: World, role: str):
    as_user(api, data, role)
    for path, _allowed in READS:
        response = api.get(f"/api/contracts/{data.a.pk}/" + path.format(doc=_doc(data)))
        assert response.status_code == 404, path
        assert_error_format(response, "not_found")
    assert api.patch(f"/api/contracts/{data.a.pk}/", {"title": "x"}).status_code == 404
    data.a.refresh_from_db()
    assert data.a.title == "合同甲"


@pytest.mark.parametrize("role", sorted(EVERYONE | set(OUTSIDERS)))
def test_plt01_api_list_shows_exactly_my_contracts(api, data: World, role: str):
    as_user(api, data, role)
    response = api.get("/api/contracts/")
    assert response.status_code == 200
    numbers = {row["number"] for row in response.json()["results"]}
    expected = {"A-001", "B-001"} if role == "admin" else (
        {"B-001"} if role in OUTSIDERS else {"A-001"})
    assert numbers == expected
    for query in ("q=A-001", "q=B-001", f"organisation={data.orgs['P1'].pk}",
                  f"organisation={data.orgs['P2'].pk}", "year=2025"):
        response = api.get(f"/api/contracts/?{query}")
        if response.status_code == 400:  # an organisation the user never meets is no choice
            assert list(response.json()["errors"]) == ["organisation"], query
            continue
        rows = response.json()["results"]
        assert {row["number"] for row in rows} <= expected, query


def test_plt01_api_anonymous_is_refused_with_the_error_format(api, data: World):
    urls = ["/api/contracts/", f"/api/contracts/{data.a.pk}/"] + [
        f"/api/contracts/{data.a.pk}/" + path.format(doc=_doc(data)) for path, _r in READS]
    urls += ["/api/organisations/", "/api/users/"]
    for url in urls:
        response = api.get(url)
        assert response.status_code in (401, 403), url
        assert_error_format(response, "not_authenticated")
    response = api.post("/api/contracts/", {"number": "X"})
    assert response.status_code in (401, 403)
    assert_error_format(response, "not_authenticated")
    for action in ("validate", "import"):
        response = api.post(f"/api/contract-spec/{action}/", {"text": "spec_version: 1"})
        assert response.status_code in (401, 403), action
        assert_error_format(response, "not_authenticated")


# --- writes ------------------------------------------------------------------------------------

def _milestone(world: World, role: str) -> dict[str, Any]:
    return {"name": f"尾款-{role}", "percent": "1", "trigger": "on_signing"}


def _bond(world: World, role: str) -> dict[str, Any]:
    return {"percent": "10", "form": "支票"}


def _invoice(world: World, role: str) -> dict[str, Any]:
    second = world.a.milestones.get(sequence=2)
    return {"milestone": second.pk, "number": f"INV-{role}", "issued_on": "2025-03-01",
            "amount": "1000.00"}


def _payment(world: World, role: str) -> dict[str, Any]:
    second = world.a.milestones.get(sequence=2)
    invoice = services.record_invoice(second, number=f"PAY-{role}",
                                      issued_on=datetime.date(2025, 2, 1), amount=Decimal("10"))
    return {"milestone": second.pk, "invoice": invoice.pk, "paid_on": "2025-03-01",
            "amount": "10.00"}


def _amendment(world: World, role: str) -> dict[str, Any]:
    return {"title": f"补充协议-{role}", "signed_on": "2025-06-01", "summary": "延期"}


# (action, body builder, model counted, roles allowed)
WRITES = [
    ("milestones", _milestone, PaymentMilestone, WRITERS),
    ("bonds", _bond, PerformanceBond, {"purchaser", "admin"}),
    ("invoices", _invoice, Invoice, {"manager", "admin"}),
    ("payments", _payment, Payment, {"purchaser", "admin"}),
    ("amendments", _amendment, Amendment, WRITERS),
]
ALL_USERS = sorted(EVERYONE | set(OUTSIDERS))


@pytest.mark.parametrize(("action", "body", "model", "allowed"), WRITES,
                         ids=[w[0] for w in WRITES])
def test_plt01_api_write_matrix(api, data: World, action, body, model, allowed):
    """PLT-01: only the vendor issues invoices and only the purchaser records payments;
    a refused write changes nothing."""
    for role in ALL_USERS:
        as_user(api, data, role)
        post = body(data, role)
        before = model.objects.count()
        response = api.post(f"/api/contracts/{data.a.pk}/{action}/", post)
        if role in allowed:
            assert response.status_code == 201, (role, response.json())
            assert model.objects.count() == before + 1, role
        else:
            assert response.status_code == (404 if role in OUTSIDERS else 403), role
            assert_error_format(response)
            assert model.objects.count() == before, role


def test_plt01_api_document_upload_matrix(api, data: World):
    for role in ALL_USERS:
        as_user(api, data, role)
        upload = SimpleUploadedFile("bid.pdf", b"%PDF-1.7 bid")
        response = api.post(f"/api/contracts/{data.a.pk}/documents/",
                            {"doc_type": "bid", "title": f"投标文件-{role}", "file": upload},
                            format="multipart")
        created = ContractDocument.objects.filter(title=f"投标文件-{role}").exists()
        if role in WRITERS:
            assert response.status_code == 201, (role, response.json())
            assert created, role
        else:
            assert response.status_code == (404 if role in OUTSIDERS else 403), role
            assert not created, role


def test_plt01_api_patch_matrix(api, data: World):
    for role in ALL_USERS:
        as_user(api, data, role)
        response = api.patch(f"/api/contracts/{data.a.pk}/", {"title": f"改名-{role}"})
        data.a.refresh_from_db()
        if role in WRITERS:
            assert response.status_code == 200, (role, response.json())
            assert data.a.title == f"改名-{role}"
        else:
            assert response.status_code == (404 if role in OUTSIDERS else 403), role
            assert_error_format(response)
            assert data.a.title != f"改名-{role}"


def _create_body(world: World, number: str) -> dict[str, Any]:
    return {"number": number, "title": "新合同", "amount": "1000.00",
            "start_date": "2026-01-01", "end_date": "2026-12-31",
            "purchaser": world.orgs["P1"].pk, "vendor": world.orgs["V1"].pk}


def test_plt01_api_create_matrix(api, data: World):
    for role in sorted(EVERYONE):
        as_user(api, data, role)
        response = api.post("/api/contracts/", _create_body(data, f"NEW-{role}"))
        created = Contract.objects.filter(number=f"NEW-{role}").exists()
        if role in WRITERS:
            assert response.status_code == 201, (role, response.json())
            assert created, role
        else:
            assert response.status_code == 403, role
            assert_error_format(response, "permission_denied")
            assert not created, role


@pytest.mark.parametrize("role", ["engineer", "site"])
def test_plt01_api_history_hides_commercial_entries(api, data: World, role: str):
    as_user(api, data, role)
    response = api.get(f"/api/contracts/{data.a.pk}/history/")
    assert response.status_code == 200
    models = {entry["model"] for entry in response.json()}
    assert "contract" in models
    assert not models & {"paymentmilestone", "invoice", "payment", "performancebond"}
    assert "INV-1" not in response.content.decode()


def test_plt01_api_patch_previous_cannot_point_to_an_invisible_contract(api, data: World):
    as_user(api, data, "purchaser")
    response = api.patch(f"/api/contracts/{data.a.pk}/", {"previous": data.b.pk})
    assert response.status_code == 400
    assert "previous" in response.json()["errors"]
    data.a.refresh_from_db()
    assert data.a.previous_id is None


# --- organisations and users: administrators only ----------------------------------------------

def test_plt01_api_organisations_and_users_are_for_administrators(api, data: World):
    """Only administrators manage organisations and users; everyone else gets 403."""
    org_pk, user_pk = data.orgs["P1"].pk, data.users["purchaser"].pk
    calls = [
        ("get", "/api/organisations/", None),
        ("get", f"/api/organisations/{org_pk}/", None),
        ("post", "/api/organisations/", {"name": "新单位", "code": "new-org",
                                          "kind": "purchaser"}),
        ("patch", f"/api/organisations/{org_pk}/", {"short_name": "改"}),
        ("get", "/api/users/", None),
        ("get", f"/api/users/{user_pk}/", None),
        ("post", "/api/users/", {"username": "newbie", "password": "Zq8#long-enough-pw",
                                 "role": "purchaser_staff", "organisation": org_pk}),
        ("patch", f"/api/users/{user_pk}/", {"first_name": "改"}),
    ]
    for role in [r for r in ALL_USERS if r != "admin"]:
        as_user(api, data, role)
        for method, url, body in calls:
            response = getattr(api, method)(url, body)
            assert response.status_code == 403, (role, method, url)
            assert_error_format(response, "permission_denied")
    assert not Organisation.objects.filter(code="new-org").exists()
    data.orgs["P1"].refresh_from_db()
    assert data.orgs["P1"].short_name == ""
    assert not data.users["purchaser"].__class__.objects.filter(username="newbie").exists()

    as_user(api, data, "admin")
    for method, url, body in calls:
        response = getattr(api, method)(url, body)
        assert response.status_code in (200, 201), (method, url, response.json())
    assert Organisation.objects.filter(code="new-org").exists()


# --- contract spec -----------------------------------------------------------------------------

def test_contract_spec_schema_is_public(api, db):
    response = api.get("/api/contract-spec/schema.json")
    assert response.status_code == 200
    assert "properties" in response.json()


def _spec_yaml(number: str, purchaser: tuple[str, str], vendor: tuple[str, str]) -> str:
    return f"""spec_version: 1
contract:
  number: {number}
  title: 导入合同
  amount: 1000.00
  signed_on: "2025-01-10"
  period: {{start: "2025-01-01", end: "2025-12-31"}}
parties:
  - role: purchaser
    organisation: {{name: {purchaser[0]}, code: {purchaser[1]}, kind: purchaser}}
  - role: vendor
    organisation: {{name: {vendor[0]}, code: {vendor[1]}, kind: vendor}}
"""


P1, V1, P2 = ("甲方一", "p1"), ("乙方一", "v1"), ("甲方二", "p2")


def test_contract_spec_validate_needs_only_authentication(api, data: World):
    for role in sorted(EVERYONE):
        as_user(api, data, role)
        response = api.post("/api/contract-spec/validate/", {"text": _spec_yaml("S-1", P1, V1)})
        assert response.status_code == 200, role
        assert response.json() == {"valid": True, "number": "S-1"}
    assert not Contract.objects.filter(number="S-1").exists()


def test_contract_spec_import_needs_import_permission(api, data: World):
    for role in sorted(EVERYONE):
        as_user(api, data, role)
        number = f"S-{role}"
        response = api.post("/api/contract-spec/import/", {"text": _spec_yaml(number, P1, V1)})
        created = Contract.objects.filter(number=number).exists()
        if role in WRITERS:
            assert response.status_code == 201, (role, response.json())
            assert created, role
        else:
            assert response.status_code == 403, role
            assert_error_format(response, "permission_denied")
            assert not created, role


def test_contract_spec_import_of_a_contract_without_my_organisation_writes_nothing(api,
                                                                                    data: World):
    as_user(api, data, "purchaser")
    orgs, parties = Organisation.objects.count(), ContractParty.objects.count()
    text = _spec_yaml("S-2", ("外单位甲", "ext-p"), ("外单位乙", "ext-v"))
    response = api.post("/api/contract-spec/import/", {"text": text})
    assert response.status_code == 400
    assert_error_format(response, "spec_invalid")
    assert not Contract.objects.filter(number="S-2").exists()
    assert Organisation.objects.count() == orgs
    assert ContractParty.objects.count() == parties


def test_contract_spec_import_cannot_take_over_a_contract_of_another_organisation(api,
                                                                                 world: World):
    as_user(api, world, "outsider")
    response = api.post("/api/contract-spec/import/", {"text": _spec_yaml("A-001", P2, V1)})
    assert response.status_code in (400, 403, 404)
    world.a.refresh_from_db()
    assert world.a.title == "合同甲"
    assert set(world.a.parties.values_list("organisation__code", flat=True)) == {
        "p1", "v1", "s1", "o1"}


# --- token authentication ----------------------------------------------------------------------

def test_token_auth_works_and_keeps_the_scope(api, data: World):
    response = api.post("/api/auth/token/", {"username": "outsider", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get("/api/contracts/")
    assert listing.status_code == 200
    assert [row["number"] for row in listing.json()["results"]] == ["B-001"]
    assert client.get(f"/api/contracts/{data.a.pk}/").status_code == 404


def test_token_auth_with_a_wrong_password_is_refused(api, data: World):
    response = api.post("/api/auth/token/", {"username": "outsider", "password": "wrong"})
    assert response.status_code == 400
    assert_error_format(response, "invalid")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/contracts/")
    assert response.status_code in (401, 403)
    assert_error_format(response, "authentication_failed")
