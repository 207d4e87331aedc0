"""API of the work a ticket produces (TKT-06..09): scoped (PLT-01), the error format, 409 on
an illegal state."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from weibao.core.choices import Role
from weibao.spares.models import StockMovement
from weibao.testing.factories import UserFactory
from weibao.tickets.choices import TicketState
from weibao.tickets.models import Ticket
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.work_helpers import SIGNATURE, restored, stocked, submitted


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.pdf
def test_tkt06_fault_report_draft_submit_approve(ca: Setup):
    ticket = restored(ca)
    engineer = client_for(ca.people["engineer"])
    base = f"/api/tickets/{ticket.pk}/fault-report"
    assert engineer.get(base).status_code == 404
    put = engineer.put(base, {"cause": "积灰", "actions": "清洁"}, format="json")
    assert put.status_code == 200 and put.json()["status"] == "draft"
    warehouse, part = stocked(ca)
    parts = engineer.post(f"{base}/parts", {"warehouse": warehouse.code, "part_type": part.code,
                                            "quantity": 1}, format="json")
    assert parts.status_code == 201 and parts.json()["quantity"] == 1
    assert StockMovement.objects.get(reference_id=str(ticket.pk)).reference_kind == "ticket"
    submitted_ = engineer.post(f"{base}/submit", {}, format="json")
    assert submitted_.status_code == 200 and submitted_.json()["status"] == "submitted"
    assert submitted_.json()["movements"][0]["part_type"] == part.code
    again = engineer.post(f"{base}/submit", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert "message" in again.json()
    denied = engineer.post(f"{base}/approve", {"signature": SIGNATURE}, format="json")
    assert denied.status_code == 403
    purchaser = client_for(ca.people["purchaser"])
    bad = purchaser.post(f"{base}/approve", {"signature": "data:image/png;base64,AAAA"},
                         format="json")
    assert bad.status_code == 400 and "signature" in bad.json()["errors"]
    ok = purchaser.post(f"{base}/approve", {"signature": SIGNATURE, "signer_name": "王五"},
                        format="json", HTTP_IDEMPOTENCY_KEY="approve-1")
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["signed"]
    replay = purchaser.post(f"{base}/approve", {"signature": SIGNATURE}, format="json",
                            HTTP_IDEMPOTENCY_KEY="approve-1")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.VERIFIED


@pytest.mark.pdf
def test_tkt06_reject_over_the_api(ca: Setup):
    ticket = submitted(ca)
    purchaser = client_for(ca.people["purchaser"])
    base = f"/api/tickets/{ticket.pk}/fault-report"
    assert purchaser.post(f"{base}/reject", {"reason": ""}, format="json").status_code == 400
    answer = purchaser.post(f"{base}/reject", {"reason": "请补充"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    stale = purchaser.post(f"{base}/approve", {"signature": SIGNATURE, "version": 1},
                           format="json")
    assert stale.status_code == 409


@pytest.mark.pdf
def test_plt01_outsider_gets_404_on_every_work_endpoint(ca: Setup):
    ticket = submitted(ca)
    outsider = client_for(ca.people["outsider"])
    for path in ("fault-report", "satisfaction", "return-visits", "requirement-change"):
        assert outsider.get(f"/api/tickets/{ticket.pk}/{path}").status_code == 404
    assert outsider.post(f"/api/tickets/{ticket.pk}/fault-report/approve",
                         {"signature": SIGNATURE}, format="json").status_code == 404
    assert APIClient().get(f"/api/tickets/{ticket.pk}/fault-report").status_code in (401, 403)


def test_tkt07_satisfaction_and_return_visits_api(ca: Setup):
    ticket = restored(ca)
    purchaser = client_for(ca.people["purchaser"])
    url = f"/api/tickets/{ticket.pk}/satisfaction"
    assert purchaser.get(url).status_code == 404
    assert purchaser.post(url, {"rating": 9}, format="json").status_code == 400
    assert purchaser.post(url, {"rating": 5, "comment": "好"}, format="json").status_code == 201
    assert purchaser.get(url).json()["rating"] == 5
    assert purchaser.post(url, {"rating": 5}, format="json").status_code == 409
    engineer = client_for(ca.people["engineer"])
    assert engineer.post(url, {"rating": 5}, format="json").status_code == 403
    visits = f"/api/tickets/{ticket.pk}/return-visits"
    from django.utils import timezone
    answer = engineer.post(visits, {"visited_at": timezone.now().isoformat(), "method": "电话",
                                    "notes": "正常"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert [v["notes"] for v in purchaser.get(visits).json()] == ["正常"]


def test_tkt08_requirement_change_api(ca: Setup):
    supervisor = UserFactory(organisation=ca.contract.purchaser.organisation,  # type: ignore[union-attr]
                             role=Role.SUPERVISOR)
    ticket = ca.report("2025-10-10 10:00", code="requirement_change")
    manager = client_for(ca.people["manager"])
    url = f"/api/tickets/{ticket.pk}/requirement-change"
    answer = manager.put(url, {"estimate_person_days": "8.0"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["decision"] == "pending"
    assert manager.post(f"{url}/dispute", {"reason": "有争议"}, format="json").status_code == 200
    assert manager.post(f"{url}/decide", {"decision": "included", "note": "x"},
                        format="json").status_code == 403
    decided = client_for(supervisor).post(f"{url}/decide", {"decision": "rejected",
                                                            "note": "不属于维保范围"},
                                          format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "rejected"
    assert client_for(supervisor).post(f"{url}/decide", {"decision": "included", "note": "y"},
                                       format="json").status_code == 409


def test_tkt09_articles_crud_and_search(ca: Setup, outlets: Setup):
    engineer = client_for(ca.people["engineer"])
    body = {"contract": ca.contract.number, "title": "读卡机故障", "problem": "无法读卡",
            "cause": "积灰", "solution": "清洁", "tags": ["读卡机"]}
    created = engineer.post("/api/articles/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    invalid = engineer.post("/api/articles/", {**body, "title": ""}, format="json")
    assert invalid.status_code == 400 and "title" in invalid.json()["errors"]
    assert engineer.post("/api/articles/", {**body, "contract": outlets.contract.number},
                         format="json").status_code == 404
    found = engineer.get("/api/articles/", {"q": "卡机 积灰"}).json()
    assert [a["id"] for a in found["results"]] == [pk]
    assert engineer.get("/api/articles/", {"q": "卡机 密码"}).json()["results"] == []
    patched = engineer.patch(f"/api/articles/{pk}/", {"solution": "清洁磁头"}, format="json")
    assert patched.status_code == 200 and patched.json()["solution"] == "清洁磁头"
    assert client_for(ca.people["purchaser"]).post("/api/articles/", body,
                                                   format="json").status_code == 403
    assert client_for(outlets.people["engineer"]).get(f"/api/articles/{pk}/").status_code == 404
    assert engineer.delete(f"/api/articles/{pk}/").status_code == 403
    assert client_for(ca.people["manager"]).delete(f"/api/articles/{pk}/").status_code == 204
