from weibao.calendars.models.calendars import (
    CalendarDataVersion,
    CalendarDay,
    WorkCalendar,
    bump_data_version,
)
from weibao.calendars.models.holidays import HolidayDay, HolidaySet, HolidayYear

__all__ = [
    "CalendarDataVersion",
    "CalendarDay",
    "HolidayDay",
    "HolidaySet",
    "HolidayYear",
    "WorkCalendar",
    "bump_data_version",
]
