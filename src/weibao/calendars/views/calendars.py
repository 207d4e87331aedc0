"""Calendar pages: list, detail (a year as a month grid), create, edit, own days, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.calendars import services
from weibao.calendars.choices import WEEKDAYS, CalendarKind, GridDay
from weibao.calendars.filtersets import CalendarFilterSet
from weibao.calendars.forms import CalendarCreateForm, CalendarEditForm, DayForm
from weibao.calendars.models import WorkCalendar
from weibao.calendars.selectors import (
    calendar_engine,
    can_manage_calendar,
    visible_calendars,
    year_months,
)
from weibao.calendars.tables import CalendarTable
from weibao.calendars.views.common import CalendarScopedMixin, history, parse_day, parse_year
from weibao.calendars.worktime import CalendarError
from weibao.contracts.selectors import visible_contracts
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = [
    "CalendarCreateView",
    "CalendarDayDeleteView",
    "CalendarDayView",
    "CalendarDetailView",
    "CalendarEditView",
    "CalendarHistoryView",
    "CalendarListView",
]

FORM_TEMPLATE = "calendars/form.html"


class CalendarListView(PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "calendars.view_workcalendar"
    filterset_class = CalendarFilterSet
    table_class = CalendarTable
    paginate_by = 50
    template_name = "calendars/calendar_list.html"

    def get_queryset(self) -> QuerySet[WorkCalendar]:
        return visible_calendars(self.request.user)

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = can_manage_calendar(self.request.user)
        return context


def weekday_headers() -> list[str]:
    """Column heads narrow enough for a month table on a phone: 一 二 … 日 or Mo Tu … Su."""
    names = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
    if (translation.get_language() or "").startswith("zh"):
        return [name[-1] for name in names]  # 星期一 -> 一
    return [name[:2] for name in names]


def grid_context(engine: Any, year: int) -> dict[str, Any]:
    covered = engine is not None and engine.first_year <= year <= engine.last_year
    return {
        "year": year,
        "covered": covered,
        "provisional": covered and year in engine.provisional_years,
        "months": year_months(engine, year) if engine is not None else [],
        "weekday_abbr": weekday_headers(),
        "legend": [kind for kind in GridDay if kind != GridDay.NO_DATA],
        "first_year": engine.first_year if engine is not None else None,
        "last_year": engine.last_year if engine is not None else None,
    }


class CalendarDetailView(CalendarScopedMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        calendar = self.calendar
        year = parse_year(request.GET.get("year"), timezone.localdate().year)
        engine, error = None, ""
        try:
            engine = calendar_engine(calendar.code)
        except CalendarError as exc:
            error = str(exc)
        hours = calendar.hours()
        context: dict[str, Any] = {
            "calendar": calendar,
            "error": error,
            "weekly": [(WEEKDAY_NAMES[i], hours[key]) for i, key in enumerate(WEEKDAYS)],
            "days": calendar.days.all(),
            "can_manage": can_manage_calendar(request.user, calendar),
            "grid_url": reverse("calendars:detail", args=[calendar.code]),
            **grid_context(engine, year),
        }
        return render_page(request, "calendars/calendar_detail.html", context,
                           partial="calendars/partials/year_grid.html")


class CalendarCreateView(PermissionMixin, View):
    permission_required = "calendars.add_workcalendar"

    def _form(self, data: Any = None) -> CalendarCreateForm:
        user: Any = self.request.user
        return CalendarCreateForm(data, contracts=visible_contracts(user),
                                  national_allowed=user.is_administrator,
                                  initial={"contract": self.request.GET.get("contract")})

    def _render(self, form: CalendarCreateForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": _("New calendar"), "back": reverse("calendars:list")},
            status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            base: WorkCalendar = data["based_on"]
            contract = data["contract"]
            try:
                calendar = services.save_calendar(services.CalendarInput(
                    code=data["code"], name=data["name"], description=data["description"],
                    kind=base.kind, timezone=base.timezone, holiday_set=base.holiday_set,
                    weekly_hours=base.hours() if base.kind == CalendarKind.STANDARD else {},
                    contract=contract, based_on=base if contract is not None else None,
                ), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Calendar %(code)s created.")
                                 % {"code": calendar.code})
                return HttpResponseRedirect(reverse("calendars:edit", args=[calendar.code]))
        return self._render(form, status=400)


class CalendarEditView(CalendarScopedMixin, View):
    manage = True

    def _form(self, data: Any = None) -> CalendarEditForm:
        user: Any = self.request.user
        return CalendarEditForm(data, calendar=self.calendar,
                                full=user.is_administrator and self.calendar.is_national)

    def _render(self, form: CalendarEditForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": self.calendar.code, "calendar": self.calendar,
            "back": reverse("calendars:detail", args=[self.calendar.code])}, status=status)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            data, calendar = form.cleaned_data, self.calendar
            try:
                services.save_calendar(services.CalendarInput(
                    code=calendar.code, name=data["name"], description=data["description"],
                    kind=data.get("kind", calendar.kind),
                    timezone=data.get("timezone", calendar.timezone),
                    holiday_set=data.get("holiday_set", calendar.holiday_set),
                    weekly_hours=form.weekly_hours(), contract=calendar.contract,
                    based_on=calendar.based_on,
                ), calendar=calendar, actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("calendars:detail", args=[calendar.code]))
        return self._render(form, status=400)


class CalendarDayView(CalendarScopedMixin, View):
    """Add (``days/new/``) or change (``days/<date>/``) one of the calendar's own days."""

    manage = True

    def _render(self, form: DayForm, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": _("Own day of %(code)s") % {"code": self.calendar.code},
            "calendar": self.calendar,
            "back": reverse("calendars:detail", args=[self.calendar.code])}, status=status)

    def _row(self, day: str | None) -> Any:
        if day is None:
            return None
        return get_object_or_404(self.calendar.days, date=parse_day(day))

    def get(self, request: HttpRequest, code: str, day: str | None = None) -> HttpResponse:
        row = self._row(day)
        initial = {} if row is None else {"date": row.date, "kind": row.kind, "name": row.name,
                                          "segments": row.segments_text}
        return self._render(DayForm(initial=initial))

    def post(self, request: HttpRequest, code: str, day: str | None = None) -> HttpResponse:
        row = self._row(day)
        form = DayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if row is not None and row.date != data["date"]:
                        services.remove_calendar_day(self.calendar, row.date, actor=request.user)
                    services.set_calendar_day(self.calendar, data["date"], kind=data["kind"],
                                              name=data["name"], segments=form.segment_list(),
                                              actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(
                    reverse("calendars:detail", args=[self.calendar.code])
                    + f"?year={data['date'].year}")
        return self._render(form, status=400)


class CalendarDayDeleteView(CalendarScopedMixin, View):
    manage = True

    def post(self, request: HttpRequest, code: str, day: str) -> HttpResponse:
        if services.remove_calendar_day(self.calendar, parse_day(day), actor=request.user):
            messages.success(request, _("Day removed."))
        return HttpResponseRedirect(reverse("calendars:detail", args=[self.calendar.code]))


class CalendarHistoryView(CalendarScopedMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return render_page(request, "calendars/history.html", {
            "title": self.calendar.code, "object": self.calendar,
            "back": reverse("calendars:detail", args=[self.calendar.code]),
            "entries": history(self.calendar, "calendar_id")})
