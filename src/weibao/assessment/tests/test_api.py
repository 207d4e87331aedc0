"""``/api/assessment/…`` (ASM-01..06, PAY-03): schemes, the breach ledger with its filters,
evidence and steps, and the errors (400 by field, 403, 409 with the version)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from weibao.assessment.choices import BreachSource, BreachStatus
from weibao.assessment.models import Breach
from weibao.assessment.tests.conftest import Setup
from weibao.assessment.tests.helpers import client_for, late_report_breaches, penalty_rule

BREACHES = "/api/assessment/breaches/"


def test_schemes_list_the_contracts_scheme_with_items(onsite: Setup) -> None:
    """ASM-01: seed 001's weighted scheme, its items and points, read-only."""
    answer = client_for(onsite.people["purchaser"]).get("/api/assessment/schemes/")
    assert answer.status_code == 200
    [scheme] = answer.json()["results"]
    assert scheme["contract"] == onsite.contract.number
    assert scheme["method"] == "score"
    assert sum(Decimal(item["points"]) for item in scheme["items"]) == Decimal(100)
    put = client_for(onsite.people["purchaser"]).put(
        f"/api/assessment/schemes/{scheme['id']}/", {}, format="json")
    assert put.status_code == 405


def test_breach_list_filters_and_evidence(outlets: Setup) -> None:
    """ASM-03: the ledger filtered by source, status and month; a late report's breach
    links to its report, its penalty is 1 % of the contract."""
    first, second = late_report_breaches(outlets.contract,
                                         ["2025-10-22 00:00", "2025-11-22 00:00"])
    client = client_for(outlets.people["purchaser"])
    rows = client.get(BREACHES, {"contract": outlets.contract.pk}).json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[0]["evidence_url"] == f"/reports/submissions/{second.submission_id}/"
    assert Decimal(rows[0]["penalty_amount"]) == Decimal("16638.00")
    assert client.get(BREACHES, {"month": "2025-10"}).json()["count"] == 1
    assert client.get(BREACHES, {"start": "2025-11-01", "end": "2025-11-30"}).json()[
        "count"] == 1
    assert client.get(BREACHES, {"source": BreachSource.SLA}).json()["count"] == 0
    assert client.get(BREACHES, {"status": BreachStatus.RECORDED}).json()["count"] == 2
    bad = client.get(BREACHES, {"month": "2025-13"})
    assert bad.status_code == 400
    detail = client.get(f"{BREACHES}{first.pk}/").json()
    assert detail["submission"] == first.submission_id
    assert detail["version"] == 1


def test_dispute_then_supervisor_decides(outlets: Setup) -> None:
    """ASM-06: the vendor's manager disputes with a reason, the supervisor upholds it."""
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    manager = client_for(outlets.people["manager"])
    answer = manager.post(f"{BREACHES}{breach.pk}/dispute/",
                          {"reason": "报告已按时邮件提交", "version": 1}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == BreachStatus.DISPUTED
    decided = client_for(outlets.people["supervisor"]).post(
        f"{BREACHES}{breach.pk}/decide/", {"upheld": True, "reason": "邮件晚于截止时间"},
        format="json")
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["status"] == BreachStatus.CONFIRMED
    assert body["decided_by"] == outlets.people["supervisor"].username


def test_waive_keeps_the_row_and_drops_its_penalty(outlets: Setup) -> None:
    """ASM-03: a waived breach stays in the ledger but no longer counts."""
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    answer = client_for(outlets.people["purchaser"]).post(
        f"{BREACHES}{breach.pk}/waive/", {"reason": "系统故障导致"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == BreachStatus.WAIVED
    assert answer.json()["counts"] is False
    assert Breach.objects.filter(pk=breach.pk).exists()


def test_errors_400_409(outlets: Setup) -> None:
    """A missing reason is 400 on its field; a stale version or a state that does not
    allow the step is 409 with the current version."""
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    manager = client_for(outlets.people["manager"])
    missing = manager.post(f"{BREACHES}{breach.pk}/dispute/", {"reason": ""}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()["errors"]
    stale = manager.post(f"{BREACHES}{breach.pk}/dispute/", {"reason": "x", "version": 7},
                         format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 1
    assert manager.post(f"{BREACHES}{breach.pk}/dispute/", {"reason": "x"},
                        format="json").status_code == 200
    again = manager.post(f"{BREACHES}{breach.pk}/dispute/", {"reason": "x"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_apply_penalty_within_the_rule(outlets: Setup, settings: Any) -> None:
    """ASM-04: a penalty by clause within its rule's range (1–5 %), else 400 on percent."""
    rule = penalty_rule(outlets.contract)
    client = client_for(outlets.people["purchaser"])
    body = {"contract": outlets.contract.number, "rule": rule.code, "percent": "2",
            "occurred_at": "2025-10-10T08:30:00+08:00", "description": "收受礼品",
            "reason": "监理通报"}
    out = client.post(f"{BREACHES}apply-penalty/", {**body, "percent": "9"}, format="json")
    assert out.status_code == 400
    assert "percent" in out.json()["errors"]
    unknown = client.post(f"{BREACHES}apply-penalty/", {**body, "rule": "nope"},
                          format="json")
    assert unknown.status_code == 400
    made = client.post(f"{BREACHES}apply-penalty/", body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["source"] == BreachSource.OTHER
    assert Decimal(made.json()["penalty_amount"]) == Decimal("33276.00")
    assert made.json()["penalty_rule"] == rule.code
