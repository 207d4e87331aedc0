"""The contract cockpit (issue 11 item 6): its figures against independent counts, a fixed
number of queries whatever the data size, the projection "if the period ended today" (a range
while manual items are missing), the cache and its invalidation, and who may see the page."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.assessment import cockpit as cp
from weibao.assessment.choices import AssessmentStatus, BreachSource, BreachStatus
from weibao.assessment.models import Assessment, AssessmentLine, Breach, PenaltyRule
from weibao.assessment.tests.conftest import SHANGHAI as BEIJING
from weibao.assessment.tests.conftest import Setup, at
from weibao.contracts.models import Contract
from weibao.tickets.models import Ticket, TicketStage, TicketType

D = Decimal
DAY = datetime.date(2025, 12, 15)


@pytest.fixture(autouse=True)
def _own_cache_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own keys: the cache (Redis in CI) outlives a test's database rows."""
    monkeypatch.setattr(cp, "KEY_PREFIX", f"cockpit-test-{uuid.uuid4().hex}")


def tickets(contract: Contract, n: int, prefix: str = "T") -> list[Ticket]:
    """``n`` tickets over October–December 2025: levels by turn, every third closed, each
    with a respond stage met or (every fourth) breached."""
    kind = TicketType.objects.filter(contract=contract).order_by("pk").first()
    assert kind is not None
    made = Ticket.objects.bulk_create([
        Ticket(contract=contract, number=f"{prefix}{i}", title=f"故障{i}", ticket_type=kind,
               reported_at=at(f"2025-{10 + i % 3}-{1 + i % 27:02d} 09:00"),
               fault_level=("一级", "二级", "三级", "")[i % 4],
               fault_level_override="一级" if i % 7 == 0 else "",
               state="closed" if i % 3 == 0 else "reported",
               closed_at=at(f"2025-{10 + i % 3}-28 10:00") if i % 3 == 0 else None)
        for i in range(n)])
    TicketStage.objects.bulk_create([
        TicketStage(ticket=t, order=1, code="respond", name="响应",
                    status="breached" if i % 4 == 0 else "met",
                    started_at=t.reported_at,
                    stopped_at=t.reported_at + datetime.timedelta(minutes=20))
        for i, t in enumerate(made)])
    return made


def breaches(contract: Contract, statuses: list[str]) -> list[Breach]:
    rule = PenaltyRule.objects.filter(contract=contract).order_by("pk").first()
    if rule is None:
        rule = PenaltyRule.objects.create(contract=contract, code="cockpit-test",
                                          name="测试违约", min_percent=D(1), max_percent=D(5))
    return Breach.objects.bulk_create([
        Breach(contract=contract, source=BreachSource.OTHER, penalty_rule=rule,
               occurred_at=at(f"2025-{10 + i % 3}-10 12:00"), description=f"违约{i}",
               penalty_percent=D(1), penalty_amount=D("100.00") * (i + 1), status=status)
        for i, status in enumerate(statuses)])


