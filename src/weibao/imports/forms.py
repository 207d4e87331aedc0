"""Forms of the imports domain. They parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core.forms import style_form
from weibao.imports.choices import ImportMode
from weibao.imports.registry import Importer

__all__ = ["CommitForm", "UploadForm"]


class UploadForm(forms.Form):
    importer = forms.ChoiceField(label=_("what to import"))
    file = forms.FileField(label=_("file (.xlsx or .csv)"),
                           help_text=_("Row 1: column keys or labels, as in the template."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args: Any, importers: list[Importer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["importer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.key, i.title) for i in importers]
        style_form(self)


class CommitForm(forms.Form):
    mode = forms.ChoiceField(label=_("mode"), choices=ImportMode.choices)
