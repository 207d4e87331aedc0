"""The events of fault reports (TKT-06) and missed drills (EMG-02) reach their recipients;
the publishing side of each service, after commit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from weibao.notifications import publishers
from weibao.notifications.models import Notification
from weibao.testing.examples import Setup
from weibao.tickets import services as tickets
from weibao.tickets.models import FaultReport, TicketType

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username",
                                                                    flat=True))


def test_tkt06_fault_report_submitted_to_the_purchaser_and_rejected_to_the_engineer(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    ticket = tickets.create_ticket(tickets.TicketInput(
        contract=ca.contract, ticket_type=TicketType.objects.get(contract=ca.contract,
                                                                 code="fault"),
        title="读卡机无法读卡"), actor=ca.people["purchaser"])
    ticket = tickets.assign(ticket, ca.people["engineer"], ca.people["manager"])
    report = FaultReport.objects.create(ticket=ticket, cause="磁头积灰", actions="清洁磁头",
                                        status="submitted", submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        publishers.fault_report_submitted(report)
    assert _told("fault_report.submitted") == {"n-purchaser"}
    report.status, report.reviewed_at, report.review_comment = (
        "rejected", timezone.now(), "缺少更换部件记录")
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        publishers.fault_report_rejected(report)
    assert _told("fault_report.rejected") == {"n-engineer", "n-manager"}
    row = Notification.objects.get(kind="fault_report.rejected", recipient=ca.people["engineer"])
    assert row.body == "缺少更换部件记录"


def test_emg02_a_missed_drill_reaches_managers_and_purchaser_once(
        ca: Setup, django_capture_on_commit_callbacks: Any) -> None:
    from weibao.emergency.models import Drill
    from weibao.emergency.services.drills import close_windows

    drills = Drill.objects.filter(contract=ca.contract).order_by("window_end")
    if not drills.exists():
        pytest.skip("seed 002 schedules no drill")
    first = drills.first()
    assert first is not None
    end = first.window_end + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        missed = close_windows(end)
    assert missed >= 1
    closed = Drill.objects.filter(contract=ca.contract, status="missed").count()
    rows = Notification.objects.filter(kind="emergency.drill_missed")
    assert _told("emergency.drill_missed") == {"n-manager", "n-purchaser"}
    assert rows.count() == 2 * closed
    with django_capture_on_commit_callbacks(execute=True):
        assert close_windows(end) == 0
    assert rows.count() == 2 * closed


def test_rpt03_rpt05_report_reminders_and_late_reports_reach_the_managers(
        ca: Setup, django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    """The reminder the schedule records N working days before a report's last day, and the
    breach of a report not handed in, reach the vendor's managers (and, late, the purchaser),
    each once."""
    from decimal import Decimal

    from weibao.reports.models import Submission
    from weibao.reports.services.schedule import close_deadlines, send_reminders
    from weibao.reports.tests.conftest import make_deliverable
    from weibao.testing.examples import at

    settings.WEIBAO_REPORT_REMINDER_WORKING_DAYS = 2
    monthly = make_deliverable(ca.contract, "monthly-notify", due_day=21, late_is_breach=True,
                               penalty_percent=Decimal("0.5"))
    submission = Submission.objects.create(
        contract=ca.contract, deliverable=monthly, key="2025-10",
        period_start=at("2025-10-01 00:00").date(), period_end=at("2025-10-31 00:00").date(),
        due_at=at("2025-11-22 00:00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(at("2025-11-20 09:00")) == 1
        assert send_reminders(at("2025-11-20 10:00")) == 0
    assert _told("reports.deliverable_due") == {"n-manager"}
    row = Notification.objects.get(kind="reports.deliverable_due")
    assert row.link == f"/reports/submissions/{submission.pk}/" and "2025-11-22" in row.subject
    with django_capture_on_commit_callbacks(execute=True):
        assert close_deadlines(at("2025-11-22 00:05")) == 1
        assert close_deadlines(at("2025-11-22 00:10")) == 0
    assert _told("reports.deliverable_late") == {"n-manager", "n-purchaser"}
    assert Notification.objects.filter(kind="reports.deliverable_late").count() == 2
