"""Holiday set pages: the sets, a set's years, entering a year's notice, correcting a day."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import SingleTableView

from weibao.calendars import services, worktime
from weibao.calendars.forms import DayForm, MarkOfficialForm, YearImportForm
from weibao.calendars.hours import day_override
from weibao.calendars.models import HolidaySet, HolidayYear
from weibao.calendars.tables import HolidaySetTable
from weibao.calendars.views.calendars import FORM_TEMPLATE, grid_context
from weibao.calendars.views.common import history, parse_day
from weibao.utils.views import PermissionMixin, add_service_errors, render_page

__all__ = [
    "HolidayDayPickView",
    "HolidayDayView",
    "HolidaySetDetailView",
    "HolidaySetHistoryView",
    "HolidaySetListView",
    "HolidayYearView",
    "MarkOfficialView",
    "YearImportView",
]


class HolidaySetMixin(PermissionMixin):
    permission_required = "calendars.view_holidayset"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.holiday_set = get_object_or_404(HolidaySet, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def set_url(self) -> str:
        return reverse("calendars:holiday-set", args=[self.holiday_set.code])


class HolidaySetListView(PermissionMixin, SingleTableView):
    permission_required = "calendars.view_holidayset"
    table_class = HolidaySetTable
    template_name = "calendars/holiday_set_list.html"

    def get_queryset(self) -> QuerySet[HolidaySet]:
        return HolidaySet.objects.prefetch_related("years")


class HolidaySetDetailView(HolidaySetMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        counts = dict(self.holiday_set.days.values_list("date__year")
                      .annotate(n=Count("pk")).values_list("date__year", "n"))
        years = list(self.holiday_set.years.order_by("-year"))
        for row in years:
            row.day_count = counts.get(row.year, 0)  # type: ignore[attr-defined]
        return render_page(request, "calendars/holiday_set_detail.html", {
            "holiday_set": self.holiday_set, "years": years,
            "calendars": self.holiday_set.calendars.filter(contract__isnull=True),
            "next_year": (years[0].year + 1) if years else None,
        })


def _year_engine(holiday_set: HolidaySet, year: int) -> worktime.WorkCalendar:
    """The set's days of ``year`` over a plain Monday-Friday week, for the month grid."""
    days = holiday_set.days.filter(date__year=year)
    return worktime.WorkCalendar(
        tz="Asia/Shanghai", weekly={i: ["08:30-17:30"] for i in range(5)},
        first_year=year, last_year=year, name=holiday_set.code,
        overrides={d.date: day_override(d.kind, d.name, d.segments) for d in days})


class HolidayYearView(HolidaySetMixin, View):
    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        row = get_object_or_404(self.holiday_set.years, year=year)
        context = grid_context(_year_engine(self.holiday_set, year), year)
        context["provisional"] = row.is_provisional
        context.update({"holiday_set": self.holiday_set, "year_row": row,
                        "days": self.holiday_set.days.filter(date__year=year),
                        "official_form": MarkOfficialForm(initial={"source": row.source})})
        return render_page(request, "calendars/holiday_year.html", context)


class YearImportView(HolidaySetMixin, View):
    """Enter a year's State Council notice (CAL-01): lines, CSV or YAML; all or nothing."""

    permission_required = "calendars.add_holidayyear"
    template = "calendars/year_import.html"

    def _render(self, form: YearImportForm, status: int = 200, **extra: Any) -> HttpResponse:
        return render_page(self.request, self.template, {
            "form": form, "holiday_set": self.holiday_set, "back": self.set_url(), **extra},
            status=status)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        last = self.holiday_set.years.order_by("-year").values_list("year", flat=True).first()
        initial = {"year": last + 1} if last else {}
        return self._render(YearImportForm(initial=initial))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = YearImportForm(request.POST, request.FILES)
        line_errors: list[tuple[str, str]] = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.import_holiday_year(
                    self.holiday_set, data["year"], data["text"] or "", status=data["status"],
                    source=data["source"], replace=data["replace"],
                    filename=data["filename"], actor=request.user)
            except services.YearFileInvalid as exc:
                form.add_error(None, _("Nothing was written: %(n)s line(s) need correcting.")
                               % {"n": len(exc.errors)})
                line_errors = [(e.message(), e.message("en")) for e in exc.errors]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(year)s entered (%(status)s).") % {
                    "year": row.year, "status": row.get_status_display()})
                return HttpResponseRedirect(reverse(
                    "calendars:holiday-year", args=[self.holiday_set.code, row.year]))
        return self._render(form, status=400, line_errors=line_errors,
                            language=translation.get_language())


class MarkOfficialView(HolidaySetMixin, View):
    permission_required = "calendars.change_holidayyear"

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        row = get_object_or_404(HolidayYear, holiday_set=self.holiday_set, year=year)
        form = MarkOfficialForm(request.POST)
        source = form.cleaned_data["source"] if form.is_valid() else None
        services.mark_year_official(row, source=source or None, actor=request.user)
        messages.success(request, _("%(year)s is official.") % {"year": year})
        return HttpResponseRedirect(reverse("calendars:holiday-year", args=[code, year]))


class HolidayDayView(HolidaySetMixin, View):
    """Correct one day of a set: another kind, name or hours, or an ordinary day again."""

    permission_required = "calendars.change_holidayday"

    def _form(self, day: Any, data: Any = None) -> DayForm:
        row = self.holiday_set.days.filter(date=day).first()
        initial = {"date": day}
        if row is not None:
            initial.update(kind=row.kind, name=row.name, segments=row.segments_text)
        form = DayForm(data, initial=initial, allow_regular=True)
        form.fields["date"].disabled = True
        return form

    def _render(self, form: DayForm, day: Any, status: int = 200) -> HttpResponse:
        return render_page(self.request, FORM_TEMPLATE, {
            "form": form, "title": _("Correct %(day)s in %(set)s") % {
                "day": day.isoformat(), "set": self.holiday_set.code},
            "back": reverse("calendars:holiday-year", args=[self.holiday_set.code, day.year])},
            status=status)

    def get(self, request: HttpRequest, code: str, day: str) -> HttpResponse:
        when = parse_day(day)
        if not self.holiday_set.years.filter(year=when.year).exists():
            raise Http404
        return self._render(self._form(when), when)

    def post(self, request: HttpRequest, code: str, day: str) -> HttpResponse:
        when = parse_day(day)
        form = self._form(when, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correct_holiday_day(
                    self.holiday_set, when, kind=data["kind"] or None, name=data["name"],
                    segments=form.segment_list(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(
                    reverse("calendars:holiday-year", args=[code, when.year]))
        return self._render(form, when, status=400)


class HolidayDayPickView(HolidaySetMixin, View):
    """``?date=YYYY-MM-DD`` -> that day's correction page (a plain GET form, no script)."""

    permission_required = "calendars.change_holidayday"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        when = parse_day(request.GET.get("date", ""))
        return HttpResponseRedirect(reverse("calendars:holiday-day",
                                            args=[code, when.isoformat()]))


class HolidaySetHistoryView(HolidaySetMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return render_page(request, "calendars/history.html", {
            "title": self.holiday_set.code, "object": self.holiday_set,
            "back": self.set_url(), "entries": history(self.holiday_set, "holiday_set_id")})


