"""Deadlines of reports (RPT-01..06): a late or missing submission of a deliverable that
counts it as a breach records the breach exactly once, with the deliverable's penalty; a
reminder is recorded once, N working days before the report's last day."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from weibao.reports.choices import SubmissionAction, SubmissionStatus
from weibao.reports.models import Deliverable, Submission, SubmissionEvent
from weibao.reports.services.schedule import close_deadlines, send_reminders
from weibao.reports.tasks import reports_schedule
from weibao.reports.tests.conftest import Setup, _setup, at, make_deliverable
from weibao.testing.calendars import ensure_national_calendars


def _submission(deliverable: Deliverable, key: str, due: str, **extra: Any) -> Submission:
    return Submission.objects.create(
        contract=deliverable.contract, deliverable=deliverable, key=key,
        period_start=at("2025-10-01 00:00").date(), period_end=at("2025-10-31 00:00").date(),
        due_at=at(due), **extra)


@pytest.fixture
def deliverables(outlets: Setup) -> tuple[Deliverable, Deliverable]:
    breach = make_deliverable(outlets.contract, "monthly-breach", due_day=21,
                              late_is_breach=True, penalty_percent=Decimal("0.5"))
    plain = make_deliverable(outlets.contract, "monthly-plain", due_day=21)
    return breach, plain


def _breach_events() -> list[tuple[int, Any]]:
    return list(SubmissionEvent.objects.filter(action=SubmissionAction.BREACH)
                .values_list("submission_id", "occurred_at"))


def test_missing_and_late_reports_become_breaches_once(
        deliverables: tuple[Deliverable, Deliverable]) -> None:
    """RPT-01 (seed 000 逾期递交视为违约): at its due time a report not submitted is a breach,
    and so is one first submitted after it; each is dated at the due time with the
    deliverable's penalty and a breach event; one submitted on time, one not yet due and one
    of a deliverable without breach are not; a second run records nothing and a later change
    of the penalty does not touch a recorded breach."""
    breach, plain = deliverables
    missing = _submission(breach, "missing", "2025-11-22 00:00")
    late = _submission(breach, "late", "2025-11-22 00:00", status=SubmissionStatus.SUBMITTED,
                       submitted_at=at("2025-11-22 10:00"), late=True)
    on_time = _submission(breach, "on-time", "2025-11-22 00:00",
                          status=SubmissionStatus.ACCEPTED,
                          submitted_at=at("2025-11-21 10:00"))
    running = _submission(breach, "running", "2025-11-22 00:00:01")
    no_breach = _submission(plain, "plain", "2025-11-22 00:00")
    assert close_deadlines(at("2025-11-22 00:00")) == 2
    for submission in (missing, late):
        submission.refresh_from_db()
        assert (submission.breach_recorded_at, submission.penalty_percent,
                submission.version) == (at("2025-11-22 00:00"), Decimal("0.500"), 2)
    for submission in (on_time, running, no_breach):
        submission.refresh_from_db()
        assert (submission.breach_recorded_at, submission.penalty_percent) == (None, None)
    assert sorted(_breach_events()) == sorted([(missing.pk, at("2025-11-22 00:00")),
                                               (late.pk, at("2025-11-22 00:00"))])
    assert SubmissionEvent.objects.get(submission=missing).data == {
        "penalty_percent": "0.500", "missing": True}
    breach.penalty_percent = Decimal("2")
    breach.save()
    assert close_deadlines(at("2025-11-22 00:00")) == 0
    missing.refresh_from_db()
    assert (missing.penalty_percent, missing.version) == (Decimal("0.500"), 2)
    assert len(_breach_events()) == 2


def test_a_missing_report_handed_in_later_keeps_its_one_breach(
        deliverables: tuple[Deliverable, Deliverable]) -> None:
    """RPT-01: a report missing at its due time and submitted afterwards (late) keeps the
    breach recorded when it was missing; it is never recorded a second time."""
    breach, _plain = deliverables
    submission = _submission(breach, "missing", "2025-11-22 00:00")
    assert close_deadlines(at("2025-11-22 00:10")) == 1
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.SUBMITTED, submitted_at=at("2025-11-24 09:00"), late=True)
    assert close_deadlines(at("2025-11-25 00:00")) == 0
    submission.refresh_from_db()
    assert (submission.late, submission.breach_recorded_at) == (True, at("2025-11-22 00:00"))
    assert len(_breach_events()) == 1


def test_reminders_two_working_days_before_the_last_day_once(
        outlets: Setup, settings: Any) -> None:
    """RPT-01: with two working days' notice, the weekly report due before Tuesday 14
    October 2025 (last day Monday 13th) is reminded from Friday 10 October — Saturday 11
    October is a 调休 working day — once; a report already submitted or past its due time is
    not reminded; with no notice the reminder comes on the last day."""
    settings.WEIBAO_REPORT_REMINDER_WORKING_DAYS = 2
    weekly = make_deliverable(outlets.contract, "weekly-test", cadence="weekly",
                              due_weekday=2, due_exclusive=True)
    due = _submission(weekly, "2025-W41", "2025-10-14 00:00")
    handed_in = _submission(weekly, "handed-in", "2025-10-14 00:00",
                            status=SubmissionStatus.SUBMITTED,
                            submitted_at=at("2025-10-09 10:00"))
    _submission(weekly, "past", "2025-10-09 00:00")
    assert send_reminders(at("2025-10-09 23:59")) == 0
    assert send_reminders(at("2025-10-10 00:05")) == 1
    assert send_reminders(at("2025-10-10 08:00")) == 0
    due.refresh_from_db()
    handed_in.refresh_from_db()
    assert (due.reminded_at, handed_in.reminded_at) == (at("2025-10-10 00:05"), None)
    assert list(SubmissionEvent.objects.filter(action=SubmissionAction.REMIND)
                .values_list("submission_id", "occurred_at")) == [
        (due.pk, at("2025-10-10 00:05"))]
    settings.WEIBAO_REPORT_REMINDER_WORKING_DAYS = 0
    last_day = _submission(weekly, "2025-W42", "2025-10-21 00:00")
    assert send_reminders(at("2025-10-19 12:00")) == 0
    assert send_reminders(at("2025-10-20 00:00")) == 1
    last_day.refresh_from_db()
    assert last_day.reminded_at == at("2025-10-20 00:00")


def test_the_periodic_job_closes_reminds_and_plans(
        deliverables: tuple[Deliverable, Deliverable]) -> None:
    """RPT-01: the background job every 10 minutes records breaches (and reminders, and
    plans the coming submissions)."""
    breach, _plain = deliverables
    submission = _submission(breach, "missing", "2025-11-22 00:00")
    reports_schedule.call_local()
    submission.refresh_from_db()
    assert submission.breach_recorded_at == at("2025-11-22 00:00")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL")
def test_two_workers_record_each_breach_and_reminder_once(transactional_db: None,
                                                          settings: Any) -> None:
    """RPT-01: two workers closing deadlines (and sending reminders) at once record every
    breach and every reminder exactly once, with one event each."""
    ensure_national_calendars()
    settings.WEIBAO_REPORT_REMINDER_WORKING_DAYS = 2
    setup = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    breach = make_deliverable(setup.contract, "monthly-breach", due_day=21,
                              late_is_breach=True, penalty_percent=Decimal("1"))
    Submission.objects.bulk_create([
        Submission(contract=setup.contract, deliverable=breach, key=f"k{i}",
                   period_start=at("2025-10-01 00:00").date(),
                   period_end=at("2025-10-31 00:00").date(),
                   due_at=at("2025-11-22 00:00") if i % 2 else at("2025-11-26 00:00"))
        for i in range(600)])
    counts: list[tuple[int, int]] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            counts.append((close_deadlines(at("2025-11-24 09:00")),
                           send_reminders(at("2025-11-24 09:00"))))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(c[0] for c in counts) == 300
    assert sum(c[1] for c in counts) == 300
    assert Submission.objects.filter(breach_recorded_at=at("2025-11-22 00:00"),
                                     version=2).count() == 300
    assert SubmissionEvent.objects.filter(action=SubmissionAction.BREACH).count() == 300
    assert SubmissionEvent.objects.filter(action=SubmissionAction.REMIND).count() == 300
