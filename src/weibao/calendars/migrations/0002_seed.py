"""Seed the State Council's holiday set ``cn`` with every year ``chinesecalendar`` knows, and
the three national calendars: cn-0830-1730, cn-0830-1730-lunch and 7x24 (CAL-01, CAL-02)."""

import importlib.metadata
import uuid

from django.db import migrations
from django.utils import timezone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekly(segments):
    return {key: (list(segments) if i < 5 else []) for i, key in enumerate(WEEKDAYS)}


def seed(apps, schema_editor):
    from weibao.calendars.china import china_data_years, china_overrides

    HolidaySet = apps.get_model("calendars", "HolidaySet")
    HolidayYear = apps.get_model("calendars", "HolidayYear")
    HolidayDay = apps.get_model("calendars", "HolidayDay")
    WorkCalendar = apps.get_model("calendars", "WorkCalendar")
    CalendarDataVersion = apps.get_model("calendars", "CalendarDataVersion")

    version = importlib.metadata.version("chinesecalendar")
    cn = HolidaySet.objects.create(
        code="cn", name="中国法定节假日",
        authority="国务院办公厅 (General Office of the State Council)",
        description="部分节假日安排的通知, year by year; seeded from chinesecalendar. "
                    "Enter next year's notice when it is published.",
    )
    first, last = china_data_years()
    HolidayYear.objects.bulk_create([
        HolidayYear(holiday_set=cn, year=year, status="official",
                    source=f"国务院办公厅通知 (chinesecalendar {version})")
        for year in range(first, last + 1)
    ])
    HolidayDay.objects.bulk_create([
        HolidayDay(holiday_set=cn, date=day, kind=override.kind.value,
                   name=override.name or "", segments=None)
        for day, override in sorted(china_overrides(first, last).items())
    ], batch_size=500)
    WorkCalendar.objects.bulk_create([
        WorkCalendar(code="cn-0830-1730", name="工作日 8:30–17:30（法定节假日、调休）",
                     holiday_set=cn, weekly_hours=_weekly(["08:30-17:30"])),
        WorkCalendar(code="cn-0830-1730-lunch",
                     name="工作日 8:30–12:00、13:00–17:30（午休，法定节假日、调休）",
                     holiday_set=cn, weekly_hours=_weekly(["08:30-12:00", "13:00-17:30"])),
        WorkCalendar(code="7x24", name="7×24 全天候", kind="always", holiday_set=None,
                     weekly_hours={}),
    ])
    CalendarDataVersion.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("calendars", "WorkCalendar").objects.filter(
        code__in=["cn-0830-1730", "cn-0830-1730-lunch", "7x24"]).delete()
    apps.get_model("calendars", "HolidaySet").objects.filter(code="cn").delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
