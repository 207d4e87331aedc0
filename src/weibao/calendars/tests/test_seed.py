"""CAL-01: the migrations seed China's holiday set and the national calendars; the seed
command refreshes the set from chinesecalendar without undoing an administrator's work."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from weibao.calendars import services
from weibao.calendars.china import china_data_years, china_overrides
from weibao.calendars.choices import CalendarKind, DayType, YearStatus
from weibao.calendars.models import CalendarDataVersion, HolidayDay, HolidaySet, WorkCalendar

pytestmark = pytest.mark.django_db

D = datetime.date


def test_cal01_national_day_2025_is_seeded_and_official():
    cn = HolidaySet.objects.get(code="cn")
    year = cn.years.get(year=2025)
    assert year.status == YearStatus.OFFICIAL
    assert "chinesecalendar" in year.source
    days = {d.date: d for d in cn.days.filter(date__year=2025, date__month__in=[9, 10])}
    for day in range(1, 9):
        assert days[D(2025, 10, day)].kind == DayType.HOLIDAY
    assert "国庆节" in days[D(2025, 10, 1)].name
    assert days[D(2025, 9, 28)].kind == DayType.ADJUSTED_WORKDAY
    assert days[D(2025, 10, 11)].kind == DayType.ADJUSTED_WORKDAY
    assert D(2025, 10, 9) not in days


def test_every_year_the_package_knows_is_seeded_with_all_its_days():
    first, last = china_data_years()
    cn = HolidaySet.objects.get(code="cn")
    assert list(cn.years.values_list("year", flat=True)) == list(range(first, last + 1))
    assert set(cn.years.values_list("status", flat=True)) == {YearStatus.OFFICIAL}
    assert cn.days.count() == len(china_overrides(first, last))


def test_national_calendars_are_seeded():
    standard = WorkCalendar.objects.get(code="cn-0830-1730")
    assert standard.holiday_set.code == "cn" and standard.contract is None
    assert standard.hours()["mon"] == ["08:30-17:30"] and standard.hours()["sat"] == []
    lunch = WorkCalendar.objects.get(code="cn-0830-1730-lunch")
    assert lunch.hours()["fri"] == ["08:30-12:00", "13:00-17:30"]
    always = WorkCalendar.objects.get(code="7x24")
    assert always.kind == CalendarKind.ALWAYS and always.holiday_set is None
    assert always.hours()["sun"] == ["00:00-24:00"]
    assert CalendarDataVersion.objects.filter(pk=1).exists()


def test_refresh_on_a_fresh_install_changes_nothing():
    report = services.refresh_china_years()
    assert report.created == [] and report.updated == [] and report.days_written == 0


def test_refresh_completes_provisional_years_and_keeps_corrected_official_ones():
    cn = HolidaySet.objects.get(code="cn")
    cn.years.filter(year=2026).update(status=YearStatus.PROVISIONAL)
    HolidayDay.objects.filter(holiday_set=cn, date=D(2026, 1, 1)).delete()
    services.correct_holiday_day(cn, D(2025, 12, 31), kind=DayType.HOLIDAY, name="地方假日")
    report = services.refresh_china_years()
    assert report.updated == [2026] and report.days_written == 1
    assert cn.years.get(year=2026).status == YearStatus.OFFICIAL
    assert cn.days.filter(date=D(2026, 1, 1)).exists()
    assert cn.days.filter(date=D(2025, 12, 31)).exists()  # correction kept
    report = services.refresh_china_years(force=True)
    assert not cn.days.filter(date=D(2025, 12, 31)).exists()  # --force restores the package


def test_seed_command_reports():
    out = StringIO()
    call_command("calendar", "seed", stdout=out)
    assert "created: -" in out.getvalue()
