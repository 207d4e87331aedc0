"""Submissions owed under deliverables (RPT-01..06): planned ahead of their due time, once;
created by the events that start an event-driven report's clock (a visit of the plan done,
a ticket of the type restored), once per event; the contract-end report; selectors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.contracts.choices import ContractStatus
from weibao.maintenance.choices import PlanScope, VisitStatus
from weibao.maintenance.models import Visit
from weibao.maintenance.tests.conftest import make_plan
from weibao.reports import signals
from weibao.reports.choices import Cadence, DelayUnit, SubmissionStatus, TriggerKind
from weibao.reports.models import Deliverable, Submission
from weibao.reports.selectors import (
    deliverable_calendar,
    submission_stats,
    visible_submissions,
)
from weibao.reports.services.schedule import plan_submissions, submission_for_event
from weibao.reports.tests.conftest import Setup, _setup, at, make_deliverable
from weibao.testing.calendars import ensure_national_calendars
from weibao.tickets import services as tickets
from weibao.tickets.models import Ticket, TicketType

D = datetime.date


def _only(setup: Setup, *codes: str) -> None:
    """Keep only the contract's deliverables ``codes`` active (the example spec's own)."""
    Deliverable.objects.filter(contract=setup.contract).exclude(code__in=codes).update(
        active=False)


def _outlets_reports(setup: Setup) -> None:
    """Seed 000's weekly report before Tuesday and monthly report by the 21st, as the
    example spec imports them."""
    _only(setup, "weekly-report", "monthly-report")
    assert Deliverable.objects.filter(contract=setup.contract, active=True).count() == 2


def test_planning_creates_the_coming_reports_once(outlets: Setup) -> None:
    """RPT-01: on 10 October 2025 with a 40-day horizon, seed 000's weekly reports due from
    the week before (3 October) to 19 November and September's monthly report (due 21
    October) are created with their periods; October's (due 21 November) is not yet; a
    second run creates nothing."""
    _outlets_reports(outlets)
    first = plan_submissions(today=D(2025, 10, 10), horizon_days=40)
    assert (first.created, first.existing) == (8, 0)
    rows = list(Submission.objects.filter(contract=outlets.contract)
                .values_list("deliverable__code", "key", "period_start", "period_end", "due_at",
                             "status"))
    assert rows[0] == ("weekly-report", "2025-W40", D(2025, 9, 29), D(2025, 10, 5),
                       at("2025-10-07 00:00"), SubmissionStatus.PENDING)
    assert ("monthly-report", "2025-09", D(2025, 9, 1), D(2025, 9, 30), at("2025-10-22 00:00"),
            SubmissionStatus.PENDING) in rows
    assert [r[1] for r in rows if r[0] == "weekly-report"] == [
        "2025-W40", "2025-W41", "2025-W42", "2025-W43", "2025-W44", "2025-W45", "2025-W46"]
    again = plan_submissions(today=D(2025, 10, 10), horizon_days=40)
    assert (again.created, again.existing) == (0, 8)
    assert Submission.objects.count() == 8


def test_planning_queries_do_not_grow_with_the_number_of_reports(outlets: Setup) -> None:
    """RPT-01: planning reads and writes a contract's submissions in bulk — half a year ahead
    costs the same number of queries as a month ahead (half a year: under SQLite's limit of
    parameters per insert, which would split it)."""
    _outlets_reports(outlets)
    with CaptureQueriesContext(connection) as short:
        assert plan_submissions(outlets.contract, today=D(2025, 9, 1), horizon_days=30,
                                since=D(2025, 9, 1)).created == 4
    Submission.objects.all().delete()
    with CaptureQueriesContext(connection) as long:
        assert plan_submissions(outlets.contract, today=D(2025, 9, 1), horizon_days=180,
                                since=D(2025, 9, 1)).created > 25
    assert len(long) == len(short)


def test_inactive_event_and_terminated_are_not_planned(outlets: Setup) -> None:
    """RPT-01/RPT-05: an inactive deliverable, an event-driven one and a terminated contract
    get no planned submissions."""
    _only(outlets)
    make_deliverable(outlets.contract, "old", due_day=21, active=False)
    make_deliverable(outlets.contract, "ups", cadence=Cadence.AFTER_EVENT,
                     trigger=TriggerKind.VISIT_DONE)
    assert plan_submissions(today=D(2025, 10, 10)).created == 0
    make_deliverable(outlets.contract, "monthly", due_day=21)
    outlets.contract.status = ContractStatus.TERMINATED
    outlets.contract.save()
    assert plan_submissions(today=D(2025, 10, 10)).created == 0


def test_the_contract_end_report_is_planned_within_the_horizon(outlets: Setup) -> None:
    """RPT-06 (seed 004 移交清单): the report owed at the end of the service period (31 August
    2026), due 10 working days later, is created once its due time is within the horizon; it
    covers the whole service period."""
    _only(outlets)
    make_deliverable(outlets.contract, "handover", cadence=Cadence.AFTER_EVENT,
                     trigger=TriggerKind.CONTRACT_END, due_after_amount=10,
                     due_after_unit=DelayUnit.WORKING_DAYS)
    assert plan_submissions(today=D(2026, 7, 1)).created == 0
    assert plan_submissions(today=D(2026, 8, 10)).created == 1
    assert plan_submissions(today=D(2026, 8, 20)).created == 0
    submission = Submission.objects.get()
    assert (submission.key, submission.trigger_source, submission.period_start,
            submission.period_end, submission.due_at) == (
        "contract-end", "contract-end", D(2025, 9, 1), D(2026, 8, 31), at("2026-09-15 00:00"))


@pytest.fixture
def no_recheck(settings: Any) -> None:
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 0


def _done(visit: Visit, when: str) -> None:
    visit.status, visit.completed_at = VisitStatus.DONE, at(when)
    visit.save(update_fields=["status", "completed_at", "updated_at"])


def test_a_done_visit_of_the_plan_creates_its_report_once(
        ca: Setup, django_capture_on_commit_callbacks: Callable[..., Any],
        no_recheck: None) -> None:
    """RPT-05 (seed 002 UPS reports within a week): when a visit of the deliverable's plan is
    done, its report is created after the commit, due 5 working days later (Monday 13
    October: past the National Day holiday, counting the 调休 Saturday 11 October); saving
    the visit again, or a visit of another plan, creates no other report."""
    ups = make_plan(ca.contract, "ups", frequency="quarterly", scope=PlanScope.CONTRACT)
    other = make_plan(ca.contract, "other", scope=PlanScope.CONTRACT)
    deliverable = make_deliverable(ca.contract, "ups-report", cadence=Cadence.AFTER_EVENT,
                                   trigger=TriggerKind.VISIT_DONE, trigger_plan=ups,
                                   due_after_amount=5, due_after_unit=DelayUnit.WORKING_DAYS)
    visit = Visit.objects.create(contract=ca.contract, plan=ups, key="contract:2025-Q3",
                                 window_start=at("2025-07-01 00:00"),
                                 window_end=at("2025-10-01 00:00"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        visit.save()  # planned: nothing owed
        _done(visit, "2025-09-29 16:00")
    assert len(callbacks) == 1
    submission = Submission.objects.get()
    assert (submission.deliverable, submission.key, submission.trigger_source,
            submission.period_start, submission.period_end, submission.due_at) == (
        deliverable, f"visit:{visit.pk}", f"visit:{visit.pk}", D(2025, 9, 29), D(2025, 9, 29),
        at("2025-10-14 00:00"))
    with django_capture_on_commit_callbacks(execute=True):
        _done(visit, "2025-09-29 16:00")
        elsewhere = Visit.objects.create(contract=ca.contract, plan=other, key="x",
                                         window_start=at("2025-09-01 00:00"),
                                         window_end=at("2025-10-01 00:00"))
        _done(elsewhere, "2025-09-29 16:00")
    assert Submission.objects.count() == 1


def _ticket(setup: Setup, code: str = "fault") -> Ticket:
    return tickets.create_ticket(tickets.TicketInput(
        contract=setup.contract, ticket_type=TicketType.objects.get(
            contract=setup.contract, code=code), title="UPS 告警",
        reported_at=at("2025-10-09 09:00")), actor=setup.people["purchaser"],
        now=at("2025-10-09 09:00"))


def test_a_restored_ticket_of_the_type_creates_its_report_once(
        ca: Setup, django_capture_on_commit_callbacks: Callable[..., Any],
        no_recheck: None) -> None:
    """RPT-06 (seed 002 security incident report): when a ticket of the deliverable's type is
    restored (through the ticket lifecycle) its report is created, due 3 calendar days after
    restoration; saving it again and a restored ticket of another type create nothing
    more."""
    incident = TicketType.objects.get(contract=ca.contract, code="security_incident")
    deliverable = make_deliverable(ca.contract, "incident", cadence=Cadence.AFTER_EVENT,
                                   trigger=TriggerKind.TICKET_RESTORED,
                                   trigger_ticket_type=incident, due_after_amount=3,
                                   due_after_unit=DelayUnit.DAYS)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _ticket(ca, "security_incident")
        fault = _ticket(ca)
    assert not Submission.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for each in (ticket, fault):
            for action in ("acknowledge", "restore"):
                each = tickets.transition(each, action, ca.people["engineer"],
                                          now=at("2025-10-09 11:00"))
        ticket.refresh_from_db()
        ticket.save(update_fields=["restored_at"])
    submission = Submission.objects.get()
    assert (submission.deliverable, submission.key, submission.due_at) == (
        deliverable, f"ticket:{ticket.pk}", at("2025-10-13 00:00"))


def test_the_ticket_hook_reads_nothing_for_saves_that_restore_nothing(
        ca: Setup, settings: Any) -> None:
    """RPT-06, TKT-01 throughput: a ticket save that does not restore it (every ticket
    created) costs the hook no query; a restoration of a type without a deliverable costs
    none once the contract's triggers are cached; a new deliverable is seen at once."""
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 3600
    signals.forget_triggers()
    ticket = _ticket(ca)
    with CaptureQueriesContext(connection) as queries:
        signals._ticket_saved(Ticket, ticket, update_fields=None, created=True)
        signals._ticket_saved(Ticket, ticket, update_fields={"state"})
    assert len(queries) == 0
    ticket.restored_at = at("2025-10-09 11:00")
    signals._ticket_saved(Ticket, ticket, update_fields={"restored_at"})
    with CaptureQueriesContext(connection) as queries:
        signals._ticket_saved(Ticket, ticket, update_fields={"restored_at"})
    assert len(queries) == 0
    make_deliverable(ca.contract, "fault-report", cadence=Cadence.AFTER_EVENT,
                     trigger=TriggerKind.TICKET_RESTORED,
                     trigger_ticket_type=ticket.ticket_type)
    assert ticket.ticket_type_id in signals.contract_triggers(ca.contract.pk).ticket_types


