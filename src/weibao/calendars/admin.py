"""Calendars in the Django admin (administrators; model ``clean`` checks the hours)."""

from __future__ import annotations

from django.contrib import admin

from weibao.calendars.models import CalendarDay, HolidayDay, HolidaySet, HolidayYear, WorkCalendar


class HolidayYearInline(admin.TabularInline):
    model = HolidayYear
    extra = 0


@admin.register(HolidaySet)
class HolidaySetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "authority"]
    inlines = [HolidayYearInline]


@admin.register(HolidayDay)
class HolidayDayAdmin(admin.ModelAdmin):
    list_display = ["date", "holiday_set", "kind", "name"]
    list_filter = ["holiday_set", "kind"]
    date_hierarchy = "date"


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "holiday_set", "contract"]
    list_filter = ["kind", "holiday_set"]
    search_fields = ["code", "name"]
    inlines = [CalendarDayInline]
