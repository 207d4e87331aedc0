"""Forms of the calendars domain. They parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from weibao.calendars.choices import WEEKDAYS, CalendarKind, DayType, YearStatus
from weibao.calendars.hours import split_segments
from weibao.calendars.models import HolidaySet, WorkCalendar
from weibao.contracts.models import Contract
from weibao.core.forms import style_form

__all__ = [
    "CalendarCreateForm",
    "CalendarEditForm",
    "DayForm",
    "MarkOfficialForm",
    "YearImportForm",
]

_MAX_FILE = 256 * 1024


class CalendarCreateForm(forms.Form):
    """A new calendar copies hours, time zone and holiday set from ``based_on``."""

    code = forms.SlugField(label=_("code"), max_length=60,
                           help_text=_("Lower-case letters, digits and hyphens, e.g. "
                                       "sh-outlets-0900-1700."))
    name = forms.CharField(label=_("name"), max_length=200)
    contract = forms.ModelChoiceField(label=_("contract"), queryset=Contract.objects.none(),
                                      required=False,
                                      help_text=_("Empty: a national calendar (administrators "
                                                  "only)."))
    based_on = forms.ModelChoiceField(label=_("based on"), queryset=WorkCalendar.objects.none(),
                                      help_text=_("Hours, time zone and holidays are copied "
                                                  "from this calendar; change them next."))
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, contracts: QuerySet[Any], national_allowed: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.national_allowed = national_allowed
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        self.fields["contract"].required = not national_allowed
        self.fields["based_on"].queryset = (  # type: ignore[attr-defined]
            WorkCalendar.objects.filter(contract__isnull=True).order_by("code"))
        style_form(self)


class CalendarEditForm(forms.Form):
    """Name and weekly hours; administrators also set kind, zone and holidays of national
    calendars (a contract calendar keeps what it copied from its base)."""

    name = forms.CharField(label=_("name"), max_length=200)
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("kind"), choices=CalendarKind.choices)
    timezone = forms.CharField(label=_("time zone"), max_length=60)
    holiday_set = forms.ModelChoiceField(label=_("holiday set"), required=False,
                                         queryset=HolidaySet.objects.all())

    def __init__(self, data: Any = None, *, calendar: WorkCalendar, full: bool,
                 **kwargs: Any) -> None:
        initial: dict[str, Any] = {"name": calendar.name, "description": calendar.description,
                   "kind": calendar.kind, "timezone": calendar.timezone,
                   "holiday_set": calendar.holiday_set_id}
        hours = calendar.weekly_hours or {}
        initial.update({key: ", ".join(hours.get(key) or []) for key in WEEKDAYS})
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(data, initial=initial, **kwargs)
        for number, key in enumerate(WEEKDAYS):
            self.fields[key] = forms.CharField(
                label=WEEKDAY_NAMES[number], required=False, max_length=200,
                help_text=_("E.g. 08:30-12:00, 13:00-17:30; empty: rest day.") if number == 0
                else "")
        if not full:
            for name in ("kind", "timezone", "holiday_set"):
                del self.fields[name]
        style_form(self)

    def weekly_hours(self) -> dict[str, list[str]]:
        return {key: split_segments(self.cleaned_data.get(key) or "") for key in WEEKDAYS}


class DayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput())
    kind = forms.ChoiceField(label=_("kind"), choices=DayType.choices)
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    segments = forms.CharField(
        label=_("working hours"), max_length=200, required=False,
        help_text=_("For half and custom days, e.g. 08:30-12:00; empty for a holiday."))

    def __init__(self, *args: Any, allow_regular: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allow_regular:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                ("", _("Ordinary day (weekly hours)")), *DayType.choices]
            self.fields["kind"].required = False
        style_form(self)

    def segment_list(self) -> list[str]:
        return split_segments(self.cleaned_data.get("segments") or "")


class YearImportForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2200)
    status = forms.ChoiceField(label=_("status"), choices=YearStatus.choices,
                               initial=YearStatus.PROVISIONAL)
    source = forms.CharField(label=_("source"), max_length=300, required=False,
                             help_text=_("E.g. 国办发明电〔2025〕7号."))
    text = forms.CharField(
        label=_("days"), required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false",
                                     "placeholder": "2027-01-01 holiday 元旦\n"
                                                    "2027-02-06..2027-02-13 holiday 春节\n"
                                                    "2027-02-07 adjusted_workday 春节调休"}),
        help_text=_("One day per line: date, kind (holiday, adjusted_workday, half_day, custom), "
                    "name, hours. A range is written 2027-02-06..2027-02-13."))
    file = forms.FileField(label=_("or upload a file (text, CSV or YAML)"), required=False)
    replace = forms.BooleanField(label=_("replace the days of this year if already entered"),
                                 required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        self.fields["text"].widget.attrs["class"] += " font-monospace"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        data["filename"] = ""
        if upload:
            if upload.size > _MAX_FILE:
                raise forms.ValidationError(_("The file is larger than 256 KB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
            data["filename"] = upload.name or ""
        return data


class MarkOfficialForm(forms.Form):
    source = forms.CharField(label=_("source"), max_length=300, required=False)
