"""Base FilterSet whose form carries Tabler classes, shared by UI lists and the API.

The list pages show a search box and the few filters people use on top and fold the rest
(``primary``, issue 16); an empty choice reads 全部 (All), never Django's "---------" or
"未知" (Unknown); a multiple choice is a row of check boxes, not a raw multi-select box.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["StyledFilterSet"]


def _friendly_choices(field: forms.Field) -> None:
    widget = field.widget
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField):
        field.empty_label = _("All")
        field.widget.choices = field.choices
    elif isinstance(widget, forms.NullBooleanSelect):
        widget.choices = [("unknown", _("All")), ("true", _("yes")), ("false", _("no"))]
    elif isinstance(field, forms.MultipleChoiceField):
        field.widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"},
                                                    choices=list(field.choices))  # type: ignore[arg-type]
    elif isinstance(field, forms.ChoiceField):
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        field.choices = [("", _("All")) if value in ("", None) else (value, label)
                         for value, label in choices]


class StyledFilterSet(django_filters.FilterSet):
    # The filters shown above the fold; None: the first four.
    primary: tuple[str, ...] | None = None

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "_styled", False):
            from weibao.core.forms import style_form

            style_form(form)
            for field in form.fields.values():
                _friendly_choices(field)
                css = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = css.replace("form-control", "form-control "
                                                          "form-control-sm").replace(
                    "form-select", "form-select form-select-sm")
            form._styled = True
        return form

    def _primary_names(self) -> list[str]:
        names = list(self.form.fields)
        return [n for n in names if n in self.primary] if self.primary else names[:4]

    @property
    def primary_fields(self) -> list[Any]:
        return [self.form[name] for name in self._primary_names()]

    @property
    def more_fields(self) -> list[Any]:
        primary = set(self._primary_names())
        return [self.form[name] for name in self.form.fields if name not in primary]

    @property
    def more_active(self) -> int:
        """How many folded filters hold a value: the fold opens when one does."""
        data = self.data or {}
        return sum(1 for field in self.more_fields
                   if any(v not in ("", "unknown") for v in _values(data, field.html_name)))


def _values(data: Any, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = data.get(name)
    return [] if value is None else [value]
