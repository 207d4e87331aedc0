"""Forms of the work pages (TKT-06..09); they parse input, the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core.forms import style_form
from weibao.spares.forms import IssuePartsForm
from weibao.tickets.choices import ChangeDecision

__all__ = ["ApproveForm", "ArticleForm", "ChangeForm", "DecideForm", "DisputeForm",
           "PartsForm", "RejectForm", "ReportForm", "ReturnVisitForm", "SatisfactionForm"]


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


def _text(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class ReportForm(_Styled):
    cause = _text(_("cause"), required=False)
    actions = _text(_("actions taken"), required=False)
    parts_used = _text(_("parts used (other than those issued from stock)"), required=False,
                       rows=2)
    prevention = _text(_("prevention"), required=False)


class PartsForm(IssuePartsForm):
    proposal_reference = forms.CharField(label=_("proposal reference"), required=False,
                                         max_length=100)


class ApproveForm(_Styled):
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signer_name = forms.CharField(label=_("name of the signer"), max_length=60, required=False)
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(_Styled):
    reason = _text(_("reason"), rows=2)


class SatisfactionForm(_Styled):
    rating = forms.TypedChoiceField(label=_("rating"), coerce=int,
                                    choices=[(i, str(i)) for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnVisitForm(_Styled):
    visited_at = forms.DateTimeField(label=_("visited at"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    method = forms.CharField(label=_("method"), max_length=40, required=False,
                             help_text=_("e.g. phone, on site, WeChat"))
    notes = _text(_("notes"), rows=2)


class ChangeForm(_Styled):
    estimate_person_days = forms.DecimalField(label=_("workload estimate (person-days)"),
                                              min_value=0, max_digits=8, decimal_places=1)
    budget = forms.ChoiceField(label=_("budget"), required=False)
    design_document = forms.FileField(label=_("design document"), required=False)

    def __init__(self, *args: Any, contract: Any, **kwargs: Any) -> None:
        from weibao.tickets.models import ChangeBudget

        super().__init__(*args, **kwargs)
        self.fields["budget"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (b.code, b.name) for b in ChangeBudget.objects.filter(contract=contract)]


class DisputeForm(_Styled):
    reason = _text(_("what is disputed"), rows=2)


class DecideForm(_Styled):
    decision = forms.ChoiceField(label=_("decision"), choices=[
        (c.value, c.label) for c in ChangeDecision if c != ChangeDecision.PENDING])
    note = _text(_("reasons"), required=False, rows=2)


class ArticleForm(_Styled):
    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("contract"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    problem = _text(_("problem"), required=False)
    cause = _text(_("cause"), required=False)
    solution = _text(_("solution"), required=False, rows=5)
    tags = forms.CharField(label=_("tags"), required=False,
                           help_text=_("Separated by spaces or commas"))
    published = forms.BooleanField(label=_("published"), required=False, initial=True)

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
