"""Forms of the notification pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.notifications.choices import PersonalChannel
from weibao.notifications.events import kinds

__all__ = ["PreferenceForm"]


class PreferenceForm(forms.Form):
    """One checkbox list per event kind, and the quiet hours."""

    quiet_start = forms.TimeField(label=_("Quiet from"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_non_working_days = forms.BooleanField(
        label=_("Also quiet on weekends and holidays (national calendar, 调休 included)"),
        required=False)

    digest_hour = forms.TypedChoiceField(
        label=_("Daily digest"), required=False, coerce=int, empty_value=None,
        choices=[("", _("No: one e-mail per event"))]
        + [(str(h), f"{h:02d}:00") for h in range(24)],
        help_text=_("One e-mail a day listing the notifications; urgent ones still go at "
                    "once."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds():
            self.fields[self.field_name(kind.kind)] = forms.MultipleChoiceField(
                label=kind.label, choices=PersonalChannel.choices, required=False,
                widget=forms.CheckboxSelectMultiple)

    @staticmethod
    def field_name(kind: str) -> str:
        return "kind__" + kind.replace(".", "__")

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(k.kind)] for k in kinds()]

    def channels(self) -> dict[str, list[str]]:
        return {k.kind: list(self.cleaned_data.get(self.field_name(k.kind), []))
                for k in kinds()}
