"""The assessment cycle over the API (ASM-01, ASM-06, PAY-03): seed 001's final assessment
entered by hand with a proof, reviewed, confirmed, decided and finalised — score 80 pays
90 %; a final assessment refuses to be computed again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from weibao.assessment.choices import AssessmentStatus, LineStatus
from weibao.assessment.tests.conftest import Setup
from weibao.assessment.tests.helpers import client_for, proof_file, whole_period

ASSESSMENTS = "/api/assessment/assessments/"
LINES = "/api/assessment/lines/"
POINTS = {"daily-maintenance": "18", "responsiveness": "8", "completion-rate": "16",
          "satisfaction-rate": "16", "attendance": "25"}


def _enter_all(client: Any, assessment: dict[str, Any]) -> dict[int, str]:
    codes = {}
    for line in assessment["lines"]:
        code = line["item"]["code"]
        codes[line["id"]] = code
        body: dict[str, Any] = {"points": POINTS[code], "note": "按月度考核表"}
        if code == "attendance":
            body["proof"] = proof_file()
            answer = client.post(f"{LINES}{line['id']}/enter/", body, format="multipart")
        else:
            answer = client.post(f"{LINES}{line['id']}/enter/", body, format="json")
        assert answer.status_code == 200, answer.json()
    return codes


def test_cycle_end_to_end(onsite: Setup) -> None:
    """ASM-06 / PAY-03: seed 001, the vendor disputes attendance (25), the supervisor
    decides 22: 80 points, factor 90 %, frozen with its SM3 digest."""
    purchaser = client_for(onsite.people["purchaser"])
    manager = client_for(onsite.people["manager"])
    supervisor = client_for(onsite.people["supervisor"])
    assessment = whole_period(purchaser, onsite.contract)
    pk = assessment["id"]
    codes = _enter_all(purchaser, assessment)
    attendance = next(pk for pk, code in codes.items() if code == "attendance")
    line = purchaser.get(f"{LINES}{attendance}/").json()
    assert line["manual"] is True
    assert line["proof_url"].endswith(f"/lines/{attendance}/proof/")
    assert line["entered_by"] == onsite.people["purchaser"].username
    assert purchaser.get(line["proof_url"]).status_code == 200

    for line_id in codes:
        agree = line_id != attendance
        answer = manager.post(f"{LINES}{line_id}/review/", {
            "agree": agree, "comment": "" if agree else "出勤率应为满分"}, format="json")
        assert answer.status_code == 200, answer.json()
    reviewed = manager.post(f"{ASSESSMENTS}{pk}/submit-review/", {}, format="json")
    assert reviewed.json()["status"] == AssessmentStatus.VENDOR_REVIEWED

    confirmed = purchaser.post(f"{ASSESSMENTS}{pk}/confirm/",
                               {"notes": {str(attendance): "以门禁记录为准"}}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    early = purchaser.post(f"{ASSESSMENTS}{pk}/finalise/", {}, format="json")
    assert early.status_code == 409

    decided = supervisor.post(f"{LINES}{attendance}/decide/",
                              {"points": "22", "decision": "按门禁记录核定 22 分"}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == LineStatus.DECIDED
    assert decided.json()["vendor_comment"] == "出勤率应为满分"
    assert decided.json()["purchaser_note"] == "以门禁记录为准"

    final = purchaser.post(f"{ASSESSMENTS}{pk}/finalise/", {}, format="json").json()
    assert final["status"] == AssessmentStatus.FINAL
    assert Decimal(final["score"]) == Decimal(80)
    assert Decimal(final["factor"]) == Decimal(90)
    assert final["digest_algorithm"] and len(final["digest"]) == 64
    again = purchaser.post(f"{ASSESSMENTS}{pk}/compute/", {}, format="json")
    assert again.status_code == 409
    settled = manager.get(f"{ASSESSMENTS}{pk}/settlement/").json()
    assert settled["projected"] is False
    assert Decimal(settled["final_price"]) == Decimal("392400.00")
    assert settled["milestones"]


def test_create_errors(onsite: Setup) -> None:
    """A period outside the service period is 400 on its field; a final assessment must
    cover the whole period; a second one for the same period is 409."""
    purchaser = client_for(onsite.people["purchaser"])
    body = {"contract": onsite.contract.number, "period_start": "2021-01-01",
            "period_end": "2021-12-31"}
    outside = purchaser.post(ASSESSMENTS, body, format="json")
    assert outside.status_code == 400
    assert "period_start" in outside.json()["errors"]
    partial = purchaser.post(ASSESSMENTS, {**body, "period_start": "2022-02-01",
                                           "period_end": "2022-06-30", "is_final": True},
                             format="json")
    assert partial.status_code == 400
    ok = {**body, "period_start": "2022-02-01", "period_end": "2022-06-30"}
    assert purchaser.post(ASSESSMENTS, ok, format="json").status_code == 201
    assert purchaser.post(ASSESSMENTS, ok, format="json").status_code == 409
    unknown = purchaser.post(ASSESSMENTS, {**ok, "contract": "nope"}, format="json")
    assert unknown.status_code == 404


def test_stale_version_is_409(onsite: Setup) -> None:
    """Two purchasers: the second one's stale version answers 409 with the current one."""
    purchaser = client_for(onsite.people["purchaser"])
    assessment = whole_period(purchaser, onsite.contract)
    line = assessment["lines"][0]["id"]
    stale = purchaser.post(f"{LINES}{line}/enter/", {"points": "10", "note": "x",
                                                     "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == assessment["version"]
    ok = purchaser.post(f"{LINES}{line}/enter/", {"points": "10", "note": "x",
                                                  "version": assessment["version"]},
                        format="json")
    assert ok.status_code == 200
    missing = purchaser.post(f"{LINES}{line}/enter/", {"points": "10"}, format="json")
    assert missing.status_code == 400


def test_line_evidence_lists_the_records(onsite: Setup) -> None:
    """Every computed line links to its evidence; a manual line has none."""
    purchaser = client_for(onsite.people["purchaser"])
    assessment = whole_period(purchaser, onsite.contract)
    for line in assessment["lines"]:
        answer = purchaser.get(line["evidence_url"])
        assert answer.status_code == 200
        assert answer.json()["records"] == []
