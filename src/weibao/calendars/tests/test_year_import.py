"""CAL-01: entering a year's State Council notice — all or nothing, with per-line errors."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from weibao.calendars import services
from weibao.calendars.choices import DayType, YearStatus
from weibao.calendars.models import HolidayDay, HolidaySet, HolidayYear
from weibao.calendars.services.yearfile import parse_year_file
from weibao.core.errors import ServiceError

pytestmark = pytest.mark.django_db

D = datetime.date

GOOD_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知 (example)
2027-01-01 holiday 元旦
2027-02-05..2027-02-12 holiday 春节
2027-01-31 adjusted_workday 春节调休
2027-02-20 班 春节调休
2027-09-30 half_day 国庆节前 08:30-12:00
2027-12-31 custom 年终盘点 09:00-11:00, 14:00-16:00
"""


@pytest.fixture
def cn() -> HolidaySet:
    return HolidaySet.objects.get(code="cn")


def test_a_good_year_is_written_with_its_source_and_audited(cn):
    row = services.import_holiday_year(cn, 2027, GOOD_2027, status=YearStatus.PROVISIONAL,
                                       source="草案")
    assert (row.year, row.status, row.source) == (2027, YearStatus.PROVISIONAL, "草案")
    days = {d.date: d for d in cn.days.filter(date__year=2027)}
    assert len(days) == 13
    assert all(days[D(2027, 2, d)].kind == DayType.HOLIDAY for d in range(5, 13))
    assert days[D(2027, 2, 20)].kind == DayType.ADJUSTED_WORKDAY
    assert days[D(2027, 2, 20)].segments is None
    assert days[D(2027, 9, 30)].segments == ["08:30-12:00"]
    assert days[D(2027, 9, 30)].name == "国庆节前"
    assert days[D(2027, 12, 31)].segments == ["09:00-11:00", "14:00-16:00"]
    assert LogEntry.objects.get_for_model(HolidayDay).count() == 13
    assert LogEntry.objects.get_for_model(HolidayYear).filter(object_pk=str(row.pk)).exists()


# (line, expected code, English fragment)
BAD_LINES = [
    ("2027-02-30 holiday 春节", "bad_date", "2027-02-30 is not a date"),
    ("2027/02/03 holiday 春节", "bad_date", "is not a date"),
    ("2026-12-31 holiday 元旦", "outside_year", "is not in the year 2027"),
    ("2027-03-01 festival 节日", "unknown_kind", "festival is not a day kind"),
    ("2027-01-01 holiday 元旦重复", "duplicate", "already given on line 1"),
    ("2027-03-02 half_day 节前 08:30-12:00,11:00-13:00", "segments", "overlapping"),
    ("2027-03-03 half_day 节前 12:00-08:30", "segments", "empty or reversed"),
    ("2027-03-04 custom 盘点 09:00-09:00", "segments", "empty or reversed"),
    ("2027-03-05 half_day 节前", "segments", "a half day needs"),
    ("2027-03-06 holiday 休 08:30-12:00", "segments", "cannot have working hours"),
    ("2027-03-07 half_day 节前 25:00-26:00", "segments", "invalid"),
    ("2027-03-08", "format", "expected 'date kind"),
    ("2027-03-20..2027-03-10 holiday 倒序", "bad_range", "not a range"),
]


@pytest.mark.parametrize(("line", "code", "fragment"), BAD_LINES, ids=[b[1] + "-" + b[0][:10]
                                                                        for b in BAD_LINES])
def test_cal01_every_bad_line_is_reported_and_nothing_is_written(cn, line, code, fragment):
    text = f"2027-01-01 holiday 元旦\n2027-01-02 holiday 元旦\n{line}\n"
    before = (HolidayDay.objects.count(), HolidayYear.objects.count(), LogEntry.objects.count())
    with pytest.raises(services.YearFileInvalid) as info:
        services.import_holiday_year(cn, 2027, text, status=YearStatus.OFFICIAL)
    [error] = info.value.errors
    assert (error.line, error.code) == (3, code)
    english = error.message("en")
    assert english.startswith("line 3: ") and fragment in english, english
    assert error.message("zh-hans")  # the catalog supplies the Chinese text
    assert info.value.message_dict["text"]
    assert (HolidayDay.objects.count(), HolidayYear.objects.count(),
            LogEntry.objects.count()) == before


