"""Calendar services: the rules of a calendar's fields, own days, and their audit history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from weibao.calendars import services
from weibao.calendars.choices import CalendarKind, DayType
from weibao.calendars.models import WorkCalendar
from weibao.calendars.tests.conftest import contract_calendar
from weibao.calendars.views.common import history
from weibao.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def _input(**changes) -> services.CalendarInput:
    values = {"code": "x-hours", "name": "X", "weekly_hours": {"mon": ["08:00-12:00"]}}
    values.update(changes)
    return services.CalendarInput(**values)


@pytest.mark.parametrize(("changes", "field", "fragment"), [
    ({"code": "cn-0830-1730"}, "code", "already exists"),
    ({"code": "Bad Code"}, "code", "lower-case"),
    ({"code": "holidays"}, "code", "reserved"),
    ({"name": " "}, "name", "needs a name"),
    ({"timezone": "Mars/Olympus"}, "timezone", "not a known time zone"),
    ({"kind": "sometimes"}, "kind", "Unknown kind"),
    ({"weekly_hours": {"mon": ["08:00-12:00", "11:00-13:00"]}}, "weekly_hours", "overlapping"),
    ({"weekly_hours": {"mon": ["08:00-08:00"]}}, "weekly_hours", "empty or reversed"),
    ({"weekly_hours": {"monday": ["08:00-12:00"]}}, "weekly_hours", "unknown weekday"),
])
def test_calendar_rules(changes, field, fragment):
    with translation.override("en"), pytest.raises(ServiceError) as info:
        services.save_calendar(_input(**changes))
    assert fragment in " ".join(info.value.message_dict[field])
    assert not WorkCalendar.objects.filter(code=changes.get("code", "x-hours"),
                                           name="X").exists()


def test_contract_calendars_need_a_national_or_own_base(world):
    with pytest.raises(ServiceError, match="based on a national calendar"):
        services.save_calendar(_input(contract=world.a))
    other = contract_calendar(world, "b", "b-hours")
    with pytest.raises(ServiceError, match="another contract"):
        services.save_calendar(_input(contract=world.a, based_on=other))


def test_a_7x24_calendar_keeps_no_holiday_set_or_hours():
    always = WorkCalendar.objects.get(code="7x24")
    calendar = services.save_calendar(_input(kind=CalendarKind.ALWAYS,
                                             holiday_set=WorkCalendar.objects.get(
                                                 code="cn-0830-1730").holiday_set))
    assert calendar.holiday_set is None and calendar.hours() == always.hours()


def test_own_days_and_their_history(world):
    calendar = contract_calendar(world, "a", "a-hours")
    day = datetime.date(2025, 10, 9)
    services.set_calendar_day(calendar, day, kind=DayType.CUSTOM, segments="10:00-12:00")
    services.set_calendar_day(calendar, day, kind=DayType.CUSTOM, segments="10:00-12:00")
    with pytest.raises(ServiceError):
        services.set_calendar_day(calendar, day, kind="weekend")
    assert services.remove_calendar_day(calendar, day) is True
    assert services.remove_calendar_day(calendar, day) is False
    entries = list(history(calendar, "calendar_id"))
    assert [e.content_type.model for e in entries] == ["calendarday", "calendarday",
                                                       "workcalendar"]
    assert [e.action for e in entries] == [2, 0, 0]  # delete, create, create
