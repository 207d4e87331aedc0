"""PLT-01 (least privilege) for every contract UI page.

Each row of the tables below says which roles of a party organisation may open a page; every
other role gets 403, a person of another organisation gets 404 (contract A does not exist for
them), an anonymous visitor is sent to /login/ and the administrator may do everything.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.conftest import World, login
from weibao.contracts import services
from weibao.contracts.choices import MilestoneTrigger
from weibao.contracts.models import (
    ContractDocument,
    ContractEvent,
    Invoice,
    Payment,
    PerformanceBond,
)
from weibao.contracts.services import MilestoneInput

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
EVERYONE = {*PARTY_ROLES, "admin"}
COMMERCIAL = {"purchaser", "manager", "supervisor", "admin"}  # view milestones, invoices, ...
DOCUMENTS = {"purchaser", "manager", "engineer", "supervisor", "admin"}
WRITERS = {"purchaser", "manager", "admin"}

# Distinctive values that must never reach a role without commercial view permission.
SECRET_MILESTONE = "机密首付款"
SECRET_AMOUNT = "333,300.00"  # 33.33 % of 1,000,000.00
SECRET_INVOICE = "FP-SECRET-0001"
SECRET_DOCUMENT = "保密协议-仅限授权"


@pytest.fixture
def data(world: World, settings, tmp_path) -> World:
    """Contract A with a milestone, an invoice and an uploaded document."""
    settings.MEDIA_ROOT = tmp_path
    milestone = services.save_milestone(world.a, MilestoneInput(
        name=SECRET_MILESTONE, percent=Decimal("33.33"), trigger=MilestoneTrigger.ON_SIGNING))
    services.record_invoice(milestone, number=SECRET_INVOICE,
                            issued_on=datetime.date(2025, 2, 1), amount=Decimal("1000.00"))
    services.upload_document(world.a, doc_type="confidentiality_agreement",
                             title=SECRET_DOCUMENT,
                             upload=SimpleUploadedFile("nda.pdf", b"%PDF-1.4 secret"))
    services.save_milestone(world.b, MilestoneInput(
        name="乙合同付款", percent=Decimal("100"), trigger=MilestoneTrigger.ON_SIGNING))
    return world


def _doc(world: World) -> ContractDocument:
    return world.a.documents.get(title=SECRET_DOCUMENT)


# (url template, roles that get 200). {a} is contract A's pk, {doc} a document of A.
GET_PAGES: list[tuple[str, set[str]]] = [
    ("/contracts/", EVERYONE),
    ("/contracts/{a}/", EVERYONE),
    ("/contracts/{a}/?tab=overview", EVERYONE),
    ("/contracts/{a}/?tab=payments", EVERYONE),  # hidden tabs fall back to overview
    ("/contracts/{a}/?tab=documents", EVERYONE),
    ("/contracts/{a}/?tab=amendments", EVERYONE),
    ("/contracts/{a}/?tab=history", EVERYONE),
    ("/contracts/new/", WRITERS),
    ("/contracts/{a}/edit/", WRITERS),
    ("/contracts/{a}/spec.yaml", {"purchaser", "manager", "supervisor", "admin"}),
    ("/contracts/import/", WRITERS),
    ("/contracts/{a}/party/new/", WRITERS),
    ("/contracts/{a}/contact/new/", WRITERS),
    ("/contracts/{a}/milestone/new/", WRITERS),
    ("/contracts/{a}/bond/new/", {"purchaser", "admin"}),
    ("/contracts/{a}/invoice/new/", {"manager", "admin"}),  # the vendor issues invoices
    ("/contracts/{a}/payment/new/", {"purchaser", "admin"}),  # the purchaser pays
    ("/contracts/{a}/document/new/", WRITERS),
    ("/contracts/{a}/amendment/new/", WRITERS),
    ("/contracts/{a}/documents/{doc}/download/", DOCUMENTS),
]

def _status_mismatches(client, world: World, urls: list[str], expected) -> list[str]:
    """Request every URL; return 'url: got X, expected Y' for each wrong answer."""
    doc = _doc(world).pk
    wrong = []
    for url in urls:
        want = expected(url)
        got = client.get(url.format(a=world.a.pk, doc=doc)).status_code
        if got != want:
            wrong.append(f"{url}: got {got}, expected {want}")
    return wrong


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_plt01_get_page_matrix(client, data: World, role: str):
    """PLT-01: the role's permissions decide 200 or 403 on each page of its own contract
    (one row of GET_PAGES per page)."""
    login(client, data.users[role])
    allowed = dict(GET_PAGES)
    wrong = _status_mismatches(client, data, list(allowed),
                               lambda url: 200 if role in allowed[url] else 403)
    assert wrong == []


CONTRACT_A_URLS = [url for url, _allowed in GET_PAGES if "{a}" in url]


@pytest.mark.parametrize("role", ["outsider", "outsider_manager"])
def test_plt01_other_organisation_gets_404_on_every_page_of_contract_a(client, data: World,
                                                                       role: str):
    """PLT-01: contract A answers exactly like a contract that does not exist."""
    login(client, data.users[role])
    assert _status_mismatches(client, data, CONTRACT_A_URLS, lambda url: 404) == []


def test_plt01_anonymous_is_sent_to_login(client, data: World):
    doc = _doc(data).pk
    for url, _allowed in GET_PAGES:
        response = client.get(url.format(a=data.a.pk, doc=doc))
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


ALL_USERS = sorted(EVERYONE | {"outsider", "outsider_manager"})


def test_plt01_document_delete_matrix(client, data: World):
    """PLT-01: deleting a document needs contracts.delete_contractdocument on a visible
    contract; a refused delete keeps the document."""
    for role in ALL_USERS:
        doc = services.upload_document(data.a, doc_type="other", title=f"待删-{role}",
                                       upload=SimpleUploadedFile("x.txt", b"x"))
        login(client, data.users[role])
        response = client.post(f"/contracts/{data.a.pk}/documents/{doc.pk}/delete/")
        exists = ContractDocument.objects.filter(pk=doc.pk).exists()
        if role in WRITERS:
            assert response.status_code == 302, role
            assert response["Location"] == f"/contracts/{data.a.pk}/?tab=documents"
            assert not exists, role
        else:
            assert response.status_code == (404 if role.startswith("outsider") else 403), role
            assert exists, role


def test_plt01_anonymous_document_delete_redirects_and_keeps_the_document(client, data: World):
    doc = _doc(data)
    response = client.post(f"/contracts/{data.a.pk}/documents/{doc.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert ContractDocument.objects.filter(pk=doc.pk).exists()


def test_plt01_outsider_cannot_reach_a_document_of_a_through_their_own_contract(client,
                                                                                data: World):
    """The document id is looked up inside the URL's contract: B's URL with A's document is
    404, never A's file."""
    login(client, data.users["outsider"])
    doc = _doc(data)
    assert client.get(f"/contracts/{data.b.pk}/documents/{doc.pk}/download/").status_code == 404
    assert client.post(f"/contracts/{data.b.pk}/documents/{doc.pk}/delete/").status_code == 404
    assert ContractDocument.objects.filter(pk=doc.pk).exists()


