"""Password policy beyond Django's validators (PLT-04): character classes, not the user name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["CharacterClassesValidator", "NotUsernameValidator"]


def _classes(password: str) -> int:
    kinds = [any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password),
             any(not c.isalnum() for c in password)]
    return sum(kinds)


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters
    (``WEIBAO_PASSWORD_MIN_CLASSES``, default 3 — 等保 level 3 asks for complexity)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = max(1, min(4, int(min_classes)))

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(n)d kind of character among lower case "
            "letters, upper case letters, digits and other characters.",
            "Your password must contain at least %(n)d kinds of characters among lower case "
            "letters, upper case letters, digits and other characters.",
            self.min_classes) % {"n": self.min_classes}


class NotUsernameValidator:
    """The password must not contain the user name, forwards or backwards."""

    def validate(self, password: str, user: Any = None) -> None:
        name = str(getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if len(name) >= 3 and (name in lowered or name[::-1] in lowered):
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("Your password must not contain your user name.")
