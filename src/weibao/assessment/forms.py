"""Forms of the assessment pages (ASM-03..06). They parse what was typed or chosen; the
services hold the rules (who may take a step, which states allow it, a rule's range)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.models import PenaltyRule
from weibao.contracts.models import Contract
from weibao.core.forms import style_form

__all__ = ["ApplyPenaltyForm", "ConfirmForm", "CreateAssessmentForm", "DecideBreachForm",
           "DecideLineForm", "ManualEntryForm", "ReasonForm", "ReviewLineForm", "VersionForm"]

_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_YES_NO = [("", "—"), ("true", _("met")), ("false", _("not met"))]


def _met(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class VersionForm(forms.Form):
    """A step without input: the version the user read (a stale one is a conflict)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReasonForm(VersionForm):
    """Dispute or waive a breach: why."""

    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideBreachForm(ReasonForm):
    """The supervisor decides a disputed breach: it stands (confirmed) or is waived."""

    upheld = forms.TypedChoiceField(
        label=_("decision"), coerce=lambda v: v == "true",
        choices=[("true", _("the breach stands")), ("false", _("waive it"))])


class _RuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.min_percent.normalize()}–{obj.max_percent.normalize()}%)"


class ApplyPenaltyForm(forms.Form):
    """ASM-04: the purchaser applies a penalty by clause within its rule's range."""

    rule = _RuleChoice(label=_("penalty rule"), queryset=PenaltyRule.objects.none())
    percent = forms.DecimalField(label=_("penalty (% of the contract)"), max_digits=6,
                                 decimal_places=3, min_value=0, max_value=100)
    occurred_at = forms.DateTimeField(label=_("occurred at"),
                                      widget=forms.DateTimeInput(
                                          attrs={"type": "datetime-local"},
                                          format="%Y-%m-%dT%H:%M"))
    description = forms.CharField(label=_("description"), max_length=300)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("proof"), required=False)

    def __init__(self, *args: Any, contract: Contract | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (PenaltyRule.objects.filter(contract=contract).order_by("code")
                          if contract is not None else PenaltyRule.objects.none())
        style_form(self)


class CreateAssessmentForm(forms.Form):
    period_start = forms.DateField(label=_("period from"),
                                   widget=_DAY)
    period_end = forms.DateField(label=_("period to"),
                                 widget=_DAY)
    is_final = forms.BooleanField(label=_("final assessment of the contract"), required=False,
                                  help_text=_("Its result decides the final contract price."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ManualEntryForm(VersionForm):
    """A value, points or met entered by hand, with the proof it rests on."""

    value = forms.DecimalField(label=pgettext_lazy("assessment", "value"), required=False,
                               max_digits=14, decimal_places=4)
    points = forms.DecimalField(label=_("points"), required=False, max_digits=6,
                                decimal_places=2)
    met = forms.TypedChoiceField(label=_("met"), required=False, choices=_YES_NO,
                                 coerce=_met, empty_value=None)
    proof = forms.FileField(label=_("proof"), required=False)
    note = forms.CharField(label=_("how it was established"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReviewLineForm(VersionForm):
    """The vendor's manager agrees with a line or disputes it, with a comment."""

    agree = forms.TypedChoiceField(label=_("the vendor"), coerce=lambda v: v == "true",
                                   choices=[("true", _("agrees")), ("false", _("disputes"))])
    comment = forms.CharField(label=_("vendor's comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(VersionForm):
    """The purchaser confirms, with a note per line (``note_<line id>``)."""

    def __init__(self, *args: Any, lines: list[Any] | None = None,
                 deciding: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disputed: list[int] = []
        for line in lines or []:
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=str(line.item.name), required=False,
                widget=forms.Textarea(attrs={"rows": 1}))
            if deciding and line.status == "disputed":  # no supervisor: the purchaser decides
                self.disputed.append(line.pk)
                name = str(line.item.name)
                if line.item.points is not None:
                    self.fields[f"points_{line.pk}"] = forms.DecimalField(
                        label=_("%(item)s: points decided") % {"item": name},
                        required=False, max_digits=6, decimal_places=2)
                else:
                    self.fields[f"met_{line.pk}"] = forms.TypedChoiceField(
                        label=_("%(item)s: met") % {"item": name}, required=False,
                        choices=_YES_NO, coerce=_met, empty_value=None)
                self.fields[f"decision_{line.pk}"] = forms.CharField(
                    label=_("%(item)s: decision") % {"item": name}, required=False,
                    widget=forms.Textarea(attrs={"rows": 1}))
        style_form(self)

    def notes(self) -> dict[int, str]:
        return {int(name[5:]): value for name, value in self.cleaned_data.items()
                if name.startswith("note_") and value}

    def decisions(self) -> dict[int, dict[str, Any]]:
        """The purchaser's decisions of the disputed lines (a contract without a
        supervisor); the service checks each is complete."""
        data = self.cleaned_data
        return {pk: {"points": data.get(f"points_{pk}"), "met": data.get(f"met_{pk}"),
                     "decision": data.get(f"decision_{pk}", "")} for pk in self.disputed}


class DecideLineForm(VersionForm):
    """The supervisor decides a disputed line: its points (weighted) or met (criterion)."""

    points = forms.DecimalField(label=_("points"), required=False, max_digits=6,
                                decimal_places=2)
    met = forms.TypedChoiceField(label=_("met"), required=False, choices=_YES_NO,
                                 coerce=_met, empty_value=None)
    decision = forms.CharField(label=_("supervisor's decision"),
                               widget=forms.Textarea(attrs={"rows": 2}))
