"""CAL-01 scenario: the State Council publishes 2027's arrangement late; an administrator
enters it through the form as provisional, deadlines across Spring Festival 2027 are computed
and flagged provisional, and marking the year official makes them final."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from weibao.calendars.models import HolidayDay, HolidayYear
from weibao.calendars.selectors import calendar_engine
from weibao.calendars.worktime import CalendarError, Unit
from weibao.conftest import World, login

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
# A made-up 2027 notice for the test (Spring Festival: Sat 6 Feb 2027).
NOTICE_2027 = """\
2027-01-01 holiday 元旦
2027-02-05..2027-02-12 holiday 春节
2027-01-31 adjusted_workday 春节调休
2027-02-20 adjusted_workday 春节调休
"""


def test_cal01_provisional_2027_entered_through_the_form(client, world: World):
    start = datetime.datetime(2027, 2, 4, 16, 30, tzinfo=BJ)
    with pytest.raises(CalendarError, match="2027"):  # no data yet: never a guess
        calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS)

    login(client, world.users["admin"])
    form = client.get("/calendars/holidays/cn/years/new/")
    assert form.status_code == 200 and 'value="2027"' in form.content.decode()
    response = client.post("/calendars/holidays/cn/years/new/", {
        "year": "2027", "status": "provisional", "source": "征求意见稿", "text": NOTICE_2027})
    assert response.status_code == 302
    assert response["Location"] == "/calendars/holidays/cn/years/2027/"

    result = calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS, explain=True)
    # 1 h on Thu 4 Feb, Feb 5-12 off, Sat 13 and Sun 14 rest -> Mon 15 Feb 09:30
    assert result.value == datetime.datetime(2027, 2, 15, 9, 30, tzinfo=BJ)
    assert result.provisional is True
    assert any("春节" in (n.name or "") for n in result.explanation)
    adjusted = calendar_engine("cn-0830-1730").add(
        datetime.datetime(2027, 2, 19, 17, 0, tzinfo=BJ), 1, Unit.WORKING_HOURS)
    assert adjusted.value == datetime.datetime(2027, 2, 20, 9, 0, tzinfo=BJ)  # 调休 Saturday

    page = client.get("/calendars/cn-0830-1730/?year=2027").content.decode()
    assert 'data-testid="provisional"' in page
    assert 'data-date="2027-02-08" data-kind="holiday"' in page

    response = client.post("/calendars/holidays/cn/years/2027/official/",
                           {"source": "国办发明电〔2026〕1号"})
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2027).source == "国办发明电〔2026〕1号"
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).provisional is False


def test_the_form_shows_every_bad_line_and_writes_nothing(client, world: World):
    login(client, world.users["admin"])
    response = client.post("/calendars/holidays/cn/years/new/", {
        "year": "2027", "status": "official",
        "text": "2027-01-01 holiday 元旦\n2027-02-30 holiday 春节\n2026-12-31 holiday x\n"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="line-errors"' in body
    assert "2027-02-30" in body and "2026-12-31" in body
    assert not HolidayYear.objects.filter(year=2027).exists()
    assert not HolidayDay.objects.filter(date__year=2027).exists()


def test_the_form_takes_an_uploaded_yaml_file(client, world: World):
    login(client, world.users["admin"])
    upload = SimpleUploadedFile("2027.yaml", "- {date: 2027-01-01, kind: holiday, name: 元旦}\n"
                                .encode(), content_type="application/yaml")
    response = client.post("/calendars/holidays/cn/years/new/", {
        "year": "2027", "status": "provisional", "file": upload})
    assert response.status_code == 302
    assert HolidayDay.objects.filter(date="2027-01-01", name="元旦").exists()


def test_a_day_corrected_through_the_form_changes_deadlines(client, world: World):
    login(client, world.users["admin"])
    start = datetime.datetime(2025, 9, 29, 16, 30, tzinfo=BJ)
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value.day == 30
    response = client.post("/calendars/holidays/cn/days/2025-09-30/",
                           {"kind": "holiday", "name": "台风"})
    assert response.status_code == 302
    assert calendar_engine("cn-0830-1730").add(start, 2, Unit.WORKING_HOURS).value.day == 9
    assert client.get("/calendars/holidays/cn/days/?date=2025-09-30")["Location"] == \
        "/calendars/holidays/cn/days/2025-09-30/"
    history = client.get("/calendars/holidays/cn/history/").content.decode()
    assert "台风" in history
    client.post("/calendars/holidays/cn/days/2025-09-30/", {"kind": ""})
    assert not HolidayDay.objects.filter(date="2025-09-30").exists()


def test_compute_command():
    out = StringIO()
    call_command("calendar", "compute", "cn-0830-1730", "2025-09-30T16:45", "3",
                 "working_hours", stdout=out)
    text = out.getvalue()
    assert "due: 2025-10-09T10:45:00+08:00" in text and "provisional: no" in text
    assert "2025-10-01 节假日：国庆节" in text  # the command speaks the default language (zh-hans)
    out = StringIO()
    call_command("calendar", "compute", "cn-0830-1730", "2026-02-13T10:00",
                 "2026-02-24T13:00", "working_days", stdout=out)
    assert "elapsed: 3/2 working_days (1.5)" in out.getvalue()
