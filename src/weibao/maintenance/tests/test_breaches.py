"""Closing windows (PM-09, 未按约检查 [000 第七条]): a visit not done when its window ends is
missed; when the plan says so it is a breach, recorded once with the plan's penalty."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from weibao.maintenance.choices import PlanScope, VisitStatus
from weibao.maintenance.models import MaintenancePlan, Visit
from weibao.maintenance.services.breaches import close_windows
from weibao.maintenance.tasks import maintenance_schedule
from weibao.maintenance.tests.conftest import Setup, _setup, at, make_plan
from weibao.testing.calendars import ensure_national_calendars


def _visit(plan: MaintenancePlan, key: str, end: str, status: str = VisitStatus.PLANNED,
           **extra: object) -> Visit:
    return Visit.objects.create(contract=plan.contract, plan=plan, key=key,
                                window_start=at("2025-10-01 00:00"), window_end=at(end),
                                status=status, **extra)


@pytest.fixture
def plans(outlets: Setup) -> tuple[MaintenancePlan, MaintenancePlan]:
    breach = make_plan(outlets.contract, "monthly", missed_is_breach=True,
                       penalty_percent=Decimal("1"))
    plain = make_plan(outlets.contract, "plain", scope=PlanScope.CONTRACT)
    return breach, plain


def test_ended_open_visits_become_missed_and_breaches_once(
        plans: tuple[MaintenancePlan, MaintenancePlan]) -> None:
    """PM-09: at the end of the window an open visit (planned or started) is missed; under a
    breach plan the breach is dated at the window's end with the plan's penalty; a second run
    changes nothing, and a later change of the plan's penalty does not touch it."""
    breach, plain = plans
    planned = _visit(breach, "a", "2025-11-01 00:00")
    started = _visit(breach, "b", "2025-11-01 00:00", VisitStatus.IN_PROGRESS)
    no_breach = _visit(plain, "c", "2025-11-01 00:00")
    done = _visit(breach, "d", "2025-11-01 00:00", VisitStatus.DONE)
    running = _visit(breach, "e", "2025-11-01 00:00:01")
    assert close_windows(at("2025-11-01 00:00")) == 3
    for visit in (planned, started):
        visit.refresh_from_db()
        assert (visit.status, visit.breach_recorded_at, visit.penalty_percent) == (
            VisitStatus.MISSED, at("2025-11-01 00:00"), Decimal("1.000"))
        assert visit.version == 2
    no_breach.refresh_from_db()
    assert (no_breach.status, no_breach.breach_recorded_at, no_breach.penalty_percent) == (
        VisitStatus.MISSED, None, None)
    done.refresh_from_db()
    running.refresh_from_db()
    assert (done.status, running.status) == (VisitStatus.DONE, VisitStatus.PLANNED)
    breach.penalty_percent = Decimal("2")
    breach.save()
    assert close_windows(at("2025-11-01 00:00")) == 0
    planned.refresh_from_db()
    assert (planned.penalty_percent, planned.version) == (Decimal("1.000"), 2)


def test_missed_visit_done_late_keeps_its_breach(
        plans: tuple[MaintenancePlan, MaintenancePlan]) -> None:
    """PM-09: a missed visit done afterwards is late; its breach stays recorded and is never
    recorded a second time."""
    breach, _plain = plans
    visit = _visit(breach, "a", "2025-11-01 00:00")
    close_windows(at("2025-11-02 00:00"))
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE, late=True)
    assert close_windows(at("2025-11-03 00:00")) == 0
    visit.refresh_from_db()
    assert (visit.status, visit.late, visit.breach_recorded_at) == (
        VisitStatus.DONE, True, at("2025-11-01 00:00"))


def test_the_periodic_job_closes_windows(plans: tuple[MaintenancePlan, MaintenancePlan]) -> None:
    """PM-09: the background job every 10 minutes closes ended windows (and generates)."""
    breach, _plain = plans
    visit = _visit(breach, "a", "2025-11-01 00:00")
    maintenance_schedule.call_local()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.MISSED and visit.breach_recorded_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL")
def test_two_workers_record_each_breach_once(transactional_db: None) -> None:
    """PM-09: two workers closing windows at once record every breach exactly once."""
    ensure_national_calendars()
    setup = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    plan = make_plan(setup.contract, "monthly", missed_is_breach=True,
                     penalty_percent=Decimal("1"))
    Visit.objects.bulk_create([
        Visit(contract=setup.contract, plan=plan, key=f"k{i}",
              window_start=at("2025-10-01 00:00"), window_end=at("2025-11-01 00:00"))
        for i in range(500)])
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            counts.append(close_windows(at("2025-11-01 00:05")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 500
    assert Visit.objects.filter(status=VisitStatus.MISSED, version=2,
                                breach_recorded_at=at("2025-11-01 00:00")).count() == 500
