"""Attendance of resident staff (STF-04): check-in and out, closing the days of the contract
calendar across holidays and 调休, leave with a substitute, corrections confirmed by the
purchaser, the monthly rate, and the assessment's ``attendance_rate`` metric (seed 001)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weibao.assessment.metrics import evidence, measure
from weibao.assessment.models import AssessmentItem
from weibao.staff.choices import AttendanceStatus
from weibao.staff.models import AttendanceDay, Member
from weibao.staff.services import add_member
from weibao.staff.services import attendance as services
from weibao.testing.examples import Setup, example_setup

TZ = timezone.get_default_timezone()
DAY = datetime.date(2024, 10, 8)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def onsite(db: object) -> Setup:
    s = example_setup("001-changzhou-hrss-onsite.yaml", "att")
    return s


def _resident(s: Setup, name: str = "王驻场", user: object = None,
              starts_on: datetime.date = datetime.date(2024, 9, 1)) -> Member:
    return add_member(s.contract, name, starts_on=starts_on, resident=True,
                      user=user)  # type: ignore[arg-type]


def test_stf04_check_in_and_out_on_the_phone(onsite: Setup) -> None:
    engineer = onsite.people["engineer"]
    member = _resident(onsite, user=engineer)
    day = datetime.date(2024, 10, 8)  # the first working day after 国庆
    row = services.check_in(member, engineer, at=_at(day, 8, 52), location="机房")
    assert (row.status, row.location) == (AttendanceStatus.PRESENT, "机房")
    again = services.check_in(member, engineer, at=_at(day, 9, 30))
    assert again.pk == row.pk and again.check_in_at == _at(day, 8, 52)  # the first one stays
    with pytest.raises(ValidationError, match="before the check-in"):
        services.check_out(member, engineer, at=_at(day, 8, 0))
    out = services.check_out(member, engineer, at=_at(day, 18, 5))
    assert out.check_out_at == _at(day, 18, 5)
    with pytest.raises(ValidationError, match="Check in first"):
        services.check_out(member, engineer, at=_at(day + datetime.timedelta(days=1), 18))


def test_stf04_only_the_member_or_their_manager_checks_in(onsite: Setup) -> None:
    member = _resident(onsite, user=onsite.people["engineer"])
    with pytest.raises(PermissionDenied):
        services.check_in(member, onsite.people["purchaser"], at=_at(DAY, 9))
    with pytest.raises(PermissionDenied):  # a manager of another vendor: not their contract
        services.check_in(member, onsite.people["outsider"], at=_at(DAY, 9))
    services.check_in(member, onsite.people["manager"], at=_at(DAY, 9))
    remote = add_member(onsite.contract, "远程", starts_on=datetime.date(2024, 9, 1),
                        user=onsite.people["engineer"])
    with pytest.raises(ValidationError, match="Only resident"):
        services.check_in(remote, onsite.people["engineer"], at=_at(DAY, 9))


def test_stf04_closing_follows_the_calendar_across_national_day_and_tiaoxiu(onsite: Setup):
    """2024: 10-01..10-07 is the 国庆 holiday, Sunday 09-29 and Saturday 10-12 are 调休 working
    days. Closing 09-28..10-12 makes exactly the working days absent."""
    member = _resident(onsite)
    closed = services.close_days(onsite.contract, datetime.date(2024, 10, 12),
                                 since=datetime.date(2024, 9, 28))
    days = sorted(AttendanceDay.objects.filter(member=member).values_list("day", flat=True))
    assert datetime.date(2024, 9, 29) in days and datetime.date(2024, 10, 12) in days
    assert not any(datetime.date(2024, 10, d) in days for d in range(1, 8))
    assert datetime.date(2024, 10, 5) not in days and datetime.date(2024, 10, 6) not in days
    assert closed == len(days) == 7  # 09-29, 09-30, 10-08..10-11, 10-12 (09-28 is a Saturday)
    assert services.close_days(onsite.contract, datetime.date(2024, 10, 12),
                               since=datetime.date(2024, 9, 28)) == 0  # idempotent


def test_stf04_leave_with_a_present_substitute_counts_as_attended(onsite: Setup) -> None:
    manager = onsite.people["manager"]
    member, substitute = _resident(onsite, "王驻场"), _resident(onsite, "李替岗")
    day, other = datetime.date(2024, 10, 9), datetime.date(2024, 10, 10)
    services.add_leave(member, manager, starts_on=day, ends_on=other, substitute=substitute,
                       reason="病假")
    with pytest.raises(ValidationError, match="overlaps"):
        services.add_leave(member, manager, starts_on=other, ends_on=other)
    services.check_in(substitute, manager, at=_at(day, 9))  # present on the 9th only
    services.close_days(onsite.contract, other, since=day)
    status = dict(AttendanceDay.objects.filter(member=member).values_list("day", "status"))
    assert status == {day: AttendanceStatus.SUBSTITUTED, other: AttendanceStatus.LEAVE}


def test_stf04_monthly_rate_and_a_confirmed_correction(onsite: Setup) -> None:
    """October 2024 has 19 working days in the contract calendar (23 weekdays − 5 holiday
    weekdays + the 10-12 调休 Saturday): present on 15, absent on 4; a confirmed correction
    raises the rate."""
    manager, purchaser = onsite.people["manager"], onsite.people["purchaser"]
    member = _resident(onsite)
    calendar = services.working_days(onsite.contract)
    october = calendar.between(datetime.date(2024, 10, 1),  # type: ignore[attr-defined]
                               datetime.date(2024, 10, 31))
    assert len(october) == 19
    for day in october[:15]:
        services.check_in(member, manager, at=_at(day, 9))
    services.close_days(onsite.contract, datetime.date(2024, 10, 31))
    report = services.monthly_attendance(onsite.contract, 2024, 10,
                                         today=datetime.date(2024, 11, 5))
    assert (report.due, report.attended, report.rate) == (19, 15, Decimal("78.95"))
    assert report.members[0].absent == 4
    absent = AttendanceDay.objects.filter(member=member, status=AttendanceStatus.ABSENT,
                                          day__month=10).first()
    assert absent is not None
    with pytest.raises(PermissionDenied):
        services.request_correction(absent, purchaser, status_to="present", reason="x")
    with pytest.raises(ValidationError):
        services.request_correction(absent, manager, status_to="present", reason=" ")
    correction = services.request_correction(absent, manager, status_to="present",
                                             reason="门禁记录显示当日在岗")
    with pytest.raises(ValidationError, match="already awaits"):
        services.request_correction(absent, manager, status_to="present", reason="again")
    with pytest.raises(PermissionDenied):
        services.decide_correction(correction, manager, confirm=True)
    services.decide_correction(correction, purchaser, confirm=True)
    with pytest.raises(ValidationError, match="already decided"):
        services.decide_correction(correction, purchaser, confirm=False)
    absent.refresh_from_db()
    assert absent.status == AttendanceStatus.PRESENT and absent.corrected
    report = services.monthly_attendance(onsite.contract, 2024, 10,
                                         today=datetime.date(2024, 11, 5))
    assert (report.attended, report.rate) == (16, Decimal("84.21"))


def test_stf04_seed_001_attendance_item_is_measured_from_the_closed_days(onsite: Setup):
    """Seed 001 L78 驻场工程师日常出勤率: the example's item measures attendance_rate."""
    manager = onsite.people["manager"]
    first, second = _resident(onsite, "王驻场"), _resident(onsite, "李驻场")
    week = [datetime.date(2024, 10, d) for d in (8, 9, 10, 11, 12)]
    for day in week:
        services.check_in(first, manager, at=_at(day, 9))
    services.check_in(second, manager, at=_at(week[0], 9))
    services.close_days(onsite.contract, week[-1], since=week[0])
    item = AssessmentItem.objects.get(scheme__contract=onsite.contract, code="attendance")
    assert item.metric == "attendance_rate"
    figure = measure(item, onsite.contract, week[0], week[-1])
    assert (figure.numerator, figure.denominator, figure.value) == (6, 10, Decimal("60.00"))
    records = evidence(item, onsite.contract, week[0], week[-1])
    assert records is not None and [r.meets for r in records].count(False) == 4
