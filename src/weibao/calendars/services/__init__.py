"""Writes and rules of the calendars domain. Each public function is one transaction."""

from weibao.calendars.services.calendars import (
    CalendarInput,
    remove_calendar_day,
    save_calendar,
    set_calendar_day,
)
from weibao.calendars.services.holidays import (
    CHINA_SET,
    RefreshReport,
    YearFileInvalid,
    correct_holiday_day,
    import_holiday_year,
    mark_year_official,
    refresh_china_years,
)

__all__ = [
    "CHINA_SET",
    "CalendarInput",
    "RefreshReport",
    "YearFileInvalid",
    "correct_holiday_day",
    "import_holiday_year",
    "mark_year_official",
    "refresh_china_years",
    "remove_calendar_day",
    "save_calendar",
    "set_calendar_day",
]
