"""Forms of the assets domain; attribute fields are built from the asset type's definitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import (
    AssetStatus,
    AttributeKind,
    CertificateKind,
    EventKind,
    Importance,
    RelationKind,
    VerificationResult,
    WarrantyState,
)
from weibao.assets.models import Asset, AssetType
from weibao.contracts.models import Contract
from weibao.core.forms import style_form
from weibao.sites.models import Site

__all__ = ["ATTR_FIELD", "AssetEventForm", "AssetForm", "BulkEditForm", "CertificateForm",
           "RelationForm", "RelocationForm", "TransitionForm", "verification_form"]

ATTR_FIELD = "attr_"


def _date() -> forms.DateField:
    return forms.DateField(required=False, widget=forms.DateInput())


def attribute_field(definition: dict[str, Any]) -> forms.Field:
    label = definition["name"] + (f" ({definition['unit']})" if definition.get("unit") else "")
    required = bool(definition.get("required"))
    kind = definition["kind"]
    field: forms.Field
    if kind == AttributeKind.CHOICE:
        field = forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in definition["choices"]]],
                                  required=required)
    elif kind == AttributeKind.BOOLEAN:
        field = forms.ChoiceField(choices=[("", "—"), ("true", _("yes")), ("false", _("no"))],
                                  required=required)
    elif kind == AttributeKind.DATE:
        field = forms.DateField(required=required, widget=forms.DateInput())
    elif kind == AttributeKind.INTEGER:
        field = forms.IntegerField(required=required)
    elif kind == AttributeKind.DECIMAL:
        field = forms.DecimalField(required=required)
    else:
        field = forms.CharField(required=required, max_length=300)
    field.label = label
    return field


class AssetForm(forms.Form):
    """Create or edit an asset; ``attr_<code>`` fields follow the chosen type."""

    asset_type = forms.ModelChoiceField(label=_("asset type"), queryset=AssetType.objects.none())
    name = forms.CharField(label=_("name"), max_length=200)
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none(), required=False)
    code = forms.CharField(label=_("asset tag"), max_length=60, required=False)
    brand = forms.CharField(label=_("brand"), max_length=100, required=False)
    model = forms.CharField(label=_("model"), max_length=150, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)
    purchased_on = _date()
    installed_on = _date()
    warranty_until = _date()
    warranty_state = forms.ChoiceField(label=_("warranty state"), choices=WarrantyState.choices,
                                       initial=WarrantyState.UNKNOWN)
    status = forms.ChoiceField(label=_("status"), choices=AssetStatus.choices,
                               initial=AssetStatus.IN_SERVICE)
    importance = forms.ChoiceField(label=_("importance"), required=False,
                                   choices=[("", "—"), *Importance.choices])
    parent = forms.ModelChoiceField(label=_("part of"), queryset=Asset.objects.none(),
                                    required=False)
    remote_site = forms.ModelChoiceField(label=_("remote site"), queryset=Site.objects.none(),
                                         required=False)
    location = forms.CharField(label=_("location"), max_length=200, required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args: Any, contract: Contract, asset_type: AssetType | None,
                 instance: Asset | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchased_on"].label = _("purchased on")
        self.fields["installed_on"].label = _("installed on")
        self.fields["warranty_until"].label = _("warranty until")
        self.fields["asset_type"].queryset = AssetType.objects.filter(contract=contract)  # type: ignore[attr-defined]
        sites = Site.objects.filter(contract=contract)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["remote_site"].queryset = sites  # type: ignore[attr-defined]
        parents = Asset.objects.filter(contract=contract)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.definitions = asset_type.all_definitions() if asset_type is not None else []
        for definition in self.definitions:
            self.fields[ATTR_FIELD + definition["code"]] = attribute_field(definition)
        if asset_type is not None:
            self.fields["asset_type"].initial = asset_type.pk
        if instance is not None:
            for name in self.fields:
                if name.startswith(ATTR_FIELD):
                    self.initial[name] = instance.attributes.get(name[len(ATTR_FIELD):])
                elif hasattr(instance, name):
                    value = getattr(instance, name)
                    self.initial[name] = value.pk if hasattr(value, "pk") else value
        style_form(self)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        attributes = {}
        for name in list(data):
            if name.startswith(ATTR_FIELD):
                value = data.pop(name)
                if value not in (None, ""):
                    attributes[name[len(ATTR_FIELD):]] = value
        data["attributes"] = attributes
        data["importance"] = data.get("importance") or ""
        return data


class BulkEditForm(forms.Form):
    assets = forms.ModelMultipleChoiceField(queryset=Asset.objects.none(),
                                            widget=forms.MultipleHiddenInput)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("(unchanged)")), *AssetStatus.choices])
    site_code = forms.CharField(label=_("site code"), required=False, max_length=40)
    set_site = forms.BooleanField(label=_("set the site (empty = warehouse)"), required=False)

    def __init__(self, *args: Any, assets: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = assets  # type: ignore[attr-defined]
        self.sites = sites
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["site"] = None
        code = (data.get("site_code") or "").strip()
        assets = data.get("assets")
        if code and assets:
            contracts = {a.contract_id for a in assets}
            if len(contracts) != 1:
                self.add_error("site_code", _("Select assets of one contract to set a site."))
                return data
            data["site"] = self.sites.filter(contract_id=contracts.pop(), code=code).first()
            if data["site"] is None:
                self.add_error("site_code", _("No site %(code)s in this contract.")
                               % {"code": code})
        return data


class AssetEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    occurred_at = forms.DateTimeField(label=_("occurred at"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}))
    summary = forms.CharField(label=_("summary"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("relation"), choices=RelationKind.choices)
    target = forms.ModelChoiceField(label=_("related asset"), queryset=Asset.objects.none())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]
        style_form(self)


class RelocationForm(forms.Form):
    to_site = forms.ModelChoiceField(label=_("to site"), queryset=Site.objects.none(),
                                     required=False)
    destination = forms.CharField(label=_("destination"), max_length=200, required=False,
                                  help_text=_("Warehouse or place, when not another site."))
    decommission = forms.BooleanField(label=_("decommission (报废)"), required=False)
    relocated_on = forms.DateField(label=_("date"), widget=forms.DateInput())
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_site"].queryset = sites  # type: ignore[attr-defined]
        style_form(self)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CertificateKind.choices)
    holder = forms.CharField(label=_("holder"), max_length=200)
    serial = forms.CharField(label=_("serial number"), max_length=100, required=False)
    issuer = forms.CharField(label=_("issuer"), max_length=200, required=False)
    algorithm = forms.CharField(label=_("algorithm"), max_length=40, required=False,
                                help_text=_("e.g. SM2, RSA"))
    issued_on = _date()
    expires_on = _date()
    asset = forms.ModelChoiceField(label=_("installed in"), queryset=Asset.objects.none(),
                                   required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].label = _("date of issue")
        self.fields["expires_on"].label = _("expires on")
        self.fields["asset"].queryset = Asset.objects.filter(contract=contract)  # type: ignore[attr-defined]
        style_form(self)


class TransitionForm(forms.Form):
    issued_on = _date()
    expires_on = _date()
    serial = forms.CharField(label=_("serial number"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].label = _("date of issue")
        self.fields["expires_on"].label = _("expires on")
        style_form(self)


def verification_form(assets: list[Asset], data: Any = None) -> forms.Form:
    """One result and note per asset of the site (核实网点资产)."""
    form = forms.Form(data)
    for asset in assets:
        form.fields[f"result_{asset.pk}"] = forms.ChoiceField(
            label=str(asset), choices=VerificationResult.choices,
            initial=VerificationResult.PRESENT)
        form.fields[f"note_{asset.pk}"] = forms.CharField(label=_("note"), required=False,
                                                          max_length=300)
    style_form(form)
    return form
