"""PLT-03: every change of holiday sets and calendars is written to the audit log."""

from auditlog.registry import auditlog

from weibao.calendars.models import CalendarDay, HolidayDay, HolidaySet, HolidayYear, WorkCalendar

for model in (HolidaySet, HolidayYear, HolidayDay, WorkCalendar, CalendarDay):
    auditlog.register(model)
