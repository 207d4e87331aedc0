"""The emergency pages: each role sees what it may (a vendor engineer of another contract
sees nothing: 404 on a record, empty lists), the drill recorded and the disposal plan
approved through the pages, lists in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.assets.models import Asset
from weibao.core.choices import Role
from weibao.emergency.choices import DisposalPlanStatus, DrillStatus, IncidentPhase, PeriodKind
from weibao.emergency.models import Drill
from weibao.emergency.services.incidents import advance_phase, report_incident, submit_disposal_plan
from weibao.emergency.services.periods import create_period
from weibao.emergency.services.plans import create_plan, issue_version
from weibao.testing.examples import Setup, at
from weibao.testing.factories import UserFactory


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def records(ca: Setup) -> dict[str, int]:
    manager, engineer = ca.people["manager"], ca.people["engineer"]
    system = Asset.objects.get(contract=ca.contract, code="sys-labour")
    plan = create_plan(ca.contract, manager, title="劳动保障系统应急预案", system=system)
    issue_version(plan, manager, {"disposal": "切换备机"})
    incident = report_incident(ca.contract, engineer, title="网页篡改", description="首页被改",
                               discovered_at=at("2025-06-01 09:00"),
                               reported_to=ca.people["purchaser"])
    period = create_period(ca.contract, ca.people["purchaser"], name="国庆保障",
                           kind=PeriodKind.HOLIDAY, starts_on=at("2025-10-01 00:00").date(),
                           ends_on=at("2025-10-07 00:00").date())
    drill = Drill.objects.filter(contract=ca.contract).order_by("pk").first()
    assert drill is not None
    return {"plan": plan.pk, "incident": incident.pk, "period": period.pk, "drill": drill.pk}


PAGES = [("emergency:plans", None), ("emergency:drills", None),
         ("emergency:incidents", None), ("emergency:periods", None),
         ("emergency:plan", "plan"), ("emergency:drill", "drill"),
         ("emergency:incident", "incident"), ("emergency:period", "period")]


@pytest.mark.parametrize(("name", "key"), PAGES)
@pytest.mark.parametrize("person", ["purchaser", "manager", "engineer"])
def test_plt01_parties_see_the_pages(ca: Setup, records: dict[str, int], person: str,
                                     name: str, key: str | None) -> None:
    """EMG-01..04, PLT-01: the contract's purchaser, manager and engineer see every page."""
    url = reverse(name, args=[records[key]] if key else [])
    assert client_for(ca.people[person]).get(url).status_code == 200


@pytest.mark.parametrize(("name", "key"), [p for p in PAGES if p[1]])
def test_plt01_engineer_of_another_contract_sees_nothing(ca: Setup, records: dict[str, int],
                                                         name: str, key: str) -> None:
    """EMG-01..04, PLT-01: a vendor engineer of another organisation gets 404 on each
    record and empty lists."""
    other = UserFactory(username="other-engineer", organisation=ca.people["outsider"].organisation,
                        role=Role.VENDOR_ENGINEER)
    client = client_for(other)
    assert client.get(reverse(name, args=[records[key]])).status_code == 404
    for page in ("emergency:plans", "emergency:incidents", "emergency:periods"):
        body = client.get(reverse(page)).content.decode()
        assert all(name not in body for name in ("劳动保障系统应急预案", "网页篡改", "国庆保障"))
    assert "sys-labour" not in client.get(reverse("emergency:drills")).content.decode()
    assert not client.get(reverse("emergency:drills")).context["months"]


def test_plt01_site_staff_have_no_emergency_pages(ca: Setup, records: dict[str, int]) -> None:
    staff = UserFactory(username="ca-site", organisation=ca.people["purchaser"].organisation,
                        role=Role.SITE_STAFF)
    assert client_for(staff).get(reverse("emergency:plans")).status_code == 403
    assert client_for(staff).get(reverse("emergency:drill",
                                         args=[records["drill"]])).status_code == 403