def test_plt01_document_download_serves_the_file_to_allowed_roles(client, data: World):
    login(client, data.users["engineer"])
    response = client.get(f"/contracts/{data.a.pk}/documents/{_doc(data).pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert "attachment" in response["Content-Disposition"]


# --- forbidden writes write nothing ----------------------------------------------------------

def _invoice_post(world: World, role: str) -> dict[str, str]:
    return {"milestone": str(world.a.milestones.get().pk), "number": f"FP-{role}",
            "issued_on": "2025-03-01", "amount": "100.00", "notes": ""}


def _payment_post(world: World, role: str) -> dict[str, str]:
    milestone = world.a.milestones.get()
    invoice = services.record_invoice(milestone, number=f"FP-PAY-{role}",
                                      issued_on=datetime.date(2025, 2, 1), amount=Decimal("10"))
    return {"milestone": str(milestone.pk), "invoice": str(invoice.pk),
            "paid_on": "2025-03-01", "amount": "10.00", "reference": ""}


def _bond_post(world: World, role: str) -> dict[str, str]:
    return {"percent": "10", "form": "支票", "status": "expected", "received_on": "",
            "returned_on": "", "reference": ""}


def _event_post(world: World, role: str) -> dict[str, str]:
    # A deliverable per role, so each allowed POST records a new event (PAY-01).
    return {"kind": "deliverable_accepted", "occurred_on": "2025-11-05", "factor": "",
            "penalties": "", "amount": "", "year": "", "deliverable": f"report-{role}",
            "note": ""}


# (kind, POST body builder, model counted, roles allowed)
WRITE_CASES = [
    ("invoice", _invoice_post, Invoice, {"manager", "admin"}),
    ("payment", _payment_post, Payment, {"purchaser", "admin"}),
    ("bond", _bond_post, PerformanceBond, {"purchaser", "admin"}),
    ("event", _event_post, ContractEvent, {"purchaser", "admin"}),
]


@pytest.mark.parametrize(("kind", "body", "model", "allowed"), WRITE_CASES,
                         ids=[c[0] for c in WRITE_CASES])
def test_plt01_record_post_matrix(client, data: World, kind, body, model, allowed):
    """PLT-01: the purchaser cannot record invoices, the vendor manager cannot record payments;
    a refused POST writes nothing."""
    for role in sorted(EVERYONE):
        login(client, data.users[role])
        post = body(data, role)
        before = model.objects.count()
        response = client.post(f"/contracts/{data.a.pk}/{kind}/new/", post)
        if role in allowed:
            assert response.status_code == 302, (role, response.content.decode()[:2000])
            assert model.objects.count() == before + 1, role
        else:
            assert response.status_code == 403, role
            assert model.objects.count() == before, role


# --- tabs --------------------------------------------------------------------------------------

# Tabs each role sees; any other requested tab silently falls back to the overview.
VISIBLE_TABS = {
    "purchaser": ["overview", "payments", "documents", "amendments", "history"],
    "manager": ["overview", "payments", "documents", "amendments", "history"],
    "supervisor": ["overview", "payments", "documents", "amendments", "history"],
    "admin": ["overview", "payments", "documents", "amendments", "history"],
    "engineer": ["overview", "documents", "amendments", "history"],
    "site": ["overview", "history"],
}
ALL_TABS = ["overview", "payments", "documents", "amendments", "history"]


@pytest.mark.parametrize("role", sorted(VISIBLE_TABS))
def test_plt01_tab_shown_or_falls_back_to_overview(client, data: World, role: str):
    login(client, data.users[role])
    for tab in [*ALL_TABS, "nonsense"]:
        response = client.get(f"/contracts/{data.a.pk}/?tab={tab}")
        assert response.status_code == 200
        assert [key for key, _label in response.context["tabs"]] == VISIBLE_TABS[role]
        expected = tab if tab in VISIBLE_TABS[role] else "overview"
        assert response.context["tab"] == expected, tab


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role", ["engineer", "site"])
def test_plt01_hidden_payments_tab_leaks_no_amounts(client, data: World, role: str, htmx: bool):
    """PLT-01: requesting ?tab=payments without commercial permission shows the overview
    and none of the milestone, invoice or amount data."""
    login(client, data.users[role])
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"/contracts/{data.a.pk}/?tab=payments", headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (SECRET_MILESTONE, SECRET_AMOUNT, SECRET_INVOICE, 'data-testid="milestones"',
                   'data-testid="invoices"'):
        assert secret not in html
    assert 'data-testid="contract-amount"' in html  # the overview was rendered instead


def test_plt01_payments_tab_shows_the_schedule_to_commercial_roles(client, data: World):
    login(client, data.users["supervisor"])
    html = client.get(f"/contracts/{data.a.pk}/?tab=payments").content.decode()
    assert SECRET_MILESTONE in html and SECRET_AMOUNT in html and SECRET_INVOICE in html


def test_plt01_hidden_documents_tab_leaks_no_document_titles(client, data: World):
    login(client, data.users["site"])
    html = client.get(f"/contracts/{data.a.pk}/?tab=documents").content.decode()
    assert SECRET_DOCUMENT not in html
    assert 'data-testid="documents"' not in html


@pytest.mark.parametrize("role", ["engineer", "site"])
def test_plt01_history_tab_hides_commercial_entries(client, data: World, role: str):
    login(client, data.users[role])
    html = client.get(f"/contracts/{data.a.pk}/?tab=history").content.decode()
    assert 'data-testid="history"' in html
    assert SECRET_INVOICE not in html
    assert SECRET_MILESTONE not in html


# --- list and home -----------------------------------------------------------------------------

def _numbers(html: str) -> set[str]:
    return set(re.findall(r'data-contract="([^"]+)"', html))


MY_CONTRACTS = {
    "purchaser": {"A-001"},
    "manager": {"A-001"},
    "engineer": {"A-001"},
    "supervisor": {"A-001"},
    "site": {"A-001"},
    "outsider": {"B-001"},
    "outsider_manager": {"B-001"},
    "admin": {"A-001", "B-001"},
}


@pytest.mark.parametrize("role", sorted(MY_CONTRACTS))
def test_plt01_contract_list_and_home_show_exactly_my_contracts(client, data: World, role: str):
    """PLT-01: list, list searches and the home page show only the user's contracts; the
    homes that list contracts (purchaser, vendor manager, supervisor) list exactly the user's,
    the others none; the payments-due card is on the purchaser's home only, for roles that
    may view milestones (issue 16's role homes)."""
    from weibao.core.selectors import home_kind

    user = data.users[role]
    login(client, user)
    mine = MY_CONTRACTS[role]
    response = client.get("/contracts/")
    assert response.status_code == 200
    assert _numbers(response.content.decode()) == mine
    for query in ("q=B-001", "q=合同乙", "q=A-001", f"organisation={data.orgs['P2'].pk}",
                  f"organisation={data.orgs['P1'].pk}", "year=2025"):
        html = client.get(f"/contracts/?{query}").content.decode()
        assert _numbers(html) <= mine, query

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    kind = home_kind(user)
    assert _numbers(html) == (mine if kind in ("purchaser", "manager", "supervisor")
                              else set())
    if "A-001" not in mine:
        assert "合同甲" not in html and SECRET_MILESTONE not in html
    payments = kind == "purchaser" and user.has_perm("contracts.view_paymentmilestone")
    assert ('data-testid="payments-due"' in html) is payments
    assert (SECRET_MILESTONE in html) is (payments and "A-001" in mine)
    assert ("乙合同付款" in html) is (payments and "B-001" in mine)


def test_plt01_home_requires_login(client, data: World):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