def test_figures_match_independent_counts(outlets: Setup) -> None:
    """Issue 11: open tickets by level, SLA attainment, breaches, penalties and the monthly
    trends equal counts made in Python over the rows."""
    contract = outlets.contract
    tickets(contract, 40)
    breaches(contract, [BreachStatus.RECORDED, BreachStatus.CONFIRMED, BreachStatus.WAIVED,
                        BreachStatus.DISPUTED])
    figures = cp.compute(contract, DAY)

    rows = list(Ticket.objects.filter(contract=contract))
    expected_open = Counter((t.fault_level_override or t.fault_level or "—")
                            for t in rows if t.state != "closed")
    assert figures.open_tickets == dict(expected_open)

    start, end = cp.period_of(contract, DAY)
    assert (figures.start, figures.end) == (start, end)
    stages = [s for s in TicketStage.objects.filter(ticket__contract=contract)
              .select_related("ticket")
              if start <= s.ticket.reported_at.astimezone(BEIJING).date() <= end
              and s.status in ("met", "breached")]
    met = sum(1 for s in stages if s.status == "met")
    assert figures.sla["met"] == met
    assert figures.sla["breached"] == len(stages) - met
    assert figures.sla["attainment"] == round(met * 100 / len(stages), 2)

    ledger = [b for b in Breach.objects.filter(contract=contract)
              if b.status != BreachStatus.WAIVED]
    assert figures.breaches["count"] == len(ledger)
    assert figures.breaches["penalties"] == sum((b.penalty_amount for b in ledger), D(0))
    assert figures.breaches["waived"] == 1
    assert figures.breaches["disputed"] == 1

    trends = figures.trends
    assert trends["months"] == ["2025-09", "2025-10", "2025-11", "2025-12"]
    local = [t.reported_at.astimezone(BEIJING) for t in rows]
    for month, count in zip(trends["months"], trends["tickets"], strict=True):
        assert count == sum(1 for t in local if t.strftime("%Y-%m") == month
                            and t.date() <= end)
    by_month = Counter(b.occurred_at.astimezone(BEIJING).strftime("%Y-%m") for b in ledger)
    assert dict(zip(trends["months"], trends["breaches"], strict=True)) == {
        m: by_month.get(m, 0) for m in trends["months"]}
    assert trends["sla"][0] is None  # no ticket in September
    for month, rate in zip(trends["months"][1:], trends["sla"][1:], strict=True):
        month_stages = [s for s in stages
                        if s.ticket.reported_at.astimezone(BEIJING).strftime("%Y-%m") == month]
        month_met = sum(1 for s in month_stages if s.status == "met")
        assert rate == round(month_met * 100 / len(month_stages), 2)


def test_termination_right_at_the_schemes_count(outlets: Setup) -> None:
    """ASM-03 [000 第七条]: at five counting breaches the cockpit shows the termination right
    and the 20 % termination penalty; four (a fifth waived) is not enough."""
    contract = outlets.contract
    made = breaches(contract, [BreachStatus.RECORDED] * 4 + [BreachStatus.WAIVED])
    figures = cp.compute(contract, DAY)
    assert figures.breaches["count"] == 4
    assert not figures.breaches["termination_right"]
    Breach.objects.filter(pk=made[-1].pk).update(status=BreachStatus.RECORDED)
    figures = cp.compute(contract, DAY)
    assert figures.breaches["termination_right"]
    assert figures.breaches["termination_penalty"] == D("332760.00")
    assert figures.projection is not None
    assert figures.projection.factor_low == figures.projection.factor_high == 100


def test_constant_queries(outlets: Setup) -> None:
    """Issue 11: the cockpit aggregates in the database — the same number of queries for 10
    tickets as for 60."""
    tickets(outlets.contract, 10, "A")
    breaches(outlets.contract, [BreachStatus.RECORDED])
    with CaptureQueriesContext(connection) as small:
        cp.compute(outlets.contract, DAY)
    tickets(outlets.contract, 50, "B")
    breaches(outlets.contract, [BreachStatus.RECORDED] * 6)
    with CaptureQueriesContext(connection) as large:
        cp.compute(outlets.contract, DAY)
    assert len(small) == len(large)
    assert len(large) <= 20


def _draft(setup: Setup, points: dict[str, str]) -> Assessment:
    contract = setup.contract
    assessment = Assessment.objects.create(
        contract=contract, period_start=contract.start_date, period_end=contract.end_date,
        status=AssessmentStatus.DRAFT, created_by=setup.people["purchaser"])
    for item in contract.assessment_scheme.items.all():
        entered = item.code in points
        AssessmentLine.objects.create(
            assessment=assessment, item=item, manual=entered,
            points=D(points[item.code]) if entered else None,
            entered_by=setup.people["purchaser"] if entered else None)
    return assessment


