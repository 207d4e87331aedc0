"""A spec calendar that ignores holidays (issue 15 item 9, seed 002's "每日 8:30–17:30" read
literally) and the engine's kinds of time (item 10a, SLA-02)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from weibao.calendars.china import STANDARD_HOURS_WITH_LUNCH, china_calendar
from weibao.calendars.models import WorkCalendar
from weibao.calendars.selectors import calendar_engine, engine_from_definition
from weibao.calendars.spec import spec_definitions
from weibao.calendars.tests.test_spec_section import spec
from weibao.calendars.worktime import TimeKind, Unit
from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_spec
from weibao.contracts.spec.validate import spec_errors

BJ = ZoneInfo("Asia/Shanghai")
EVERY_DAY = {"code": "every-day-0830-1730", "name": "每日8:30-17:30",
             "based_on": "cn-0830-1730", "holidays": False,
             "hours": {"sat": ["08:30-17:30"], "sun": ["08:30-17:30"]}}


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BJ)


@pytest.mark.django_db
def test_holidays_false_counts_every_day_literally():
    """National Day 2025 and the 调休 Saturday do not apply: 2 working hours from 30 Sep
    16:45 end at 09:45 on 1 Oct (the holiday-aware calendar says 9 Oct)."""
    contract = import_spec(spec([EVERY_DAY])).contract
    stored = WorkCalendar.objects.get(code="every-day-0830-1730")
    assert stored.contract == contract and stored.holiday_set is None
    engine = calendar_engine("every-day-0830-1730")
    assert engine.add(at("2025-09-30T16:45"), 2, Unit.WORKING_HOURS).value == at(
        "2025-10-01T09:45")
    assert engine.is_working_day(datetime.date(2025, 10, 4))  # a Saturday in the holiday
    assert engine.day_notes(datetime.date(2025, 10, 1), datetime.date(2025, 10, 8)) == ()
    national = calendar_engine("cn-0830-1730")
    assert national.add(at("2025-09-30T16:45"), 2, Unit.WORKING_HOURS).value == at(
        "2025-10-09T09:45")


@pytest.mark.django_db
def test_holidays_false_round_trips_and_is_inherited():
    later = {"code": "every-day-late", "name": "每日晚班", "based_on": "every-day-0830-1730",
             "hours": {"mon": ["13:00-21:00"]}}
    contract = import_spec(spec([EVERY_DAY, later])).contract
    exported = export_data(contract)["calendars"]
    assert exported[0]["holidays"] is False
    assert exported[0]["hours"] == {"sat": ["08:30-17:30"], "sun": ["08:30-17:30"]}
    assert "holidays" not in exported[1]  # inherited from its base, not repeated
    assert WorkCalendar.objects.get(code="every-day-late").holiday_set is None
    import_spec(spec(exported))
    assert export_data(contract)["calendars"] == exported


@pytest.mark.django_db
def test_holidays_true_needs_a_base_with_holidays():
    bad = {"code": "duty-with-holidays", "name": "值班", "based_on": "7x24", "holidays": True}
    messages = [e.message("en") for e in spec_errors(spec([bad]))]
    assert any("calendars[0].holidays" in m and "no holiday set" in m for m in messages)


@pytest.mark.django_db
def test_spec_definitions_build_the_engines_without_writing():
    definitions = spec_definitions([EVERY_DAY, {"code": "x-lunch", "name": "午休",
                                                "based_on": "cn-0830-1730-lunch"}])
    assert not WorkCalendar.objects.filter(code="every-day-0830-1730").exists()
    every_day = engine_from_definition(definitions["every-day-0830-1730"])
    assert every_day.is_working_time(at("2025-10-01T10:00"))
    lunch = engine_from_definition(definitions["x-lunch"])
    assert not lunch.is_working_time(at("2025-10-01T10:00"))  # national holiday observed
    assert lunch.time_kind(at("2025-09-30T12:30")) is TimeKind.LUNCH_BREAK


CHINA = china_calendar(segments=STANDARD_HOURS_WITH_LUNCH, first_year=2025, last_year=2026)


@pytest.mark.parametrize(("when", "kind"), [
    ("2025-09-30T08:30", TimeKind.WORKING),
    ("2025-09-30T08:29:59", TimeKind.WEEKNIGHT),
    ("2025-09-30T12:00", TimeKind.LUNCH_BREAK),
    ("2025-09-30T13:00", TimeKind.WORKING),
    ("2025-09-30T17:30", TimeKind.WEEKNIGHT),
    ("2025-09-30T23:59:59", TimeKind.WEEKNIGHT),
    ("2025-10-01T10:00", TimeKind.HOLIDAY),  # National Day
    ("2025-10-04T10:00", TimeKind.HOLIDAY),  # a Saturday inside the holiday
    ("2025-09-27T10:00", TimeKind.REST_DAY),  # an ordinary Saturday
    ("2025-09-28T10:00", TimeKind.WORKING),  # Sunday 28 Sep: 调休 workday (CAL-01)
    ("2025-09-28T12:30", TimeKind.LUNCH_BREAK),
    ("2025-09-28T07:00", TimeKind.WEEKNIGHT),  # a 调休 day is a working day, not a rest day
])
def test_sla02_kind_of_time(when, kind):
    assert CHINA.time_kind(at(when)) is kind

