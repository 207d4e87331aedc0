"""Forms of the notification pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import Organisation
from weibao.notifications.choices import ChannelKind, PersonalChannel
from weibao.notifications.events import kinds

__all__ = ["ChannelForm", "PreferenceForm"]


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


class ChannelForm(forms.Form):
    """A channel as an administrator writes it: the address and the secret are never shown
    again; left empty when editing, the stored ones stay."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    contract = forms.ModelChoiceField(label=_("Contract"), required=False,
                                      queryset=Contract.objects.order_by("number"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.order_by("name"))
    address = forms.CharField(
        label=_("Address"), required=False, max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The robot's or gateway's URL, or the mailbox; stored encrypted, never "
                    "shown again. Empty when editing: unchanged."))
    secret = forms.CharField(
        label=_("Secret"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk signing secret, webhook or SMS gateway key, WeCom application "
                    "secret. Empty when editing: unchanged."))
    events = forms.MultipleChoiceField(label=_("Events"), required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None ticked: every event."))
    rate_per_minute = forms.IntegerField(label=_("Messages per minute"), min_value=0,
                                         max_value=10000, initial=20)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.fields["events"]
        assert isinstance(events, forms.MultipleChoiceField)
        events.choices = [(k.kind, k.label) for k in kinds()]
