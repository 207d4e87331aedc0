"""Forms of the sites domain. They parse input; ``weibao.sites.services`` holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.forms import style_form
from weibao.core.models import Organisation
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.sites.services import BulkEdit, SiteInput

__all__ = ["AreaClassForm", "BulkEditForm", "DistrictForm", "SiteForm", "SiteTypeForm"]


def _limit(form: forms.Form, contract: Contract, names: dict[str, type[Any]]) -> None:
    """Choices of the contract's own records only."""
    for name, model in names.items():
        form.fields[name].queryset = model.objects.filter(  # type: ignore[attr-defined]
            contract=contract)


class SiteForm(forms.Form):
    """A site (网点) of one contract: type and district choices are the contract's."""

    code = forms.CharField(label=_("code"), max_length=40, help_text=Site._meta.get_field(
        "code").help_text)
    name = forms.CharField(label=_("name"), max_length=200)
    site_type = forms.ModelChoiceField(label=_("site type"), queryset=SiteType.objects.none())
    district = forms.ModelChoiceField(label=_("district"), queryset=District.objects.none(),
                                      required=False)
    area_class_override = forms.ModelChoiceField(
        label=_("area class (override)"), queryset=AreaClass.objects.none(), required=False,
        help_text=_("Only when this site differs from its district's area class."))
    organisation = forms.ModelChoiceField(
        label=_("site owner"), queryset=Organisation.objects.none(), required=False,
        help_text=_("The organisation whose staff work at this site (they see only it)."))
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=40, required=False)
    status = forms.ChoiceField(label=_("status"), choices=SiteStatus.choices,
                               initial=SiteStatus.ACTIVE)
    notes = forms.CharField(label=_("notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, contract, {"site_type": SiteType, "district": District,
                                "area_class_override": AreaClass})
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(contract_parties__contract=contract).distinct())
        style_form(self)

    @staticmethod
    def initial_for(site: Site) -> dict[str, Any]:
        return {f: getattr(site, f) for f in SiteInput.__dataclass_fields__}

    def to_input(self) -> SiteInput:
        data = self.cleaned_data
        return SiteInput(
            code=data["code"], name=data["name"], site_type=data.get("site_type"),
            district=data.get("district"), area_class_override=data.get("area_class_override"),
            organisation=data.get("organisation"), address=data.get("address") or "",
            contact_name=data.get("contact_name") or "",
            contact_phone=data.get("contact_phone") or "", status=data["status"],
            notes=data.get("notes") or "")


class _CodeNameForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=60)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract
        style_form(self)


class AreaClassForm(_CodeNameForm):
    """区域类别: SLA targets name it by code (when: {area_class: urban})."""


class SiteTypeForm(_CodeNameForm):
    """网点类型."""


class DistrictForm(_CodeNameForm):
    """区县 and its area class."""

    area_class = forms.ModelChoiceField(label=_("area class"), queryset=AreaClass.objects.none(),
                                        required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, contract=contract, **kwargs)
        _limit(self, contract, {"area_class": AreaClass})


class BulkEditForm(forms.Form):
    """Set status / district / site type of the selected sites; empty = unchanged."""

    sites = forms.ModelMultipleChoiceField(label=_("sites"), queryset=Site.objects.none(),
                                           widget=forms.MultipleHiddenInput)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("(unchanged)")), *SiteStatus.choices])
    district = forms.ModelChoiceField(label=_("district"), queryset=District.objects.none(),
                                      required=False, empty_label=_("(unchanged)"))
    site_type = forms.ModelChoiceField(label=_("site type"), queryset=SiteType.objects.none(),
                                       required=False, empty_label=_("(unchanged)"))

    def __init__(self, *args: Any, contract: Contract, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, contract, {"district": District, "site_type": SiteType})
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]
        style_form(self)

    def to_change(self) -> BulkEdit:
        data = self.cleaned_data
        return BulkEdit(status=data.get("status") or None, district=data.get("district"),
                        site_type=data.get("site_type"))
