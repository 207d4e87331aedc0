"""The assessment pages (ASM-03..06, PAY-03): each role sees the pages and only the steps
it may take, the steps post through the services (400 on the form, 409 on a stale
version), another organisation's record is a 404, and the number of queries does not grow
with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from weibao.assessment.choices import BreachStatus
from weibao.assessment.models import Assessment, AssessmentLine, Breach
from weibao.assessment.tests.conftest import Setup
from weibao.assessment.tests.helpers import (
    client_for,
    late_report_breaches,
    penalty_rule,
    proof_file,
    whole_period,
)
from weibao.core.models import User


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_ledger_figures_and_termination_right(outlets: Setup) -> None:
    """ASM-03: five counting breaches of seed 000 give the termination right; the total
    shows the counting penalties (1 % of 1,663,800 each); a waived one drops out."""
    breaches = late_report_breaches(outlets.contract, [f"2025-{m:02d}-22 00:00"
                                                       for m in range(3, 9)])
    client_for(outlets.people["purchaser"]).post(
        f"/api/assessment/breaches/{breaches[0].pk}/waive/", {"reason": "不可抗力"},
        format="json")
    page = browser(outlets.people["purchaser"]).get("/assessment/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="termination-right"' in text
    assert "83,190.00" in text  # 5 × 16,638
    assert 'data-testid="apply-penalty"' not in text  # only once a contract is chosen
    chosen = browser(outlets.people["purchaser"]).get(
        f"/assessment/?contract={outlets.contract.pk}").content.decode()
    assert 'data-testid="apply-penalty"' in chosen
    vendor = browser(outlets.people["manager"]).get(
        f"/assessment/?contract={outlets.contract.pk}").content.decode()
    assert 'data-testid="apply-penalty"' not in vendor


def test_ledger_queries_are_constant(outlets: Setup) -> None:
    late_report_breaches(outlets.contract, ["2025-03-22 00:00", "2025-04-22 00:00"])
    client = browser(outlets.people["purchaser"])
    few = queries(client, "/assessment/")
    late_report_breaches(outlets.contract, [f"2025-{m:02d}-23 00:00" for m in range(5, 12)])
    assert queries(client, "/assessment/") == few


@pytest.mark.parametrize("role,steps", [
    ("manager", {"dispute"}), ("purchaser", {"waive", "confirm"}), ("supervisor", set()),
    ("engineer", set())])
def test_breach_page_steps_per_role(outlets: Setup, role: str, steps: set[str]) -> None:
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    page = browser(outlets.people[role]).get(f"/assessment/breaches/{breach.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="/reports/submissions/{breach.submission_id}/"' in text
    shown = {step for step in ("dispute", "waive", "confirm", "decide")
             if f'data-testid="{step}"' in text}
    assert shown == steps


def test_breach_steps_through_the_page(outlets: Setup) -> None:
    """The vendor disputes on the page (a missing reason is 400 on the form), the
    supervisor decides; an outsider gets 404."""
    [breach] = late_report_breaches(outlets.contract, ["2025-10-22 00:00"])
    manager = browser(outlets.people["manager"])
    url = f"/assessment/breaches/{breach.pk}/"
    empty = manager.post(f"{url}dispute/", {"dispute-reason": "", "dispute-version": 1})
    assert empty.status_code == 400
    done = manager.post(f"{url}dispute/", {"dispute-reason": "已提交", "dispute-version": 1})
    assert done.status_code == 302
    stale = browser(outlets.people["supervisor"]).post(
        f"{url}decide/", {"decide-reason": "x", "decide-upheld": "false",
                          "decide-version": 1})
    assert stale.status_code == 409
    decided = browser(outlets.people["supervisor"]).post(
        f"{url}decide/", {"decide-reason": "x", "decide-upheld": "false",
                          "decide-version": 2})
    assert decided.status_code == 302
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.WAIVED
    assert browser(outlets.people["outsider"]).get(url).status_code == 404
    assert manager.post(f"{url}waive/", {"waive-reason": "x"}).status_code == 403


def test_apply_penalty_page(outlets: Setup) -> None:
    rule = penalty_rule(outlets.contract)
    client = browser(outlets.people["purchaser"])
    url = f"/assessment/contracts/{outlets.contract.pk}/penalty/"
    body: dict[str, Any] = {"rule": rule.pk, "percent": "9", "occurred_at": "2025-10-10T08:30",
                            "description": "收受礼品", "reason": "监理通报"}
    assert client.post(url, body).status_code == 400
    body.update(percent="2", evidence=proof_file("通报.pdf"))
    assert client.post(url, body).status_code == 302
    breach = Breach.objects.get(penalty_rule=rule)
    assert client.get(f"/assessment/breaches/{breach.pk}/evidence/").status_code == 200


@pytest.mark.parametrize("role,steps", [
    ("purchaser", {"compute", "enter-toggle", "report-pdf"}),
    ("manager", {"review-toggle", "submit-review", "report-pdf"}),
    ("supervisor", {"report-pdf"})])
def test_assessment_page_per_role(onsite: Setup, role: str, steps: set[str]) -> None:
    """ASM-06: each role sees the lines and only its own steps on a computed draft."""
    assessment = whole_period(client_for(onsite.people["purchaser"]), onsite.contract)
    page = browser(onsite.people[role]).get(f"/assessment/assessments/{assessment['id']}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('data-line="') == 5
    assert 'data-testid="settlement"' in text
    candidates = ("compute", "enter-toggle", "review-toggle", "submit-review", "confirm",
                  "finalise", "decide", "report-pdf")
    assert {step for step in candidates if f'data-testid="{step}"' in text} == steps


def test_pages_for_every_role_and_outsider(onsite: Setup) -> None:
    assessment = whole_period(client_for(onsite.people["purchaser"]), onsite.contract)
    line = AssessmentLine.objects.filter(assessment_id=assessment["id"]).first()
    assert line is not None
    urls = ["/assessment/", "/assessment/assessments/",
            f"/assessment/contracts/{onsite.contract.pk}/",
            f"/assessment/assessments/{assessment['id']}/",
            f"/assessment/assessments/{assessment['id']}/lines/{line.pk}/evidence/"]
    for role in ("purchaser", "manager", "supervisor"):
        client = browser(onsite.people[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    outsider = browser(onsite.people["outsider"])
    for url in urls[2:]:
        assert outsider.get(url).status_code == 404, url
    assert browser(onsite.people["engineer"]).get(urls[3]).status_code == 403


def test_manual_entry_with_proof_through_the_page(onsite: Setup) -> None:
    """The purchaser enters points with a proof file; the page shows who and the proof."""
    assessment = whole_period(client_for(onsite.people["purchaser"]), onsite.contract)
    line = AssessmentLine.objects.get(assessment_id=assessment["id"], item__code="attendance")
    client = browser(onsite.people["purchaser"])
    base = f"/assessment/assessments/{assessment['id']}/"
    prefix = f"enter-{line.pk}"
    bad = client.post(f"{base}lines/{line.pk}/enter/", {f"{prefix}-points": "20",
                                                        f"{prefix}-version": 2})
    assert bad.status_code == 400
    done = client.post(f"{base}lines/{line.pk}/enter/", {
        f"{prefix}-points": "28", f"{prefix}-note": "门禁记录", f"{prefix}-version": 2,
        f"{prefix}-proof": proof_file()})
    assert done.status_code == 302
    text = client.get(base).content.decode()
    assert 'data-testid="proof-link"' in text
    assert client.get(f"{base}lines/{line.pk}/proof/").status_code == 200
    assert Assessment.objects.get(pk=assessment["id"]).version == 3


def test_assessment_page_queries_are_constant(outlets: Setup) -> None:
    """The page's queries do not grow with the ledger (seed 000, the ledger method)."""
    late_report_breaches(outlets.contract, ["2025-03-22 00:00"])
    assessment = whole_period(client_for(outlets.people["purchaser"]), outlets.contract,
                              final=False)
    client = browser(outlets.people["purchaser"])
    url = f"/assessment/assessments/{assessment['id']}/"
    few = queries(client, url)
    Breach.objects.filter(contract=outlets.contract).delete()
    late_report_breaches(outlets.contract, [f"2025-{m:02d}-23 00:00" for m in range(4, 10)])
    assert queries(client, url) == few