def test_every_error_of_a_file_is_reported_at_once(cn):
    text = "2027-01-01 holiday 元旦\n\n2027-13-01 holiday x\n2027-01-01 holiday y\nfoo\n"
    with pytest.raises(services.YearFileInvalid) as info:
        services.import_holiday_year(cn, 2027, text)
    assert [(e.line, e.code) for e in info.value.errors] == [
        (3, "bad_date"), (4, "duplicate"), (5, "format")]
    assert not cn.years.filter(year=2027).exists()


def test_csv_and_yaml_files(cn):
    csv_text = "date,kind,name,segments\n2027-01-01,holiday,元旦,\n" \
               "2027-09-30,half_day,节前,08:30-12:00;13:00-15:00\n"
    rows, errors = parse_year_file(csv_text, 2027, filename="2027.csv")
    assert errors == [] and rows[1].segments == ["08:30-12:00", "13:00-15:00"]
    rows, errors = parse_year_file("date,kind\n2027-01-01,nope\n", 2027)
    assert [(e.line, e.code) for e in errors] == [(2, "unknown_kind")]
    yaml_text = "days:\n  - {date: 2027-01-01, kind: holiday, name: 元旦}\n" \
                "  - {date: 2027-02-05..2027-02-06, kind: holiday}\n" \
                "  - {date: 2027-02-07, kind: half_day}\n"
    rows, errors = parse_year_file(yaml_text, 2027, filename="2027.yaml")
    assert len(rows) == 3
    assert [(e.line, e.code) for e in errors] == [(3, "segments")]
    assert errors[0].message("en").startswith("entry 3: ")
    rows, errors = parse_year_file("days: [unclosed", 2027, filename="x.yml")
    assert errors[0].code == "file" and errors[0].line == 0


def test_an_entered_year_is_replaced_only_when_asked(cn):
    services.import_holiday_year(cn, 2027, GOOD_2027)
    with pytest.raises(ServiceError) as info:
        services.import_holiday_year(cn, 2027, "2027-01-01 holiday 元旦\n")
    assert "already entered" in " ".join(info.value.messages)
    services.import_holiday_year(cn, 2027, "2027-01-01 holiday 元旦\n2027-01-02 holiday 元旦\n",
                                 replace=True, status=YearStatus.OFFICIAL)
    assert list(cn.days.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1), D(2027, 1, 2)]
    assert cn.years.get(year=2027).status == YearStatus.OFFICIAL


def test_an_official_year_needs_days_a_provisional_one_may_be_empty(cn):
    with pytest.raises(services.YearFileInvalid) as info:
        services.import_holiday_year(cn, 2027, "# nothing yet\n", status=YearStatus.OFFICIAL)
    assert info.value.errors[0].message("en") == "no days given"
    row = services.import_holiday_year(cn, 2027, "", status=YearStatus.PROVISIONAL)
    assert row.is_provisional and not cn.days.filter(date__year=2027).exists()


def test_correcting_a_day_needs_its_year(cn):
    with pytest.raises(ServiceError, match="enter the year first"):
        services.correct_holiday_day(cn, D(2030, 1, 1), kind=DayType.HOLIDAY)
    with pytest.raises(ServiceError):
        services.correct_holiday_day(cn, D(2025, 3, 3), kind=DayType.HALF_DAY, segments=[])
    day = services.correct_holiday_day(cn, D(2025, 3, 3), kind=DayType.HALF_DAY,
                                       segments="08:30-12:00", name="地方")
    assert day.segments == ["08:30-12:00"]


def test_import_year_command(cn, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(GOOD_2027, encoding="utf-8")
    out = StringIO()
    call_command("calendar", "import-year", "cn", str(path), "--official",
                 "--source", "国办发明电〔2026〕1号", stdout=out)
    assert "cn 2027: 13 day(s), official" in out.getvalue()
    bad = tmp_path / "bad.txt"
    bad.write_text("2028-01-01 holiday 元旦\n2028-01-01 holiday 元旦\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("calendar", "--lang", "en", "import-year", "cn", str(bad), stderr=err)
    assert "line 2: 2028-01-01 is already given on line 1" in err.getvalue()
    assert not cn.years.filter(year=2028).exists()
