"""Forms of the deliverables pages (RPT-07). They parse what was typed or chosen; the
services hold the rules (who may submit or review, which states allow it, late, breach)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core.forms import style_form
from weibao.reports.models import ReportFile, Submission

__all__ = ["AttachForm", "ReturnForm", "ReviewForm", "SubmitForm"]


class _Styled(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class AttachForm(_Styled):
    """The final file the vendor edited (Word, Excel or PDF)."""

    upload = forms.FileField(label=_("final file"),
                             widget=forms.ClearableFileInput(
                                 attrs={"accept": ".docx,.xlsx,.pdf"}))


class _FileChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"r{obj.revision} {obj.get_format_display()} · {obj.get_origin_display()}"


class SubmitForm(_Styled):
    """Submit to the purchaser: which file (default the latest final or generated one)."""

    file = _FileChoice(label=_("file"), queryset=ReportFile.objects.none(),
                       required=False,
                       empty_label=_("the final file, else the latest draft"))
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ReportFile.objects.filter(submission=submission).order_by(
            "-revision", "format")


class ReviewForm(_Styled):
    """The purchaser accepts, optionally with a comment."""

    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(_Styled):
    """The purchaser returns the report with what must change."""

    comment = forms.CharField(label=_("what must change"),
                              widget=forms.Textarea(attrs={"rows": 3}))
