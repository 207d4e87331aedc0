"""Metrics of an assessment against counts made by hand (ASM-01, ASM-02, ASM-05): seed 002's
contract with tickets, SLA stages, ratings, visits, reports and breaches written directly, the
expected figures worked out in the comments, the period's boundaries, an empty period and a
constant number of queries whatever the data size."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.assessment.choices import BreachSource, BreachStatus, Metric
from weibao.assessment.metrics import (
    Measurement,
    evidence,
    measure,
    measure_all,
    working_day_deadlines,
)
from weibao.assessment.models import AssessmentItem, AssessmentScheme, Breach, PenaltyRule
from weibao.contracts.models import Contract
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import MaintenancePlan, Visit
from weibao.reports.models import Deliverable, Submission
from weibao.tickets.choices import TicketCategory
from weibao.tickets.models import Satisfaction, SlaAlert, Ticket, TicketStage, TicketType

from .conftest import Setup, at

NOV = (datetime.date(2025, 11, 1), datetime.date(2025, 11, 30))
EMPTY = (datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))
_number = iter(range(1, 10**6))


def _item(contract: Contract, metric: str, params: dict[str, Any] | None = None
          ) -> AssessmentItem:
    scheme, _ = AssessmentScheme.objects.get_or_create(contract=contract,
                                                      defaults={"method": "criteria"})
    sequence = 200 + scheme.items.count()
    return AssessmentItem.objects.create(scheme=scheme, sequence=sequence,
                                         code=f"m{sequence}", name=metric, metric=metric,
                                         params=params or {})


def _ticket(contract: Contract, kind: str, reported: str, **times: Any) -> Ticket:
    types = TicketType.objects.filter(contract=contract)
    ticket_type = (types.filter(code="requirement_change").first() if kind == "req"
                   else types.filter(category=TicketCategory.FAULT).first())
    assert ticket_type is not None
    fields = {name: at(value) if isinstance(value, str) else value
              for name, value in times.items()}
    return Ticket.objects.create(contract=contract, number=f"M{next(_number)}", title=kind,
                                 ticket_type=ticket_type, reported_at=at(reported), **fields)


def _stage(ticket: Ticket, code: str, status: str, *, kpi: bool = False) -> None:
    TicketStage.objects.create(ticket=ticket, order=0 if code == "respond" else 9, code=code,
                               name=code, status=status, counts_breach=not kpi)


@pytest.fixture
def tickets(ca: Setup) -> dict[str, Ticket]:
    """Seed 002 in November 2025. Working days count in cn-0830-1730 (its SLA's working-day
    targets): 3 working days after Wed 5 Nov end Mon 10 Nov 17:30; 5 end Wed 12 Nov 17:30;
    3 after Sun 30 Nov end Wed 3 Dec 17:30."""
    c = ca.contract
    made = {
        # within 15 minutes exactly; resolved exactly at the 3-working-day deadline; closed
        "f1": _ticket(c, "fault", "2025-11-05 10:00", responded_at="2025-11-05 10:15",
                      resolved_at="2025-11-10 17:30", closed_at="2025-11-11 09:00"),
        # one second late for both
        "f2": _ticket(c, "fault", "2025-11-05 10:00", responded_at="2025-11-05 10:15:01",
                      resolved_at="2025-11-10 17:30:01"),
        # Friday, never responded nor resolved
        "f3": _ticket(c, "fault", "2025-11-07 09:00"),
        # the period's last second; resolved within its deadline (Wed 3 Dec 17:30)
        "f4": _ticket(c, "fault", "2025-11-30 23:59:59", responded_at="2025-12-01 00:00:59",
                      resolved_at="2025-12-01 10:00"),
        # outside the period on either side
        "f5": _ticket(c, "fault", "2025-12-01 00:00", responded_at="2025-12-01 00:01",
                      resolved_at="2025-12-01 01:00"),
        "f6": _ticket(c, "fault", "2025-10-31 23:59:59", responded_at="2025-11-01 00:00",
                      resolved_at="2025-11-01 01:00"),
        # requirements: on time at 5 working days exactly, late, closed without a response
        "r1": _ticket(c, "req", "2025-11-05 10:00", responded_at="2025-11-12 17:30"),
        "r2": _ticket(c, "req", "2025-11-05 10:00", responded_at="2025-11-13 09:00"),
        "r3": _ticket(c, "req", "2025-11-07 11:00", closed_at="2025-11-20 10:00"),
    }
    for key, rating in (("f1", 5), ("f2", 3), ("f4", 4), ("f5", 5)):
        Satisfaction.objects.create(ticket=made[key], rating=rating)
    for key, status in (("f1", "met"), ("f2", "breached"), ("f3", "running"), ("f4", "met"),
                        ("f5", "met"), ("r1", "no_target")):
        _stage(made[key], "respond", status)
    for key, status in (("f1", "met"), ("f2", "breached"), ("f4", "met"), ("f6", "breached")):
        _stage(made[key], "resolve", status, kpi=True)
    _stage(made["r1"], "resolve", "breached")
    return made


def _value(contract: Contract, metric: str, params: dict[str, Any] | None = None,
           period: tuple[datetime.date, datetime.date] = NOV) -> Measurement:
    return measure(_item(contract, metric, params), contract, *period)


def _triple(m: Measurement) -> tuple[Decimal | None, int | None, int | None]:
    return m.value, m.numerator, m.denominator


@pytest.mark.django_db
def test_ticket_metrics_match_hand_counts(ca: Setup, tickets: dict[str, Ticket]) -> None:
    """ASM-02 (seed 002 §6.1 (2), (3), (5)), ASM-01 (seed 001 完成率, 满意率): the period's
    tickets are f1–f4 and r1–r3 (7); f5 and f6 lie outside."""
    c = ca.contract
    # faults responded ≤ 15 min: f1 (exactly 15), f4 → 2 of f1–f4
    assert _triple(_value(c, Metric.RESPONSE_WITHIN, {"minutes": 15,
                                                      "ticket_types": ["fault"]})) == (
        Decimal("50.00"), 2, 4)
    # every type: 2 of 7
    assert _triple(_value(c, Metric.RESPONSE_WITHIN, {"minutes": 15})) == (
        Decimal("28.57"), 2, 7)
    # resolved within 3 working days: f1 (exactly at the deadline), f4 → 2 of 7
    assert _triple(_value(c, Metric.RESOLVED_WITHIN, {"working_days": 3})) == (
        Decimal("28.57"), 2, 7)
    assert _triple(_value(c, Metric.RESOLVED_WITHIN, {"working_days": 3,
                                                      "ticket_types": ["fault"]})) == (
        Decimal("50.00"), 2, 4)
    # requirements (category by default) responded within 5 working days: r1 of r1–r3
    assert _triple(_value(c, Metric.REQUIREMENT_RESPONDED, {"working_days": 5})) == (
        Decimal("33.33"), 1, 3)
    assert _triple(_value(c, Metric.REQUIREMENT_RESPONDED, {
        "working_days": 5, "ticket_types": ["requirement_change"]})) == (Decimal("33.33"), 1, 3)
    # resolved or closed: f1, f2, f4, r3 → 4 of 7
    assert _triple(_value(c, Metric.COMPLETION_RATE)) == (Decimal("57.14"), 4, 7)
    # rated f1 5, f2 3, f4 4 → 4 or more: 2 of 3; 5 or more: 1 of 3
    assert _triple(_value(c, Metric.SATISFACTION_RATE)) == (Decimal("66.67"), 2, 3)
    assert _triple(_value(c, Metric.SATISFACTION_RATE, {"satisfied_at_least": 5})) == (
        Decimal("33.33"), 1, 3)


@pytest.mark.django_db
def test_stage_metrics_match_hand_counts(ca: Setup, tickets: dict[str, Ticket]) -> None:
    """ASM-05 / SLA-05: decided stages of the period's tickets; running, without a target or
    of tickets outside the period do not count."""
    c = ca.contract
    # respond: f1 met, f2 breached, f4 met (f3 running, r1 no target, f5 outside)
    assert _triple(_value(c, Metric.STAGE_ATTAINMENT, {"stage": "respond"})) == (
        Decimal("66.67"), 2, 3)
    # resolve: f1, f4 met; f2, r1 breached (f6 outside)
    assert _triple(_value(c, Metric.STAGE_ATTAINMENT, {"stage": "resolve"})) == (
        Decimal("50.00"), 2, 4)
    # the KPI counts only stages under a KPI target: f1, f2, f4
    assert _triple(_value(c, Metric.KPI, {"stage": "resolve"})) == (Decimal("66.67"), 2, 3)
    assert _value(c, Metric.KPI, {"stage": "respond"}).value is None


def _visit(plan: MaintenancePlan, end: str, status: str, late: bool = False) -> None:
    finish = at(end)
    Visit.objects.create(contract=plan.contract, plan=plan, key=f"v{next(_number)}",
                         window_start=finish - datetime.timedelta(hours=4), window_end=finish,
                         status=status, late=late)


def _submission(deliverable: Deliverable, due: str, submitted: str | None = None,
                late: bool = False) -> None:
    due_at = at(due)
    Submission.objects.create(contract=deliverable.contract, deliverable=deliverable,
                              key=f"s{next(_number)}", period_start=due_at.date(),
                              period_end=due_at.date(), due_at=due_at, late=late,
                              submitted_at=at(submitted) if submitted else None,
                              status="submitted" if submitted else "pending")


@pytest.mark.django_db
def test_visits_reports_and_breaches_match_hand_counts(ca: Setup,
                                                       tickets: dict[str, Ticket]) -> None:
    """ASM-02 (seed 002 §6.1 (4)), PM-09 coverage, ASM-03 breach counts."""
    c = ca.contract
    plan = MaintenancePlan.objects.filter(contract=c).first()
    assert plan is not None
    _visit(plan, "2025-11-03 12:00", VisitStatus.DONE)
    _visit(plan, "2025-11-04 12:00", VisitStatus.DONE)
    _visit(plan, "2025-12-01 00:00", VisitStatus.DONE)           # ends at the period's end: in
    _visit(plan, "2025-11-05 12:00", VisitStatus.DONE, late=True)
    _visit(plan, "2025-11-06 12:00", VisitStatus.MISSED)
    _visit(plan, "2025-11-07 12:00", VisitStatus.PLANNED)
    _visit(plan, "2025-11-08 12:00", VisitStatus.CANCELLED)      # not due
    _visit(plan, "2025-11-01 00:00", VisitStatus.DONE)           # October's
    # due 6, on time 3
    assert _triple(_value(c, Metric.INSPECTION_COVERAGE)) == (Decimal("50.00"), 3, 6)
    assert _triple(_value(c, Metric.INSPECTION_COVERAGE, {"plans": [plan.code]})) == (
        Decimal("50.00"), 3, 6)
    assert _triple(_value(c, Metric.INSPECTION_COVERAGE, {"plans": ["none"]})) == (
        None, 0, 0)

    versions = Deliverable.objects.get(contract=c, code="quarterly-versions")
    other = Deliverable.objects.filter(contract=c).exclude(pk=versions.pk).first()
    assert other is not None
    _submission(versions, "2025-11-10 17:00", "2025-11-09 10:00")
    _submission(versions, "2025-11-20 17:00", "2025-11-21 10:00", late=True)
    _submission(versions, "2025-11-25 17:00")
    _submission(versions, "2025-12-01 00:00", "2025-11-30 10:00")  # December's
    _submission(other, "2025-11-15 17:00", "2025-11-15 16:00")
    assert _triple(_value(c, Metric.DELIVERABLES_ON_TIME, {
        "deliverables": ["quarterly-versions"]})) == (Decimal("33.33"), 1, 3)
    assert _triple(_value(c, Metric.DELIVERABLES_ON_TIME)) == (Decimal("50.00"), 2, 4)

    rule = PenaltyRule.objects.filter(contract=c).first() or PenaltyRule.objects.create(
        contract=c, code="x", name="x", min_percent=1, max_percent=3)
    for stage, when, status in (("respond", "2025-11-10 12:00", BreachStatus.RECORDED),
                                ("resolve", "2025-11-30 23:00", BreachStatus.DISPUTED)):
        alert = SlaAlert.objects.create(ticket=tickets["f2"], contract=c, stage=stage,
                                        kind="breach", at=at(when))
        Breach.objects.create(contract=c, source=BreachSource.SLA, sla_alert=alert,
                              occurred_at=at(when), description=stage, status=status)
    for when, status in (("2025-11-15 10:00", BreachStatus.CONFIRMED),
                         ("2025-11-16 10:00", BreachStatus.WAIVED),
                         ("2025-12-01 00:00", BreachStatus.RECORDED)):
        Breach.objects.create(contract=c, source=BreachSource.OTHER, penalty_rule=rule,
                              occurred_at=at(when), description="rule", status=status)
    assert _triple(_value(c, Metric.BREACH_COUNT)) == (Decimal(3), 3, None)
    assert _triple(_value(c, Metric.BREACH_COUNT, {"sources": ["sla"]})) == (Decimal(2), 2, None)
    assert _triple(_value(c, Metric.BREACH_COUNT, {"sources": ["other"]})) == (
        Decimal(1), 1, None)


@pytest.mark.django_db
def test_an_empty_period_has_no_rates(ca: Setup, tickets: dict[str, Ticket]) -> None:
    """Nothing to count: every rate is None (not 0, not 100); a breach count is 0; a manual
    item is None with its definition."""
    c = ca.contract
    for metric, params in ((Metric.RESPONSE_WITHIN, {"minutes": 15}),
                           (Metric.RESOLVED_WITHIN, {"working_days": 3}),
                           (Metric.REQUIREMENT_RESPONDED, {"working_days": 5}),
                           (Metric.COMPLETION_RATE, {}), (Metric.SATISFACTION_RATE, {}),
                           (Metric.INSPECTION_COVERAGE, {}), (Metric.DELIVERABLES_ON_TIME, {}),
                           (Metric.STAGE_ATTAINMENT, {"stage": "respond"}),
                           (Metric.KPI, {"stage": "resolve"})):
        assert _triple(_value(c, metric, params, EMPTY)) == (None, 0, 0), metric
    assert _triple(_value(c, Metric.BREACH_COUNT, {}, EMPTY)) == (Decimal(0), 0, None)
    manual = _value(c, Metric.MANUAL, {}, NOV)
    assert _triple(manual) == (None, None, None) and manual.definition


@pytest.mark.django_db
def test_definitions_name_their_parameters(ca: Setup) -> None:
    """Each definition says what it counts with the item's parameters."""
    c = ca.contract
    text = _value(c, Metric.RESOLVED_WITHIN, {"working_days": 3}).definition
    assert "3 working days" in text and "cn-0830-1730" in text
    assert "15 minutes" in _value(c, Metric.RESPONSE_WITHIN, {"minutes": 15}).definition
    assert "quarterly-versions" in _value(c, Metric.DELIVERABLES_ON_TIME, {
        "deliverables": ["quarterly-versions"]}).definition
    assert "respond" in _value(c, Metric.STAGE_ATTAINMENT, {"stage": "respond"}).definition