def test_projection_is_a_range_until_every_item_is_entered(onsite: Setup) -> None:
    """ASM-01 [001 第一条四]: with nothing entered the projection spans 0–100 points (50 %
    to 100 %) and names the missing items; once the draft holds 80 points it is exact: 90 %,
    392,400 of 436,000 before penalties."""
    contract = onsite.contract
    figures = cp.compute(contract, DAY)
    projection = figures.projection
    assert projection is not None and not projection.exact
    assert (projection.score_low, projection.score_high) == (D(0), D(100))
    assert projection.factor_low == D(50) and projection.factor_high == D(100)
    assert "日常维护" in projection.pending and len(projection.pending) == 5

    _draft(onsite, {"daily-maintenance": "16", "responsiveness": "8", "completion-rate": "16",
                    "satisfaction-rate": "16"})
    projection = cp.compute(contract, DAY).projection
    assert projection is not None
    assert projection.pending == ["驻场工程师日常出勤率"]
    assert (projection.score_low, projection.score_high) == (D(56), D(86))
    assert (projection.factor_low, projection.factor_high) == (D(50), D(100))

    AssessmentLine.objects.filter(item__code="attendance").update(
        points=D(24), manual=True, entered_by=onsite.people["purchaser"])
    figures = cp.compute(contract, DAY)
    projection = figures.projection
    assert projection is not None and projection.exact
    assert projection.score_low == projection.score_high == D(80)
    assert projection.factor_low == projection.factor_high == D(90)
    assert figures.settlement["low"] == figures.settlement["high"] == D("392400.00")


def test_criteria_projection_counts_met_and_unknown(ca: Setup) -> None:
    """ASM-02 [002 §6]: criteria still unknown widen the count met, and the grade, into a
    range; the grades' factors come from the payment bands."""
    projection = cp.compute(ca.contract, DAY).projection
    assert projection is not None and projection.method == "criteria"
    assert projection.met_low is not None and projection.met_high is not None
    assert projection.met_low <= projection.met_high
    assert projection.met_high - projection.met_low == len(projection.pending)
    if projection.rating_high:
        assert projection.factor_high is not None


def test_cache_is_used_and_invalidated(outlets: Setup,
                                       django_assert_num_queries: Any) -> None:
    """The cockpit's figures are cached by contract and day: a second read runs no query; a
    breach entered in the ledger invalidates them; new tickets show on "Recompute" (or when
    the entry expires)."""
    contract = outlets.contract
    tickets(contract, 5)
    first = cp.cockpit(contract, DAY)
    with django_assert_num_queries(0):
        again = cp.cockpit(contract, DAY)
    assert again.computed_at == first.computed_at
    kind = TicketType.objects.filter(contract=contract).first()
    Ticket.objects.create(contract=contract, number="S1", title="新工单", ticket_type=kind,
                          reported_at=at("2025-11-11 11:00"), fault_level="一级")
    assert cp.cockpit(contract, DAY).computed_at == first.computed_at
    rule = PenaltyRule.objects.filter(contract=contract).order_by("pk").first()
    Breach.objects.create(contract=contract, source=BreachSource.OTHER, penalty_rule=rule,
                          occurred_at=at("2025-11-12 12:00"), description="违反廉洁协议",
                          penalty_percent=D(1), penalty_amount=D("16638.00"))
    fresh = cp.cockpit(contract, DAY)
    assert fresh.computed_at > first.computed_at
    assert fresh.breaches["count"] == first.breaches["count"] + 1
    assert fresh.open_tickets["一级"] == first.open_tickets.get("一级", 0) + 1
    assert cp.cockpit(contract, DAY, refresh=True).computed_at > fresh.computed_at
    assert cp.CACHE_SECONDS <= 15 * 60


def test_page_renders_for_the_parties(outlets: Setup, client: Any,
                                      django_assert_max_num_queries: Any) -> None:
    """The cockpit page: the parties see it (Chinese by default), the vendor's engineer has no
    assessment view (403), another organisation's user gets 404; cached, the page runs a
    handful of queries."""
    tickets(outlets.contract, 12)
    url = reverse("assessment:cockpit", args=[outlets.contract.pk])
    for role in ("purchaser", "manager", "supervisor"):
        client.force_login(outlets.people[role])
        response = client.get(url)
        assert response.status_code == 200, role
        body = response.content.decode()
        assert 'data-echarts="cockpit-tickets"' in body
        assert "cockpit.js" in body
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    client.force_login(outlets.people["engineer"])
    assert client.get(url).status_code == 403
    client.force_login(outlets.people["outsider"])
    assert client.get(url).status_code == 404


def test_contract_page_links_the_cockpit(outlets: Setup, client: Any) -> None:
    client.force_login(outlets.people["purchaser"])
    response = client.get(reverse("contracts:detail", args=[outlets.contract.pk]))
    assert reverse("assessment:cockpit", args=[outlets.contract.pk]) in response.content.decode()
