"""The permission matrix of ``/api/assessment/…`` (PLT-01, ASM-06): the vendor cannot
confirm, compute or enter; the purchaser cannot comment for the vendor nor decide; the
supervisor decides; the vendor's engineer sees the ledger only; an outsider sees nothing
(404, as if it did not exist)."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.assessment.tests.conftest import Setup
from weibao.assessment.tests.helpers import client_for, late_report_breaches, whole_period

ASSESSMENTS = "/api/assessment/assessments/"
LINES = "/api/assessment/lines/"
BREACHES = "/api/assessment/breaches/"


@pytest.fixture
def reviewed(onsite: Setup) -> dict[str, Any]:
    """Seed 001's final assessment, every line entered, one disputed, review submitted."""
    purchaser = client_for(onsite.people["purchaser"])
    assessment = whole_period(purchaser, onsite.contract)
    lines = [line["id"] for line in assessment["lines"]]
    for line in lines:
        assert purchaser.post(f"{LINES}{line}/enter/", {"points": "10", "note": "考核表"},
                              format="json").status_code == 200
    manager = client_for(onsite.people["manager"])
    for line in lines:
        manager.post(f"{LINES}{line}/review/", {"agree": line != lines[0],
                                                "comment": "有异议"}, format="json")
    assert manager.post(f"{ASSESSMENTS}{assessment['id']}/submit-review/", {},
                        format="json").status_code == 200
    return {"id": assessment["id"], "lines": lines}


def test_vendor_cannot_confirm_compute_or_enter(onsite: Setup,
                                               reviewed: dict[str, Any]) -> None:
    """ASM-06: confirming, computing and entering are the purchaser's."""
    manager = client_for(onsite.people["manager"])
    pk, line = reviewed["id"], reviewed["lines"][0]
    assert manager.post(f"{ASSESSMENTS}{pk}/confirm/", {}, format="json").status_code == 403
    assert manager.post(f"{ASSESSMENTS}{pk}/compute/", {}, format="json").status_code == 403
    assert manager.post(f"{ASSESSMENTS}{pk}/finalise/", {}, format="json").status_code == 403
    assert manager.post(f"{LINES}{line}/enter/", {"points": "20", "note": "x"},
                        format="json").status_code == 403
    assert manager.post(ASSESSMENTS, {"contract": onsite.contract.number,
                                      "period_start": "2022-02-01",
                                      "period_end": "2022-03-31"},
                        format="json").status_code == 403
    assert manager.get(f"{ASSESSMENTS}{pk}/").status_code == 200


def test_purchaser_cannot_edit_the_vendors_comment_nor_decide(
        onsite: Setup, reviewed: dict[str, Any]) -> None:
    """ASM-06: the vendor's comment is the vendor's; a dispute is the supervisor's."""
    purchaser = client_for(onsite.people["purchaser"])
    line = reviewed["lines"][0]
    assert purchaser.post(f"{LINES}{line}/review/", {"agree": True, "comment": "改掉"},
                          format="json").status_code == 403
    assert purchaser.post(f"{ASSESSMENTS}{reviewed['id']}/submit-review/", {},
                          format="json").status_code == 403
    assert purchaser.post(f"{LINES}{line}/decide/", {"points": "5", "decision": "x"},
                          format="json").status_code == 403
    assert purchaser.get(f"{LINES}{line}/").json()["vendor_comment"] == "有异议"


def test_supervisor_decides_and_nothing_else(onsite: Setup, reviewed: dict[str, Any]) -> None:
    supervisor = client_for(onsite.people["supervisor"])
    pk, line = reviewed["id"], reviewed["lines"][0]
    assert supervisor.post(f"{ASSESSMENTS}{pk}/confirm/", {}, format="json").status_code == 403
    assert supervisor.post(f"{LINES}{line}/review/", {"agree": True},
                           format="json").status_code == 403
    decided = supervisor.post(f"{LINES}{line}/decide/", {"points": "8", "decision": "核定"},
                              format="json")
    assert decided.status_code == 200, decided.json()
    other = supervisor.post(f"{LINES}{reviewed['lines'][1]}/decide/",
                            {"points": "8", "decision": "核定"}, format="json")
    assert other.status_code == 409  # an agreed line is not decided


def test_engineer_sees_the_ledger_only(outlets: Setup) -> None:
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    engineer = client_for(outlets.people["engineer"])
    assert engineer.get(BREACHES).json()["count"] == 1
    assert engineer.get(ASSESSMENTS).status_code == 403
    assert engineer.post(f"{BREACHES}{breach.pk}/dispute/", {"reason": "x"},
                         format="json").status_code == 403


def test_breach_steps_by_role(outlets: Setup) -> None:
    """The vendor disputes, never waives; the purchaser waives, never disputes or decides;
    the supervisor decides, never waives."""
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    url = f"{BREACHES}{breach.pk}/"
    body = {"reason": "x", "upheld": False}
    purchaser = client_for(outlets.people["purchaser"])
    manager = client_for(outlets.people["manager"])
    supervisor = client_for(outlets.people["supervisor"])
    assert manager.post(f"{url}waive/", body, format="json").status_code == 403
    assert manager.post(f"{url}confirm/", body, format="json").status_code == 403
    assert purchaser.post(f"{url}dispute/", body, format="json").status_code == 403
    assert purchaser.post(f"{url}decide/", body, format="json").status_code == 403
    assert supervisor.post(f"{url}waive/", body, format="json").status_code == 403
    assert manager.post(f"{url}dispute/", body, format="json").status_code == 200
    assert purchaser.post(f"{url}confirm/", {}, format="json").status_code == 409
    assert supervisor.post(f"{url}decide/", body, format="json").status_code == 200
    assert manager.post(f"{BREACHES}apply-penalty/", {}, format="json").status_code == 403


def test_outsider_gets_404(onsite: Setup, reviewed: dict[str, Any]) -> None:
    """PLT-01: another organisation's records do not exist for the caller."""
    outsider = client_for(onsite.people["outsider"])
    pk, line = reviewed["id"], reviewed["lines"][0]
    assert outsider.get(ASSESSMENTS).json()["count"] == 0
    assert outsider.get(f"{ASSESSMENTS}{pk}/").status_code == 404
    assert outsider.get(f"{ASSESSMENTS}{pk}/settlement/").status_code == 404
    assert outsider.get(f"{LINES}{line}/").status_code == 404
    assert outsider.post(f"{LINES}{line}/review/", {"agree": True},
                         format="json").status_code == 404
    assert outsider.get("/api/assessment/schemes/").json()["count"] == 0
    assert client_for(None).get(ASSESSMENTS).status_code in (401, 403)