def test_emg02_record_a_drill_through_the_page(ca: Setup) -> None:
    """EMG-02: the engineer saves the drill, then marks it held with everything filled."""
    drill = Drill.objects.get(contract=ca.contract, system__code="sys-labour", sequence=1)
    engineer = ca.people["engineer"]
    client = client_for(engineer)
    url = reverse("emergency:drill", args=[drill.pk])
    answer = client.post(url, {"version": drill.version, "do": "complete",
                               "scenario": "主库宕机"})
    assert answer.status_code == 400
    assert "script" in answer.context["form"].errors
    drill.refresh_from_db()
    answer = client.post(url, {
        "version": drill.version, "do": "complete", "scenario": "主库宕机", "script": "切换",
        "training": "培训", "record": "恢复用时 30 分钟", "summary": "达到目标",
        "participants": [engineer.pk], "held_at": "2025-05-10T10:00"})
    assert answer.status_code == 302, answer.context and answer.context["form"].errors
    drill.refresh_from_db()
    assert drill.status == DrillStatus.HELD
    page = client.get(url).content.decode()
    assert "达到目标" in page and 'data-testid="drill-complete"' not in page
    stale = client.post(url, {"version": 1, "do": "save", "scenario": "x"})
    assert stale.status_code == 409


def test_emg03_purchaser_approves_through_the_page(ca: Setup, records: dict[str, int]) -> None:
    """EMG-03: the vendor submits the plan; only the purchaser sees approve; after approval
    the engineer may start eradication."""
    engineer, purchaser = ca.people["engineer"], ca.people["purchaser"]
    incident = advance_phase(records["incident"], engineer, IncidentPhase.ASSESSMENT, notes="准备")
    incident = submit_disposal_plan(incident, engineer, "清除并加固")
    url = reverse("emergency:incident", args=[incident.pk])
    assert 'data-testid="plan-approve"' not in client_for(engineer).get(url).content.decode()
    assert client_for(engineer).post(url, {"do": "approve", "version": incident.version}
                                     ).status_code == 403
    client = client_for(purchaser)
    assert 'data-testid="plan-approve"' in client.get(url).content.decode()
    assert client.post(url, {"do": "approve", "version": incident.version}).status_code == 302
    incident.refresh_from_db()
    assert incident.plan_status == DisposalPlanStatus.APPROVED


def test_list_queries_do_not_grow(ca: Setup, records: dict[str, int]) -> None:
    """The drill calendar and the incident list run a fixed number of queries."""
    client = client_for(ca.people["manager"])
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("emergency:drills"))
            client.get(reverse("emergency:incidents"))
        counts.append(len(queries))
        for i in range(5):
            report_incident(ca.contract, ca.people["engineer"], title=f"事件{i}",
                            description="x", discovered_at=at("2025-06-01 09:00"),
                            reported_to=ca.people["purchaser"])
    assert counts[0] == counts[1]


def test_emg01_overdue_review_is_visible(ca: Setup, records: dict[str, int]) -> None:
    """EMG-01: a plan whose review date has passed is marked on the list and on its page,
    and the overdue filter finds it."""
    import datetime

    from django.utils import timezone

    from weibao.emergency.models import EmergencyPlan

    client = client_for(ca.people["purchaser"])
    plans = reverse("emergency:plans")
    assert 'data-testid="overdue"' not in client.get(plans).content.decode()
    EmergencyPlan.objects.filter(pk=records["plan"]).update(
        review_due=timezone.localdate() - datetime.timedelta(days=1))
    assert 'data-testid="overdue"' in client.get(plans).content.decode()
    assert "劳动保障系统应急预案" in client.get(plans, {"overdue": "true"}).content.decode()
    assert "劳动保障系统应急预案" not in client.get(plans, {"overdue": "false"}).content.decode()
    page = client.get(reverse("emergency:plan", args=[records["plan"]])).content.decode()
    assert 'data-testid="overdue"' in page
