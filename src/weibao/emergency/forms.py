"""Forms of the emergency pages: they parse and show; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import AssetCategory
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.forms import style_form
from weibao.core.models import User
from weibao.emergency.choices import PeriodKind
from weibao.emergency.services.plans import SECTIONS

__all__ = ["DecisionForm", "DrillForm", "DutyForm", "IncidentForm", "NotesForm",
           "PeriodForm", "PeriodReportForm", "PhotoForm", "PlanForm", "PlanPlanForm",
           "ReportForm", "ReviewForm", "VersionForm"]

_DATE = forms.DateInput(attrs={"type": "date"})
_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = forms.Textarea(attrs={"rows": 3})


def _people(contract: Contract) -> Any:
    return User.objects.filter(
        is_active=True, organisation_id__in=contract.parties.values("organisation_id")
    ).order_by("organisation_id", "username")


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PlanForm(_Styled):
    title = forms.CharField(label=_("title"), max_length=200)
    system = forms.ModelChoiceField(label=_("system"), queryset=Asset.objects.none(),
                                    required=False,
                                    help_text=_("Empty: a plan of the whole contract."))
    review_due = forms.DateField(label=_("review due"), required=False, widget=_DATE)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = Asset.objects.filter(  # type: ignore[attr-defined]
            contract=contract, asset_type__category=AssetCategory.INFORMATION_SYSTEM
        ).order_by("name")


class VersionForm(_Styled):
    document = forms.FileField(label=_("document"), required=False)
    organisation = forms.CharField(label=_("organisation"), required=False, widget=_TEXT)
    prevention = forms.CharField(label=_("prevention schedule"), required=False, widget=_TEXT)
    response_levels = forms.CharField(label=_("response levels"), required=False,
                                      widget=_TEXT)
    disposal = forms.CharField(label=_("disposal procedure"), required=False, widget=_TEXT)
    recovery = forms.CharField(label=_("recovery procedure"), required=False, widget=_TEXT)
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)
    review_due = forms.DateField(label=_("next review"), required=False, widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def sections(self) -> dict[str, Any]:
        data = {key: self.cleaned_data.get(key, "") for key in SECTIONS}
        return {**data, "note": self.cleaned_data.get("note", ""),
                "review_due": self.cleaned_data.get("review_due")}


class ReviewForm(_Styled):
    next_review = forms.DateField(label=_("next review"), widget=_DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DrillForm(_Styled):
    """The phone form of a drill: everything 002 §9.1.1 2 asks for."""

    planned_on = forms.DateField(label=_("planned on"), required=False, widget=_DATE)
    scenario = forms.CharField(label=_("scenario"), required=False, widget=_TEXT)
    script = forms.CharField(label=_("script"), required=False, widget=_TEXT)
    training = forms.CharField(label=_("training"), required=False, widget=_TEXT)
    participants = forms.ModelMultipleChoiceField(label=_("participants"),
                                                  queryset=User.objects.none(),
                                                  required=False)
    other_participants = forms.CharField(label=_("other participants"), max_length=300,
                                         required=False)
    held_at = forms.DateTimeField(label=_("held at"), required=False, widget=_TIME,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    record = forms.CharField(label=_("record"), required=False, widget=_TEXT)
    summary = forms.CharField(label=_("summary report"), required=False, widget=_TEXT)
    summary_file = forms.FileField(label=_("summary report file"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _people(contract)  # type: ignore[attr-defined]
        self.fields["participants"].widget.attrs["size"] = 6

    def values(self) -> dict[str, Any]:
        keys = ("planned_on", "scenario", "script", "training", "other_participants",
                "held_at", "record", "summary")
        return {key: self.cleaned_data.get(key) if key in ("planned_on", "held_at")
                else self.cleaned_data.get(key, "") for key in keys}


class PhotoForm(_Styled):
    image = forms.ImageField(label=_("photo"),
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*",
                                                                    "capture": "environment"}))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class IncidentForm(_Styled):
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=_TEXT)
    discovered_at = forms.DateTimeField(label=_("discovered at"), widget=_TIME,
                                        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reported_to = forms.ModelChoiceField(label=_("reported to"), queryset=User.objects.none(),
                                         help_text=_("The purchaser's responsible person."))
    system = forms.ModelChoiceField(label=_("system"), queryset=Asset.objects.none(),
                                    required=False)
    ticket = forms.CharField(label=_("ticket number"), required=False, max_length=40)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from weibao.contracts.choices import PartyRole

        purchasers = contract.parties.filter(role=PartyRole.PURCHASER).values("organisation_id")
        self.fields["reported_to"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, organisation_id__in=purchasers).order_by("username")
        self.fields["system"].queryset = Asset.objects.filter(  # type: ignore[attr-defined]
            contract=contract, asset_type__category=AssetCategory.INFORMATION_SYSTEM
        ).order_by("name")


class NotesForm(_Styled):
    notes = forms.CharField(label=_("what was done in this phase"), required=False,
                            widget=_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanPlanForm(_Styled):
    disposal_plan = forms.CharField(label=_("disposal plan"), widget=_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(_Styled):
    reason = forms.CharField(label=_("reason"), required=False, widget=_TEXT,
                             help_text=_("Required when the plan is rejected."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(_Styled):
    summary = forms.CharField(label=_("summary"), widget=_TEXT)
    report = forms.FileField(label=_("incident report"), required=False,
                             help_text=_("PDF or document; without one weibao writes the "
                                         "report as a PDF from the record."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PeriodForm(_Styled):
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=PeriodKind.choices)
    starts_on = forms.DateField(label=_("starts on"), widget=_DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=_DATE)
    notes = forms.CharField(label=_("notes"), required=False, widget=_TEXT)


class DutyForm(_Styled):
    person = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    day = forms.DateField(label=_("day"), widget=_DATE)
    shift = forms.CharField(label=_("shift"), max_length=60, required=False)
    place = forms.CharField(label=_("place"), max_length=200, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(contract)  # type: ignore[attr-defined]


class PeriodReportForm(_Styled):
    title = forms.CharField(label=_("title"), max_length=200)
    content = forms.CharField(label=_("content"), required=False, widget=_TEXT)
    document = forms.FileField(label=_("document"), required=False)
