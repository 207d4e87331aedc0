"""The SLA preview form (试算): a hypothetical ticket."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.forms import style_form
from weibao.sla.choices import Attribute, ClockEvent, FaultScope
from weibao.sla.evaluation import Pause
from weibao.sla.services import PreviewInput

__all__ = ["PreviewForm"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M:%S", attrs={"step": "1"})


def _when(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput(),
                               input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                                              "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"])


class PreviewForm(forms.Form):
    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("contract"), queryset=Contract.objects.none())
    site = forms.CharField(label=_("site"), required=False, max_length=40,
                           help_text=_("Code of a site of the contract: its area class is used "
                                       "unless the area class is given."))
    area_class = forms.CharField(label=Attribute.AREA_CLASS.label, required=False,
                                 help_text=_("e.g. urban, suburban"))
    scope = forms.ChoiceField(label=Attribute.SCOPE.label, required=False,
                              choices=[("", "—"), *FaultScope.choices])
    fault_level = forms.CharField(label=Attribute.FAULT_LEVEL.label, required=False,
                                  help_text=_("Leave empty to classify from time and scope."))
    ticket_type = forms.CharField(label=Attribute.TICKET_TYPE.label, required=False)
    priority = forms.CharField(label=Attribute.PRIORITY.label, required=False)
    asset_type = forms.CharField(label=Attribute.ASSET_TYPE.label, required=False)
    channel = forms.CharField(label=Attribute.CHANNEL.label, required=False)
    onsite_requested = forms.BooleanField(label=Attribute.ONSITE_REQUESTED.label,
                                          required=False)
    pause_start = _when(_("paused from"))
    pause_end = _when(_("paused until"))
    pause_state = forms.CharField(label=_("pause state"), required=False)
    updates = forms.CharField(
        label=_("progress updates"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For recurring stages: the time of each recorded update, one per line "
                    "(e.g. 2025-09-23 10:25)."))
    now = _when(_("evaluate at"), required=False)

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        for event in ClockEvent:
            self.fields[f"event_{event.value}"] = _when(event.label,
                                                        required=event == ClockEvent.REPORTED)
        style_form(self)

    def event_fields(self) -> list[Any]:
        return [self[f"event_{e.value}"] for e in ClockEvent]

    def attribute_fields(self) -> list[Any]:
        return [self[a.value] for a in Attribute]

    def clean_updates(self) -> list[datetime.datetime]:
        out = []
        for line in (self.cleaned_data.get("updates") or "").splitlines():
            text = line.strip()
            if not text:
                continue
            try:
                value = datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a time (e.g. 2025-09-23 10:25).") % {"value": text}
                ) from None
            if value.tzinfo is None:
                value = timezone.make_aware(value)
            out.append(value)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pause_start") and not data.get("pause_state"):
            self.add_error("pause_state", _("Name the state the ticket waited in."))
        return data

    def to_input(self) -> PreviewInput:
        data = self.cleaned_data
        attributes = {a.value: str(data.get(a.value) or "") for a in Attribute}
        attributes[Attribute.ONSITE_REQUESTED] = "true" if data.get("onsite_requested") else ""
        events: dict[str, datetime.datetime] = {
            e.value: data[f"event_{e.value}"] for e in ClockEvent if data.get(f"event_{e.value}")}
        pauses = []
        if data.get("pause_start"):
            pauses.append(Pause(data["pause_start"], data.get("pause_end"), data["pause_state"]))
        return PreviewInput(attributes=attributes, events=events, pauses=pauses,
                            now=data.get("now") or timezone.now(),
                            site=(data.get("site") or "").strip(),
                            updates=list(data.get("updates") or []))
