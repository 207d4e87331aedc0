"""Base FilterSet whose form carries Tabler classes, shared by UI lists and the API."""

from __future__ import annotations

from typing import Any

import django_filters

__all__ = ["StyledFilterSet"]


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "_styled", False):
            from weibao.core.forms import style_form

            style_form(form)
            for field in form.fields.values():
                css = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = css.replace("form-control", "form-control "
                                                          "form-control-sm").replace(
                    "form-select", "form-select form-select-sm")
            form._styled = True
        return form
