"""Attribute definitions of asset types and the validation of an asset's attributes (AST-01/02).

A type defines its attributes as a list of ``{code, name, kind, unit, required, choices}``; an
asset's ``attributes`` are checked against the definitions of its type and its ancestors.
Values are stored as JSON: text, integers, booleans as themselves, decimals and dates as
canonical strings ("6.5", "2025-01-31") so they stay exact.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weibao.assets.choices import AttributeKind

__all__ = ["ATTRIBUTE_CODE", "check_definitions", "clean_attributes", "clean_value",
           "typed_value"]

ATTRIBUTE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_KEYS = {"code", "name", "kind", "unit", "required", "choices"}
_TRUE = {"true", "1", "yes", "y", "是", "有"}
_FALSE = {"false", "0", "no", "n", "否", "无"}


def check_definitions(definitions: Any) -> list[str]:
    """Problems of a definition list, one message each; empty when valid."""
    if not isinstance(definitions, list):
        return [_("The attribute definitions must be a list.")]
    problems: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(definitions, start=1):
        if not isinstance(item, dict):
            problems.append(_("Definition %(n)d is not a mapping.") % {"n": i})
            continue
        code = item.get("code")
        extra = set(item) - _KEYS
        if extra:
            problems.append(_("Definition %(n)d has unknown keys: %(keys)s.")
                            % {"n": i, "keys": ", ".join(sorted(extra))})
        if not isinstance(code, str) or not ATTRIBUTE_CODE.match(code):
            problems.append(_("Definition %(n)d: the code must be lower-case letters, digits "
                              "or underscores, starting with a letter.") % {"n": i})
        elif code in seen:
            problems.append(_("The attribute code %(code)s appears more than once.")
                            % {"code": code})
        else:
            seen.add(code)
        if not isinstance(item.get("name"), str) or not item.get("name"):
            problems.append(_("Definition %(n)d needs a name.") % {"n": i})
        kind = item.get("kind")
        if kind not in AttributeKind.values:
            problems.append(_("Definition %(n)d: %(kind)s is not a kind; allowed: %(allowed)s.")
                            % {"n": i, "kind": kind, "allowed": ", ".join(AttributeKind.values)})
        choices = item.get("choices")
        if kind == AttributeKind.CHOICE:
            if (not isinstance(choices, list) or not choices
                    or not all(isinstance(c, str) and c for c in choices)):
                problems.append(_("Definition %(n)d: a choice attribute needs a list of "
                                  "choices.") % {"n": i})
        elif choices:
            problems.append(_("Definition %(n)d: only choice attributes take choices.")
                            % {"n": i})
        if "required" in item and not isinstance(item["required"], bool):
            problems.append(_("Definition %(n)d: required is true or false.") % {"n": i})
        if "unit" in item and not isinstance(item["unit"], str):
            problems.append(_("Definition %(n)d: the unit is text, e.g. KVA.") % {"n": i})
    return problems


def clean_value(definition: dict[str, Any], value: Any) -> Any:
    """The stored form of ``value`` for ``definition``; raises ValueError with a message."""
    kind = definition["kind"]
    if kind == AttributeKind.STRING:
        if isinstance(value, dict | list):
            raise ValueError(_("must be text"))
        return str(value)
    if kind == AttributeKind.INTEGER:
        if isinstance(value, bool):
            raise ValueError(_("must be a whole number"))
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if isinstance(value, Decimal | float) and Decimal(str(value)) == int(Decimal(str(value))):
            return int(Decimal(str(value)))
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(_("%(value)s is not a whole number") % {"value": value})
        return int(text)
    if kind == AttributeKind.DECIMAL:
        if isinstance(value, bool):
            raise ValueError(_("must be a number"))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("%(value)s is not a number") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("%(value)s is not a number") % {"value": value})
        return format(number.normalize(), "f")
    if kind == AttributeKind.DATE:
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": value}) \
                from None
    if kind == AttributeKind.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("%(value)s is not yes or no") % {"value": value})
    # choice
    text = str(value)
    if text not in definition.get("choices", []):
        raise ValueError(_("%(value)s is not one of %(allowed)s")
                         % {"value": value, "allowed": ", ".join(definition.get("choices", []))})
    return text


def typed_value(definition: dict[str, Any] | None, value: Any) -> Any:
    """The stored value as Python: decimals become Decimal (for exports)."""
    if definition is not None and definition["kind"] == AttributeKind.DECIMAL:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else number
    return value


def clean_attributes(definitions: list[dict[str, Any]], values: dict[str, Any] | None,
                     ) -> dict[str, Any]:
    """Validate ``values`` against ``definitions``; raise ValidationError with one message per
    broken attribute under the key ``attributes``."""
    values = dict(values or {})
    by_code = {d["code"]: d for d in definitions}
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    for code, value in values.items():
        definition = by_code.get(code)
        if definition is None:
            problems.append(_("%(code)s: not an attribute of this asset type (known: "
                              "%(known)s)") % {"code": code, "known": ", ".join(by_code) or "—"})
            continue
        if value is None or value == "":
            continue
        try:
            cleaned[code] = clean_value(definition, value)
        except ValueError as exc:
            problems.append(f"{definition['name']} ({code}): {exc}")
    for code, definition in by_code.items():
        if definition.get("required") and code not in cleaned:
            problems.append(_("%(name)s (%(code)s): required")
                            % {"name": definition["name"], "code": code})
    if problems:
        raise ValidationError({"attributes": problems})
    return cleaned
