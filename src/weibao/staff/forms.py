"""Forms of the staff pages; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.staff.choices import AttendanceStatus, DocumentKind, Education
from weibao.staff.models import Member

_DATE = forms.DateInput(attrs={"type": "date"})


class PersonalDataForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("mobile phone"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("education"), choices=Education.choices,
                                  required=False)
    major = forms.CharField(label=_("major"), max_length=60, required=False)
    years_experience = forms.IntegerField(label=_("years of experience"), min_value=0,
                                          max_value=60, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("file"))
    signed_on = forms.DateField(label=_("signed or issued on"), widget=_DATE)
    covers_month = forms.DateField(label=_("month covered (social insurance)"), required=False,
                                   widget=_DATE)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class CheckInForm(forms.Form):
    location = forms.CharField(label=_("location (optional)"), max_length=120, required=False)


class CorrectionForm(forms.Form):
    day = forms.IntegerField(widget=forms.HiddenInput)
    status_to = forms.ChoiceField(label=_("corrected status"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("reason"), max_length=500)


class LeaveForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=Member.objects.none())
    starts_on = forms.DateField(label=_("from"), widget=_DATE)
    ends_on = forms.DateField(label=_("until"), widget=_DATE)
    substitute = forms.ModelChoiceField(label=_("substitute"), queryset=Member.objects.none(),
                                        required=False, empty_label=_("none"))
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = Member.objects.filter(contract=contract).order_by("name")
        self.fields["member"].queryset = team.filter(resident=True)  # type: ignore[attr-defined]
        self.fields["substitute"].queryset = team  # type: ignore[attr-defined]


class ChangeForm(forms.Form):
    leaving = forms.ModelChoiceField(label=_("leaving member"), queryset=Member.objects.none())
    replacement = forms.ModelChoiceField(label=_("replacement"), queryset=Member.objects.none(),
                                         required=False, empty_label=_("to be named"))
    effective_on = forms.DateField(label=_("leaves on"), widget=_DATE)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    request_letter = forms.FileField(label=_("written request"), required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = Member.objects.filter(contract=contract).order_by("name")
        self.fields["leaving"].queryset = team  # type: ignore[attr-defined]
        self.fields["replacement"].queryset = team  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class DutyShiftForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("on duty"),
                                                               queryset=Member.objects.none())
    starts_at = forms.DateTimeField(label=_("starts at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("ends at"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        from weibao.core.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            staff_memberships__contract=contract, is_active=True).distinct().order_by("username")
