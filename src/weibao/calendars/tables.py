"""Calendar and holiday set tables."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from weibao.calendars.models import HolidaySet, WorkCalendar

__all__ = ["CalendarTable", "HolidaySetTable"]


class CalendarTable(tables.Table):
    code = tables.LinkColumn("calendars:detail", args=[tables.A("code")])
    name = tables.Column()
    kind = tables.Column()
    holiday_set = tables.Column(accessor="holiday_set__code", verbose_name=_("holiday set"))
    contract = tables.Column(verbose_name=_("contract"), empty_values=(),
                             order_by=("contract__number",))
    hours = tables.Column(verbose_name=_("Monday hours"), empty_values=(), orderable=False)

    class Meta:
        model = WorkCalendar
        fields = ["code", "name", "kind", "holiday_set", "contract", "hours", "timezone"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "calendar-table"}
        row_attrs = {"data-calendar": lambda record: record.code}

    def render_contract(self, record: WorkCalendar) -> str:
        return record.contract.number if record.contract else str(_("National"))

    def render_hours(self, record: WorkCalendar) -> str:
        return ", ".join(record.hours()["mon"]) or "—"


class HolidaySetTable(tables.Table):
    code = tables.LinkColumn("calendars:holiday-set", args=[tables.A("code")])
    years = tables.Column(verbose_name=_("years"), empty_values=(), orderable=False)

    class Meta:
        model = HolidaySet
        fields = ["code", "name", "authority", "years"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "holiday-set-table"}

    def render_years(self, record: HolidaySet) -> str:
        years = sorted(y.year for y in record.years.all())
        return f"{years[0]}–{years[-1]}" if years else "—"