def test_submission_for_event_is_idempotent(ca: Setup) -> None:
    """RPT-05: the same event asked twice answers the same submission, unchanged."""
    deliverable = make_deliverable(ca.contract, "ups", cadence=Cadence.AFTER_EVENT,
                                   trigger=TriggerKind.VISIT_DONE, due_after_amount=7,
                                   due_after_unit=DelayUnit.DAYS)
    first = submission_for_event(deliverable, "visit:99", at("2025-10-09 10:00"))
    second = submission_for_event(deliverable, "visit:99", at("2025-10-10 10:00"))
    assert first.pk == second.pk and second.due_at == at("2025-10-17 00:00")


def test_calendar_and_stats_count_by_status(outlets: Setup) -> None:
    """RPT-07: the deliverables calendar has one row per due day with the submissions due,
    handed in, late (handed in late or missing after the due time), accepted; the stats
    count the same over any set of submissions; the contract's parties see its submissions,
    an outsider none."""
    _outlets_reports(outlets)
    plan_submissions(today=D(2025, 10, 10), horizon_days=40)
    week40, week41 = Submission.objects.filter(key__in=("2025-W40", "2025-W41")).order_by("key")
    Submission.objects.filter(pk=week40.pk).update(
        status=SubmissionStatus.ACCEPTED, submitted_at=at("2025-10-07 09:00"), late=True)
    Submission.objects.filter(pk=week41.pk).update(
        status=SubmissionStatus.SUBMITTED, submitted_at=at("2025-10-13 09:00"))
    rows = deliverable_calendar(outlets.contract, D(2025, 10, 1), D(2025, 10, 31),
                                now=at("2025-10-22 12:00"))
    assert [(r.day, r.due, r.submitted, r.late, r.accepted, r.open) for r in rows] == [
        (D(2025, 10, 6), 1, 1, 1, 1, 0), (D(2025, 10, 13), 1, 1, 0, 0, 0),
        (D(2025, 10, 20), 1, 0, 1, 0, 1), (D(2025, 10, 21), 1, 0, 1, 0, 1),
        (D(2025, 10, 27), 1, 0, 0, 0, 1)]
    stats = submission_stats(Submission.objects.filter(contract=outlets.contract),
                             now=at("2025-10-22 12:00"))
    assert (stats.due, stats.submitted, stats.late, stats.accepted, stats.open) == (8, 2, 3, 1, 6)
    people = outlets.people
    for role in ("purchaser", "manager", "engineer"):
        assert visible_submissions(people[role]).count() == 8
    assert visible_submissions(people["outsider"]).count() == 0


def test_a_new_deliverable_is_planned_at_once_from_the_day_it_was_recorded(
        transactional_db: None) -> None:
    """RPT-01: recording a deliverable plans its contract after the commit (the calendar
    shows the coming reports without waiting for the periodic job); a run for the current
    day creates no report due before the deliverable was recorded (week 40's, due 7 October,
    though within the week the worker catches up), so no breach for days weibao did not
    know of."""
    ensure_national_calendars()
    outlets = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    with time_machine.travel(at("2025-10-10 10:00"), tick=False):
        weekly = make_deliverable(outlets.contract, "weekly-new", cadence=Cadence.WEEKLY,
                                  due_weekday=2, due_exclusive=True)
        keys = list(Submission.objects.filter(deliverable=weekly).values_list("key", flat=True))
        assert keys == ["2025-W41", "2025-W42", "2025-W43", "2025-W44", "2025-W45", "2025-W46"]
        assert plan_submissions().created == 0
        assert plan_submissions(today=D(2025, 10, 10)).created > 0