def test_purchaser_decides_at_confirmation_without_a_supervisor(onsite: Setup) -> None:
    """ASM-06: a contract without a supervisor party — the purchaser decides the disputed
    item on the confirmation form (points required, 400 without)."""
    from weibao.contracts.choices import PartyRole

    onsite.contract.parties.filter(role=PartyRole.SUPERVISOR).delete()
    api = client_for(onsite.people["purchaser"])
    assessment = whole_period(api, onsite.contract)
    lines = [line["id"] for line in assessment["lines"]]
    for line in lines:
        api.post(f"/api/assessment/lines/{line}/enter/", {"points": "16", "note": "考核表"},
                 format="json")
    manager = client_for(onsite.people["manager"])
    for line in lines:
        manager.post(f"/api/assessment/lines/{line}/review/",
                     {"agree": line != lines[0], "comment": "有异议"}, format="json")
    manager.post(f"/api/assessment/assessments/{assessment['id']}/submit-review/", {},
                 format="json")
    client = browser(onsite.people["purchaser"])
    url = f"/assessment/assessments/{assessment['id']}/"
    assert 'data-testid="purchaser-decides"' in client.get(url).content.decode()
    version = Assessment.objects.get(pk=assessment["id"]).version
    body = {"confirm-version": version, f"confirm-decision_{lines[0]}": "核定"}
    assert client.post(f"{url}confirm/", body).status_code == 400
    body[f"confirm-points_{lines[0]}"] = "12"
    assert client.post(f"{url}confirm/", body).status_code == 302
    line = AssessmentLine.objects.get(pk=lines[0])
    assert (line.status, line.points, line.decision) == ("decided", 12, "核定")
