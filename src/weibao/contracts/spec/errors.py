"""Spec errors that name the place in the file and the rule, in Chinese and English."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from jsonschema.exceptions import ValidationError as SchemaError

__all__ = ["SpecError", "SpecInvalid", "brief_repr", "format_path", "from_schema_error"]


def format_path(parts: Iterable[str | int]) -> str:
    """``["payment", "milestones", 1, "percent"]`` -> ``payment.milestones[1].percent``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(root)"


@dataclass(frozen=True)
class SpecError:
    """One broken rule. ``code`` picks the message; ``params`` fill it in."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    # An app's own message (a lazy translatable string with %(name)s params) for codes the
    # table below does not know; lets later sections bring their rules without editing it.
    text: Any = None

    def message(self, language: str | None = None) -> str:
        if language is None:
            return f"{self.path}: {self._text()}"
        with translation.override(language):
            return f"{self.path}: {self._text()}"

    def _text(self) -> str:
        p = {k: _show(v) for k, v in self.params.items()}
        texts = {
            "type": _("%(value)s is not of type %(expected)s"),
            "required": _("required but missing"),
            "unknown_key": _("unknown key; allowed keys: %(allowed)s"),
            "enum": _("%(value)s is not one of %(allowed)s"),
            "const": _("must be %(expected)s"),
            "minimum": _("%(value)s is less than %(limit)s"),
            "maximum": _("%(value)s is greater than %(limit)s"),
            "exclusiveMinimum": _("%(value)s must be greater than %(limit)s"),
            "exclusiveMaximum": _("%(value)s must be less than %(limit)s"),
            "minLength": _("%(value)s is shorter than %(limit)s characters"),
            "maxLength": _("%(value)s is longer than %(limit)s characters"),
            "pattern": _("%(value)s does not match the pattern %(pattern)s"),
            "date": _("%(value)s is not a date (YYYY-MM-DD)"),
            "minItems": _("needs at least %(limit)s entries"),
            "maxItems": _("allows at most %(limit)s entries"),
            "uniqueItems": _("has duplicate entries"),
            "invalid": _("%(value)s is not valid here"),
            "yaml": _("the file is not valid YAML: %(detail)s"),
            "yaml_alias_budget": _("line %(line)s: the aliases (*name) in this file stand for "
                                   "more than %(limit)s values; write the values out instead"),
            "yaml_alias_text": _("line %(line)s: the aliases (*name) in this file repeat more "
                                 "than %(limit)s characters of text; write the values out "
                                 "instead"),
            "yaml_alias_cycle": _("line %(line)s: an alias (*name) refers to the value that "
                                  "contains it"),
            "not_mapping": _("the file must contain a mapping of sections"),
            "period_order": _("the end %(end)s is before the start %(start)s"),
            "percent_total": _("the milestone percents add up to %(total)s, not 100"),
            "percent_over": _("the milestone percents add up to %(total)s, more than 100"),
            "remainder_percent": _("a remainder has no percent: its amount is what is left"),
            "legacy_key": _("scaled_by_assessment is the old spelling of remainder: "
                            "final_price; give only remainder"),
            "final_not_last": _("the final-price remainder must be the last milestone"),
            "one_factor_table": _("give the factor by score or by rating, not both"),
            "last_band_open": _("the last band takes every lower score: leave out above"),
            "bands_descending": _("the bands go from the highest score down: each above is "
                                  "lower than the one before"),
            "budget_year_only": _("budget_year belongs to remainder: approved_budget only"),
            "budget_needs_final": _("an approved-budget remainder needs a later final-price "
                                    "remainder, so the milestones add up to the final price"),
            "fen": _("%(value)s is not exact to the fen (two decimals)"),
            "party_count": _("needs exactly one %(role)s party, found %(count)s"),
            "duplicate": _("%(value)s appears more than once"),
            "needs": _("a %(kind)s trigger needs %(field)s"),
            "before_signing": _("%(value)s is before the contract's signing date %(signed)s"),
            "unknown_contract": _("no contract numbered %(value)s exists"),
            "self_renewal": _("a contract cannot renew itself"),
            "code_taken": _("the code %(value)s already belongs to organisation %(other)s"),
            "kind_conflict": _("organisation %(value)s is recorded as %(existing)s, not %(kind)s"),
            "has_payments": _("%(value)s cannot be removed: invoices or payments are recorded "
                              "against it"),
            "not_party": _("your organisation is not a party to this contract"),
            "needs_database": _("this section is checked against the database, which is not "
                                "set up yet: run `weibao migrate` first"),
        }
        if self.text is not None:
            return str(self.text) % p
        return texts.get(self.code, texts["invalid"]) % p


#: Longest value shown in a message; longer ones end in "...".
SHOWN_CHARS = 60

# repr() with bounded work: a hostile value (a huge or deeply nested list) is never written out
# in full, only its first entries and levels.
_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxlist, _repr.maxtuple, _repr.maxdict = 3, 6, 6, 6
_repr.maxset = _repr.maxfrozenset = _repr.maxdeque = _repr.maxarray = 6
_repr.maxstring = _repr.maxother = _repr.maxlong = SHOWN_CHARS * 2


def _clip(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def brief_repr(value: Any) -> str:
    """A short text for ``value`` in a message, computed without walking all of it."""
    text = f"'{_clip(value, SHOWN_CHARS * 2)}'" if isinstance(value, str) else _repr.repr(value)
    return _clip(text)


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        # Lists of allowed values are ours and short; a long one is still cut.
        shown = [_show(v) for v in value[:40]]
        return _clip(", ".join(shown) + (", ..." if len(value) > 40 else ""), 2000)
    if isinstance(value, str):
        return _clip(value, 2000)
    if isinstance(value, dict | set | frozenset):
        return brief_repr(value)
    return _clip(str(value), 2000)


def from_schema_error(error: SchemaError) -> SpecError:
    path: list[str | int] = list(error.absolute_path)
    keyword = str(error.validator)
    expected: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if keyword == "required":
        missing = [k for k in expected
                   if not isinstance(value, dict) or k not in value]
        return SpecError(format_path([*path, missing[0] if missing else "?"]), "required")
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else ["?"]
        return SpecError(format_path([*path, extra[0]]), "unknown_key", {"allowed": allowed})
    if keyword == "type":
        return SpecError(format_path(path), "type",
                         {"value": brief_repr(value), "expected": _type_name(expected)})
    if keyword == "enum":
        return SpecError(format_path(path), "enum",
                         {"value": brief_repr(value), "allowed": list(expected)})
    if keyword == "const":
        return SpecError(format_path(path), "const", {"expected": expected})
    if keyword in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return SpecError(format_path(path), keyword,
                         {"value": value, "limit": expected})
    if keyword in {"minLength", "maxLength"}:
        return SpecError(format_path(path), keyword,
                         {"value": brief_repr(value), "limit": expected})
    if keyword == "pattern":
        return SpecError(format_path(path), "pattern",
                         {"value": brief_repr(value), "pattern": expected})
    if keyword == "format" and expected == "date":
        return SpecError(format_path(path), "date", {"value": brief_repr(value)})
    if keyword in {"minItems", "maxItems"}:
        return SpecError(format_path(path), keyword, {"limit": expected})
    if keyword == "uniqueItems":
        return SpecError(format_path(path), "uniqueItems")
    return SpecError(format_path(path), "invalid", {"value": brief_repr(value)})


def _type_name(expected: str | Sequence[str]) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " / ".join(names)


class SpecInvalid(Exception):
    """Raised with every error found; nothing has been written."""

    def __init__(self, errors: list[SpecError]) -> None:
        super().__init__("; ".join(e.message("en") for e in errors))
        self.errors = errors

    def messages(self, language: str | None = None) -> list[str]:
        return [e.message(language) for e in self.errors]
