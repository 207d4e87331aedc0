"""Holiday sets: seed China's years, enter a State Council notice, mark official, correct."""

from __future__ import annotations

import datetime
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.calendars.choices import DayType, YearStatus
from weibao.calendars.hours import check_day
from weibao.calendars.models import HolidayDay, HolidaySet, HolidayYear
from weibao.calendars.services.yearfile import DayRow, LineError, parse_year_file
from weibao.calendars.signals import one_version_bump
from weibao.calendars.worktime import CalendarError
from weibao.core.audit import acting_as
from weibao.core.errors import ServiceError

__all__ = [
    "CHINA_SET",
    "RefreshReport",
    "YearFileInvalid",
    "correct_holiday_day",
    "import_holiday_year",
    "mark_year_official",
    "refresh_china_years",
]

#: Code of the State Council's holiday set, seeded by the migrations.
CHINA_SET = "cn"
CHINA_SET_NAME = "中国法定节假日"
CHINA_AUTHORITY = "国务院办公厅 (General Office of the State Council)"


class YearFileInvalid(ServiceError):
    """A year's days were rejected; ``errors`` lists every bad line. Nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        super().__init__({"text": [e.message() for e in errors]})


@dataclass
class RefreshReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    days_written: int = 0


def _package_source() -> str:
    try:
        version = importlib.metadata.version("chinesecalendar")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        version = "?"
    return f"国务院办公厅通知 (chinesecalendar {version})"


def _sync_days(holiday_set: HolidaySet, year: int,
               wanted: dict[datetime.date, tuple[str, str, list[str] | None]]) -> int:
    """Make the set's days of ``year`` exactly ``wanted``; unchanged rows are not saved."""
    written = 0
    existing = {d.date: d for d in holiday_set.days.filter(date__year=year)}
    for day, row in existing.items():
        if day not in wanted:
            row.delete()
            written += 1
    for day, (kind, name, segments) in sorted(wanted.items()):
        row = existing.get(day) or HolidayDay(holiday_set=holiday_set, date=day)
        if row.pk is None or (row.kind, row.name, row.segments) != (kind, name, segments):
            row.kind, row.name, row.segments = kind, name, segments
            row.save()
            written += 1
    return written


def refresh_china_years(*, force: bool = False, actor: Any = None) -> RefreshReport:
    """Fill the ``cn`` set from ``chinesecalendar``: every year it knows that is missing or
    still provisional becomes official with the package's days. Official years are kept as
    they are (an administrator may have corrected them) unless ``force``."""
    from weibao.calendars.china import china_data_years, china_overrides

    first, last = china_data_years()
    by_year: dict[int, dict[datetime.date, tuple[str, str, list[str] | None]]] = {}
    for day, override in china_overrides(first, last).items():
        by_year.setdefault(day.year, {})[day] = (override.kind.value, override.name or "", None)
    report = RefreshReport()
    source = _package_source()
    with acting_as(actor), transaction.atomic(), one_version_bump():
        holiday_set, _created = HolidaySet.objects.get_or_create(
            code=CHINA_SET, defaults={"name": CHINA_SET_NAME, "authority": CHINA_AUTHORITY})
        years = {y.year: y for y in holiday_set.years.select_for_update()}
        for year in range(first, last + 1):
            row = years.get(year)
            if row is not None and row.status == YearStatus.OFFICIAL and not force:
                report.kept.append(year)
                continue
            if row is None:
                row = HolidayYear(holiday_set=holiday_set, year=year)
                report.created.append(year)
            else:
                report.updated.append(year)
            row.status, row.source = YearStatus.OFFICIAL, source
            row.save()
            report.days_written += _sync_days(holiday_set, year, by_year.get(year, {}))
    return report


def import_holiday_year(holiday_set: HolidaySet, year: int, text: str, *,
                        status: str = YearStatus.PROVISIONAL, source: str = "",
                        replace: bool = False, filename: str = "",
                        actor: Any = None) -> HolidayYear:
    """Enter a year's notice (e.g. 2027's) as the set's days for that year: all or nothing.

    ``text`` is lines, CSV or YAML (see :mod:`weibao.calendars.services.yearfile`). An existing
    year is replaced only with ``replace``; its days become exactly the file's days.
    """
    if status not in YearStatus.values:
        raise ServiceError({"status": [_("Unknown status %(value)s.") % {"value": status}]})
    if not 1900 <= year <= 2200:
        raise ServiceError({"year": [_("%(year)s is not a year between 1900 and 2200.")
                                     % {"year": year}]})
    rows, errors = parse_year_file(text, year, filename=filename)
    if not errors and not rows and status == YearStatus.OFFICIAL:
        errors = [LineError(0, "empty")]
    if errors:
        raise YearFileInvalid(errors)
    with acting_as(actor), transaction.atomic(), one_version_bump():
        holiday_set = HolidaySet.objects.select_for_update().get(pk=holiday_set.pk)
        row = holiday_set.years.filter(year=year).first()
        if row is not None and not replace:
            raise ServiceError({"year": [
                _("%(year)s is already entered; choose to replace it, or correct single days.")
                % {"year": year}]})
        row = row or HolidayYear(holiday_set=holiday_set, year=year)
        row.status, row.source = status, source.strip()
        row.save()
        _sync_days(holiday_set, year, _wanted(rows))
    return row


def _wanted(rows: Iterable[DayRow]) -> dict[datetime.date, tuple[str, str, list[str] | None]]:
    return {r.date: (r.kind, r.name, r.segments) for r in rows}


def mark_year_official(year: HolidayYear, *, source: str | None = None,
                       actor: Any = None) -> HolidayYear:
    """The notice is published and the days checked: results in this year are final."""
    with acting_as(actor), transaction.atomic():
        row = HolidayYear.objects.select_for_update().get(pk=year.pk)
        if row.status == YearStatus.OFFICIAL and (source is None or source == row.source):
            return row
        row.status = YearStatus.OFFICIAL
        if source is not None:
            row.source = source.strip()
        row.save()
    return row


def correct_holiday_day(holiday_set: HolidaySet, day: datetime.date, *, kind: str | None,
                        name: str = "", segments: Any = None,
                        actor: Any = None) -> HolidayDay | None:
    """Set one day of a set (``kind`` None or empty: an ordinary day again, row removed).

    The day's year must already be entered (a year is entered as a whole, then corrected).
    """
    try:
        segs = check_day(kind, segments) if kind else None
    except CalendarError as exc:
        field_name = "kind" if kind not in DayType.values else "segments"
        raise ServiceError({field_name: [str(exc)]}) from exc
    with acting_as(actor), transaction.atomic():
        if not holiday_set.years.filter(year=day.year).exists():
            raise ServiceError({"date": [
                _("%(year)s is not entered in %(set)s yet; enter the year first.")
                % {"year": day.year, "set": holiday_set.code}]})
        row = HolidayDay.objects.select_for_update().filter(
            holiday_set=holiday_set, date=day).first()
        if not kind:
            if row is not None:
                row.delete()
            return None
        row = row or HolidayDay(holiday_set=holiday_set, date=day)
        if row.pk is None or (row.kind, row.name, row.segments) != (kind, name.strip(), segs):
            row.kind, row.name, row.segments = kind, name.strip(), segs
            row.save()
        return row