@pytest.mark.django_db
def test_working_day_deadlines_merge_days_and_follow_the_calendar(ca: Setup) -> None:
    """CAL: the deadline depends on the day reported only; a Friday, Saturday and Sunday share
    one; 2025's National Day holidays (1–8 Oct) and the working Saturday 11 Oct count."""
    runs = working_day_deadlines("cn-0830-1730", datetime.date(2025, 11, 7),
                                 datetime.date(2025, 11, 10), 3)
    assert runs == [(at("2025-11-07 00:00"), at("2025-11-12 17:30")),
                    (at("2025-11-10 00:00"), at("2025-11-13 17:30"))]
    # Tue 30 Sep: 1–8 Oct off, Thu 9, Fri 10, Sat 11 (调休 working day)
    assert working_day_deadlines("cn-0830-1730", datetime.date(2025, 9, 30),
                                 datetime.date(2025, 9, 30), 3) == [
        (at("2025-09-30 00:00"), at("2025-10-11 17:30"))]
    assert working_day_deadlines("no-such-calendar", datetime.date(2025, 9, 30),
                                 datetime.date(2025, 9, 30), 3) == [
        (at("2025-09-30 00:00"), None)]


@pytest.mark.django_db
def test_measure_all_matches_measure_and_runs_fixed_queries(
        ca: Setup, tickets: dict[str, Ticket], django_assert_max_num_queries: Any) -> None:
    """Every item of the scheme at once, with a fixed number of queries: the items, the
    calendar, the calendar cache's stamp and one aggregate per kind of record (five) — the
    same with ten times the tickets."""
    c = ca.contract
    for metric, params in ((Metric.RESPONSE_WITHIN, {"minutes": 15}),
                           (Metric.RESOLVED_WITHIN, {"working_days": 3}),
                           (Metric.RESOLVED_WITHIN, {"working_days": 2}),
                           (Metric.COMPLETION_RATE, {}), (Metric.SATISFACTION_RATE, {}),
                           (Metric.INSPECTION_COVERAGE, {}), (Metric.BREACH_COUNT, {}),
                           (Metric.STAGE_ATTAINMENT, {"stage": "respond"}),
                           (Metric.KPI, {"stage": "resolve"})):
        _item(c, metric, params)
    scheme = AssessmentScheme.objects.get(contract=c)
    measure_all(scheme, *NOV)  # builds the calendar engine once (cached)
    with django_assert_max_num_queries(8):
        everything = measure_all(scheme, *NOV)
    for item in scheme.items.all():
        assert everything[item.pk] == measure(item, c, *NOV), item.metric
    with CaptureQueriesContext(connection) as few:
        measure_all(scheme, *NOV)
    for n in range(60):
        _ticket(c, "fault", f"2025-11-{n % 28 + 1:02d} 10:00",
                responded_at=f"2025-11-{n % 28 + 1:02d} 10:{n % 30:02d}")
    with CaptureQueriesContext(connection) as many:
        measure_all(scheme, *NOV)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_evidence_lists_the_records_counted(ca: Setup, tickets: dict[str, Ticket]) -> None:
    """The evidence of an item is the records of its denominator, each marked ``meets``."""
    c = ca.contract
    item = _item(c, Metric.RESPONSE_WITHIN, {"minutes": 15, "ticket_types": ["fault"]})
    rows = evidence(item, c, *NOV)
    assert rows is not None
    assert [(t.number, t.meets) for t in rows] == [
        (tickets[k].number, ok) for k, ok in (("f1", True), ("f2", False), ("f3", False),
                                              ("f4", True))]
    resolved = evidence(_item(c, Metric.RESOLVED_WITHIN, {"working_days": 3}), c, *NOV)
    assert resolved is not None
    assert {t.number for t in resolved if t.meets} == {tickets["f1"].number,
                                                      tickets["f4"].number}
    stages = evidence(_item(c, Metric.KPI, {"stage": "resolve"}), c, *NOV)
    assert stages is not None and [s.meets for s in stages] == [True, False, True]
    assert evidence(_item(c, Metric.MANUAL), c, *NOV) is None


@pytest.mark.django_db
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delays=st.lists(st.integers(min_value=0, max_value=40 * 60), max_size=12),
       minutes=st.integers(min_value=1, max_value=30))
def test_response_within_counts_every_delay_up_to_the_limit(ca: Setup, delays: list[int],
                                                            minutes: int) -> None:
    """Property: the share within N minutes is the count of delays ≤ N × 60 seconds."""
    c = ca.contract
    Ticket.objects.filter(contract=c).delete()
    base = at("2025-11-12 09:00")
    for n, delay in enumerate(delays):
        reported = base + datetime.timedelta(hours=n)
        Ticket.objects.create(contract=c, number=f"H{next(_number)}", title="h",
                              ticket_type=TicketType.objects.filter(contract=c).first(),
                              reported_at=reported,
                              responded_at=reported + datetime.timedelta(seconds=delay))
    result = _value(c, Metric.RESPONSE_WITHIN, {"minutes": minutes})
    within = sum(1 for d in delays if d <= minutes * 60)
    assert (result.numerator, result.denominator) == (within, len(delays))
    assert result.value == (None if not delays else
                            (Decimal(within * 100) / len(delays)).quantize(Decimal("0.01")))
