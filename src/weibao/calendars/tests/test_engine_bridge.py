"""The engine bridge (``selectors.calendar_engine``): the database builds the same calendar as
the pure engine, caches it per process and rebuilds it after any change, in any process."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from weibao.calendars import services
from weibao.calendars.china import china_calendar
from weibao.calendars.choices import DayType, YearStatus
from weibao.calendars.models import (
    CalendarDataVersion,
    HolidayDay,
    HolidaySet,
    HolidayYear,
)
from weibao.calendars.selectors import (
    UnknownCalendar,
    calendar_codes,
    calendar_engine,
    clear_engine_cache,
    validate_calendar_code,
)
from weibao.calendars.tests.conftest import contract_calendar
from weibao.calendars.worktime import CalendarError, Unit

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BJ)


def test_cal01_bridge_equals_china_calendar_for_2025():
    engine, reference = calendar_engine("cn-0830-1730"), china_calendar()
    assert (engine.first_year, engine.last_year) == (reference.first_year, reference.last_year)
    day = D(2025, 1, 1)
    while day.year == 2025:
        assert engine.day_note(day) == reference.day_note(day), day
        assert engine.working_segments(day) == reference.working_segments(day), day
        day += datetime.timedelta(days=1)
    for start, amount in [(at(2025, 9, 30, 16, 45), 3), (at(2025, 9, 26, 16), 2),
                          (at(2025, 1, 24, 17), 9)]:
        assert engine.add(start, amount, Unit.WORKING_HOURS) == reference.add(
            start, amount, Unit.WORKING_HOURS)
    assert engine.add(at(2025, 9, 30, 16, 45), 3, Unit.WORKING_HOURS).value == at(
        2025, 10, 9, 10, 45)


def test_cal02_lunch_and_7x24_calendars():
    lunch = calendar_engine("cn-0830-1730-lunch")
    assert lunch.add(at(2025, 10, 9, 11), 2, Unit.WORKING_HOURS).value == at(2025, 10, 9, 14)
    always = calendar_engine("7x24")
    assert (always.first_year, always.last_year) == (2000, 2100)
    assert always.add(at(2025, 10, 1, 10), 2, Unit.WORKING_HOURS).value == at(2025, 10, 1, 12)


def test_unknown_code_is_a_calendar_error_naming_it():
    with pytest.raises(UnknownCalendar) as info:
        calendar_engine("no-such-calendar")
    assert isinstance(info.value, CalendarError)
    assert "no-such-calendar" in str(info.value) and "cn-0830-1730" in str(info.value)


def test_cached_call_costs_one_query(django_assert_num_queries):
    first = calendar_engine("cn-0830-1730")
    with django_assert_num_queries(1):
        assert calendar_engine("cn-0830-1730") is first


def test_cache_invalidation_after_a_correction_changes_add():
    """A day turned into a holiday changes the result at once."""
    start = at(2025, 9, 29, 16, 30)
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value == at(
        2025, 9, 30, 9, 30)
    services.correct_holiday_day(HolidaySet.objects.get(code="cn"), D(2025, 9, 30),
                                 kind=DayType.HOLIDAY, name="台风停工")
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value == at(
        2025, 10, 9, 9, 30)
    services.correct_holiday_day(HolidaySet.objects.get(code="cn"), D(2025, 9, 30), kind=None)
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value == at(
        2025, 9, 30, 9, 30)


def test_a_change_made_by_another_process_is_seen():
    """Another process writes rows (no signal reaches this one) and a new token."""
    engine = calendar_engine("cn-0830-1730")
    HolidayDay.objects.filter(holiday_set__code="cn", date=D(2025, 10, 8)).update(
        kind=DayType.ADJUSTED_WORKDAY)  # queryset.update: no signal in this process
    assert calendar_engine("cn-0830-1730") is engine  # same token: still cached
    # What the other process's bump_data_version wrote in its transaction (it cannot clear
    # this process's cache; only the token tells).
    CalendarDataVersion.objects.filter(pk=1).update(token="from-another-process")
    assert calendar_engine("cn-0830-1730").is_working_day(D(2025, 10, 8))


def test_another_process_change_is_read_within_the_recheck_interval(settings, monkeypatch):
    """With an interval, the token is read at most once per interval (no query in between),
    and a change written elsewhere is seen once the interval has passed."""
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr("weibao.core.stamped.time.monotonic", lambda: clock[0])
    clear_engine_cache()
    engine = calendar_engine("cn-0830-1730")
    HolidayDay.objects.filter(holiday_set__code="cn", date=D(2025, 10, 8)).update(
        kind=DayType.ADJUSTED_WORKDAY)
    CalendarDataVersion.objects.filter(pk=1).update(token="from-another-process")
    clock[0] += 1.5
    assert calendar_engine("cn-0830-1730") is engine
    clock[0] += 1.0
    assert calendar_engine("cn-0830-1730").is_working_day(D(2025, 10, 8))


def test_a_change_made_in_this_process_is_seen_at_once_whatever_the_interval(settings):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 3600
    start = at(2025, 9, 29, 16, 30)
    calendar_engine("cn-0830-1730")
    services.correct_holiday_day(HolidaySet.objects.get(code="cn"), D(2025, 9, 30),
                                 kind=DayType.HOLIDAY, name="台风停工")
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value == at(
        2025, 10, 9, 9, 30)


def test_a_rolled_back_change_is_never_served():
    start = at(2025, 9, 29, 16, 30)
    cn = HolidaySet.objects.get(code="cn")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.correct_holiday_day(cn, D(2025, 9, 30), kind=DayType.HOLIDAY)
        assert not calendar_engine("cn-0830-1730").is_working_day(D(2025, 9, 30))
        raise RuntimeError
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value == at(
        2025, 9, 30, 9, 30)


def test_calendar_own_days_win_over_the_holiday_set(world):
    calendar = contract_calendar(world, "a", "a-hours")
    services.set_calendar_day(calendar, D(2025, 10, 9), kind=DayType.HOLIDAY, name="搬迁停业")
    services.set_calendar_day(calendar, D(2025, 10, 8), kind=DayType.HALF_DAY, name="值班",
                              segments=["09:00-12:00"])
    engine = calendar_engine("a-hours")
    assert not engine.is_working_day(D(2025, 10, 9))
    assert engine.add(at(2025, 10, 8, 9), 3, Unit.WORKING_HOURS).value == at(2025, 10, 8, 12)
    assert engine.add(at(2025, 10, 8, 11), 2, Unit.WORKING_HOURS).value == at(2025, 10, 10, 9, 30)
    assert calendar_engine("cn-0830-1730").is_working_day(D(2025, 10, 9))


def test_provisional_year_propagates_into_results():
    cn = HolidaySet.objects.get(code="cn")
    services.import_holiday_year(cn, 2027, "2027-01-01 holiday 元旦\n", status="provisional")
    engine = calendar_engine("cn-0830-1730")
    assert engine.last_year == 2027 and engine.provisional_years == frozenset({2027})
    assert engine.add(at(2026, 12, 31, 16, 30), 2, Unit.WORKING_HOURS).provisional
    assert not engine.add(at(2026, 12, 30, 9), 2, Unit.WORKING_HOURS).provisional
    services.mark_year_official(cn.years.get(year=2027), source="国办发明电〔2026〕1号")
    assert not calendar_engine("cn-0830-1730").add(
        at(2026, 12, 31, 16, 30), 2, Unit.WORKING_HOURS).provisional


def test_a_missing_year_between_known_ones_is_provisional():
    cn = HolidaySet.objects.get(code="cn")
    HolidayYear.objects.create(holiday_set=cn, year=2028, status=YearStatus.OFFICIAL)
    engine = calendar_engine("cn-0830-1730")
    assert engine.last_year == 2028 and 2027 in engine.provisional_years
    assert 2028 not in engine.provisional_years


def test_beyond_the_entered_years_is_an_error_not_a_guess():
    with pytest.raises(CalendarError, match="2027"):
        calendar_engine("cn-0830-1730").add(at(2026, 12, 31, 16, 30), 2, Unit.WORKING_HOURS)


def test_holiday_set_without_years_cannot_make_a_calendar():
    cn = HolidaySet.objects.get(code="cn")
    HolidayDay.objects.filter(holiday_set=cn).delete()
    HolidayYear.objects.filter(holiday_set=cn).delete()
    with pytest.raises(CalendarError, match="no years"):
        calendar_engine("cn-0830-1730")
    assert "no years" in validate_calendar_code("cn-0830-1730")


def test_validate_calendar_code(world):
    contract_calendar(world, "a", "a-hours")
    assert validate_calendar_code("cn-0830-1730") is None
    assert validate_calendar_code("a-hours") is None
    assert validate_calendar_code("a-hours", contract_number=world.a.number) is None
    assert "another contract" in validate_calendar_code("a-hours",
                                                        contract_number=world.b.number)
    message = validate_calendar_code("nope")
    assert "nope" in message and "7x24" in message and "a-hours" not in message


def test_calendar_codes_are_scoped(world):
    contract_calendar(world, "a", "a-hours")
    national = ["7x24", "cn-0830-1730", "cn-0830-1730-lunch"]
    assert calendar_codes() == sorted([*national, "a-hours"])
    assert calendar_codes(world.users["engineer"]) == sorted([*national, "a-hours"])
    assert calendar_codes(world.users["outsider"]) == national
    assert calendar_codes(world.users["admin"]) == sorted([*national, "a-hours"])
