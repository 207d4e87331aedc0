"""Forms of the maintenance pages (PM-01..09). They parse what was typed or tapped; the
services hold the rules (ranges, required photos, signatures, who may do what)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.forms import style_form
from weibao.maintenance.choices import ItemKind
from weibao.maintenance.models import ChecklistItem, VisitResult
from weibao.spares.forms import IssuePartsForm

__all__ = ["ASSET_RESULTS", "CancelForm", "CheckInForm", "ChecklistForm", "CorrectionForm",
           "EngineerAreasForm", "ItemFields", "MajorEventForm", "MoveForm", "PartsForm",
           "ReassignForm", "SubmitForm", "TicketForm", "item_prefix"]

# The answers of an asset verification line (AST-08): found / missing / not as recorded.
ASSET_RESULTS = [("present", _("present")), ("missing", _("missing")),
                 ("mismatch", _("moved or different"))]
PASS_FAIL = [("pass", pgettext_lazy("checklist result", "normal")),
             ("fail", pgettext_lazy("checklist result", "abnormal"))]


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


def item_prefix(code: str) -> str:
    """The name prefix of one checklist item's inputs: ``item-<code>-``."""
    return f"item-{code}-"


def _plain(number: Decimal | None) -> str:
    """A range bound as people write it: 60, not 60.0000."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text


@dataclass
class ItemFields:
    """One checklist item as the page shows it: its inputs, what was recorded and the
    asset lines of an asset verification."""

    item: ChecklistItem
    value: forms.BoundField
    note: forms.BoundField
    photo: forms.BoundField | None
    result: VisitResult | None
    assets: list[dict[str, Any]] = field(default_factory=list)
    photos: list[Any] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def range_hint(self) -> str:
        low, high = _plain(self.item.min_value), _plain(self.item.max_value)
        if low and high:
            return f"{low} – {high} {self.item.unit}".strip()
        if low:
            return f"≥ {low} {self.item.unit}".strip()
        if high:
            return f"≤ {high} {self.item.unit}".strip()
        return self.item.unit

    @property
    def display(self) -> str:
        """The recorded answer as the sheet shows it."""
        from weibao.maintenance.services.checklists import display_value

        if self.result is None:
            return "—"
        return display_value(self.result.kind, self.result.value)

    @property
    def errors(self) -> list[str]:
        errors = list(self.value.errors) + list(self.note.errors) + (
            list(self.photo.errors) if self.photo is not None else [])
        return [str(error) for error in errors]


class ChecklistForm(forms.Form):
    """The checklist of a visit, one group of inputs per item (``item-<code>-value``,
    ``-note``, ``-photo``; an asset verification has ``-asset-<id>`` and
    ``-asset-<id>-note`` per asset). Every field is optional here: what is required, in
    range, or needs a photo is the service's decision, reported next to the item."""

    def __init__(self, *args: Any, items: Iterable[ChecklistItem],
                 results: dict[str, VisitResult] | None = None,
                 assets: Iterable[Any] = (), **kwargs: Any) -> None:
        self.items = list(items)
        self.results = results or {}
        self.assets = list(assets)
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for item in self.items:
            self._add_fields(item)
        style_form(self)
        for item in self.items:
            if item.kind == ItemKind.PASS_FAIL:
                self.fields[f"{item_prefix(item.code)}value"].widget.attrs["class"] = \
                    "btn-check"
            for asset in self.assets if item.kind == ItemKind.ASSET_VERIFICATION else ():
                self.fields[f"{item_prefix(item.code)}asset-{asset.pk}"].widget.attrs[
                    "class"] = "btn-check"

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for item in self.items:
            result = self.results.get(item.code)
            if result is None:
                continue
            prefix = item_prefix(item.code)
            initial[f"{prefix}note"] = result.note
            if item.kind == ItemKind.ASSET_VERIFICATION:
                for line in result.value or []:
                    if isinstance(line, dict):
                        initial[f"{prefix}asset-{line.get('asset')}"] = line.get("result", "")
                        initial[f"{prefix}asset-{line.get('asset')}-note"] = line.get("note", "")
            elif item.kind == ItemKind.PASS_FAIL and isinstance(result.value, bool):
                initial[f"{prefix}value"] = "pass" if result.value else "fail"
            elif result.value is not None:
                initial[f"{prefix}value"] = result.value
        return initial

    def _add_fields(self, item: ChecklistItem) -> None:
        prefix = item_prefix(item.code)
        value: forms.Field
        if item.kind == ItemKind.PASS_FAIL:
            value = forms.ChoiceField(choices=PASS_FAIL, widget=forms.RadioSelect)
        elif item.kind == ItemKind.NUMBER:
            # Parsed as text: an out-of-range or malformed number goes to the service, which
            # says what the valid range is.
            value = forms.CharField(max_length=40, widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off"}))
        elif item.kind == ItemKind.CHOICE:
            value = forms.ChoiceField(choices=[("", "—")] + [
                (str(c), str(c)) for c in item.choices or []])
        elif item.kind == ItemKind.TEXT:
            value = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        elif item.kind == ItemKind.PHOTO:
            value = forms.CharField(widget=forms.HiddenInput)
        else:  # asset verification: one line per asset below
            value = forms.CharField(widget=forms.HiddenInput)
            for asset in self.assets:
                self.fields[f"{prefix}asset-{asset.pk}"] = forms.ChoiceField(
                    label=str(asset), choices=ASSET_RESULTS, required=False,
                    widget=forms.RadioSelect)
                self.fields[f"{prefix}asset-{asset.pk}-note"] = forms.CharField(
                    label=_("note"), required=False, max_length=300)
        value.required = False
        value.label = item.text
        self.fields[f"{prefix}value"] = value
        self.fields[f"{prefix}note"] = forms.CharField(
            label=_("note"), required=False, max_length=2000)
        if item.kind == ItemKind.PHOTO or item.photo_required:
            self.fields[f"{prefix}photo"] = forms.ImageField(
                label=_("photo"), required=False, widget=forms.ClearableFileInput(
                    attrs={"accept": "image/*", "capture": "environment"}))

    def item_fields(self, photos: dict[str, list[Any]] | None = None) -> Iterator[ItemFields]:
        for item in self.items:
            prefix = item_prefix(item.code)
            lines = []
            if item.kind == ItemKind.ASSET_VERIFICATION:
                for asset in self.assets:
                    lines.append({"asset": asset,
                                  "result": self[f"{prefix}asset-{asset.pk}"],
                                  "note": self[f"{prefix}asset-{asset.pk}-note"]})
            yield ItemFields(
                item=item, value=self[f"{prefix}value"], note=self[f"{prefix}note"],
                photo=self[f"{prefix}photo"] if f"{prefix}photo" in self.fields else None,
                result=self.results.get(item.code), assets=lines,
                photos=(photos or {}).get(item.code, []))

    def answered_codes(self) -> list[str]:
        """The items this submission says something about (a partial save sends one)."""
        codes = []
        for item in self.items:
            prefix = item_prefix(item.code)
            if any(key.startswith(prefix) for key in self.data) or any(
                    key.startswith(prefix) for key in self.files):
                codes.append(item.code)
        return codes

    def answers(self, codes: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """The answers in the services' shape, ``{code: {"value": ..., "note": ...}}``."""
        wanted = set(codes) if codes is not None else {item.code for item in self.items}
        data = self.cleaned_data
        answers: dict[str, dict[str, Any]] = {}
        for item in self.items:
            if item.code not in wanted:
                continue
            prefix = item_prefix(item.code)
            value: Any = data.get(f"{prefix}value")
            if item.kind == ItemKind.PASS_FAIL:
                value = {"pass": True, "fail": False}.get(value or "")
            elif item.kind == ItemKind.ASSET_VERIFICATION:
                value = [{"asset": asset.pk,
                          "result": data.get(f"{prefix}asset-{asset.pk}") or "",
                          "note": data.get(f"{prefix}asset-{asset.pk}-note") or ""}
                         for asset in self.assets
                         if data.get(f"{prefix}asset-{asset.pk}")]
            elif item.kind == ItemKind.PHOTO or value in ("", None):
                value = None
            elif item.kind == ItemKind.NUMBER:
                value = str(value).strip().replace(",", ".").replace("，", ".")
            answers[item.code] = {"value": value, "note": data.get(f"{prefix}note") or ""}
        return answers

    def photos(self) -> list[tuple[str, Any]]:
        """(item code, uploaded file) of every photo chosen in this submission."""
        return [(item.code, self.cleaned_data[f"{item_prefix(item.code)}photo"])
                for item in self.items
                if self.cleaned_data.get(f"{item_prefix(item.code)}photo")]

    def add_item_errors(self, errors: dict[str, list[str]]) -> None:
        """Put a service's errors next to the item they name (by item code, or by the
        ``answers.<code>`` path); anything else goes on top of the form."""
        codes = {item.code for item in self.items}
        for key, messages in errors.items():
            code = key.split(".", 1)[1] if key.startswith("answers.") else key
            if code in codes:
                self.add_error(f"{item_prefix(code)}value", messages)
            elif key in self.fields:
                self.add_error(key, messages)
            else:
                self.add_error(None, messages)


class CheckInForm(_Styled):
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_latitude(self) -> Decimal | None:
        return _six_places(self.cleaned_data.get("latitude"))

    def clean_longitude(self) -> Decimal | None:
        return _six_places(self.cleaned_data.get("longitude"))


def _six_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.000001"))


class SubmitForm(_Styled):
    """The signature, the signer's name and an idempotency key made when the page was
    rendered: a double tap or a retry over a bad network sends the same key."""

    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signer_name = forms.CharField(label=_("name of the signer"), max_length=60,
                                  required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64,
                                      required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class CorrectionForm(_Styled):
    reason = forms.CharField(label=_("reason for the correction"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PartsForm(IssuePartsForm):
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)


class TicketForm(_Styled):
    description = forms.CharField(label=_("what is wrong"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(_Styled):
    planned_for = forms.DateField(label=_("planned for"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReassignForm(_Styled):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("engineer"), queryset=None)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, engineers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = engineers  # type: ignore[attr-defined]


class CancelForm(_Styled):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MajorEventForm(_Styled):
    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("contract"), queryset=None)
    name = forms.CharField(label=_("name"), max_length=200)
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        style_form(self)


class EngineerAreasForm(_Styled):
    engineer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("engineer"), queryset=None)
    districts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("districts"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, engineers: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers  # type: ignore[attr-defined]
        self.fields["districts"].queryset = districts  # type: ignore[attr-defined]
        self.fields["districts"].widget.attrs["class"] = "form-check-input"
