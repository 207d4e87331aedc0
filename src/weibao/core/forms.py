"""Forms of the core domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from weibao.core.models import Organisation, User

__all__ = ["OrganisationForm", "UserForm", "style_form"]


def style_form(form: forms.BaseForm) -> None:
    """Tabler/Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class OrganisationForm(StyledModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "kind", "credit_code", "address", "postcode",
                  "phone"]


class UserForm(StyledModelForm):
    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput, required=False,
        help_text=_("Required for a new user; leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "organisation",
                  "role", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.pk and not data.get("password"):
            self.add_error("password", _("A new user needs a password."))
        if data.get("password"):
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                validate_password(data["password"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
