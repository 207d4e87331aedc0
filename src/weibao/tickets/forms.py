"""Forms of the ticket pages. They parse input; the services hold the rules (TKT-01..05)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.choices import Role
from weibao.core.forms import style_form
from weibao.core.models import User
from weibao.sites.models import Site
from weibao.sla.choices import FaultScope
from weibao.tickets.choices import Channel
from weibao.tickets.models import TicketType

__all__ = [
    "AssignForm",
    "AttachmentForm",
    "ClaimForm",
    "LevelForm",
    "PauseForm",
    "PriorityForm",
    "ProgressForm",
    "ReportForm",
    "ResumeForm",
    "StepForm",
    "VendorForm",
    "local_now",
]

_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                     "%Y-%m-%d %H:%M:%S"]


def local_now() -> str:
    """Now in the user's time zone, as a ``datetime-local`` input value."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _time_field(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=False, input_formats=_DATETIME_FORMATS,
                               widget=DateTimeLocalInput(), help_text=help_text,
                               show_hidden_initial=True)


class _VersionedForm(forms.Form):
    """Every change posts the ticket version the page showed, so a stale page is refused
    instead of overwriting someone else's change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_at(self) -> datetime.datetime | None:
        """The time field shows the minute the page was opened. Left as it was, the step
        happens when it is sent (the service's now): a page opened at 10:00 and sent at 10:20
        records 10:20, and a step sent in the minute of the previous one is not refused as
        earlier than it. Only a time the user changed is entered after the fact."""
        if "at" not in self.changed_data:
            return None
        return self.cleaned_data.get("at")


class StepForm(_VersionedForm):
    """One lifecycle step (TKT-04): when it happened (default now; earlier for steps entered
    after the fact), a comment, and for ``arrive`` the check-in location."""

    at = _time_field(_("time"), _("Leave as now, or give the earlier time the step happened "
                                  "(entered after the fact)."))
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    location = forms.CharField(label=_("check-in location"), required=False, max_length=200)

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action != "arrive":
            del self.fields["location"]


class PauseForm(_VersionedForm):
    """SLA-09: pause the clocks in one of the contract's pause states, with the reason."""

    state = forms.ChoiceField(label=_("pause state"))
    reason = forms.CharField(label=_("reason"), max_length=300)
    at = _time_field(_("paused from"))

    def __init__(self, *args: Any, states: list[str] | tuple[str, ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(s, s) for s in states]  # type: ignore[attr-defined]


class ResumeForm(_VersionedForm):
    at = _time_field(_("resumed at"))


class ProgressForm(_VersionedForm):
    """处理期间通报进展: what was done and what comes next (no state change)."""

    comment = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 2}))
    at = _time_field(_("time"))


class ClaimForm(_VersionedForm):
    """The purchaser confirms or rejects a time the vendor claimed for a step."""

    event = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label=_("reason"), required=False, max_length=500)


class AssignForm(_VersionedForm):
    """Dispatch (TKT-05): the vendor manager assigns or reassigns an engineer."""

    assignee = forms.ModelChoiceField(label=_("engineer"), queryset=User.objects.none(),
                                      required=False, empty_label=_("— nobody —"))
    comment = forms.CharField(label=_("comment"), required=False, max_length=500)

    def __init__(self, *args: Any, contract: Contract | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vendor = contract.vendor if contract is not None else None
        if vendor is not None:
            self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                organisation_id=vendor.organisation_id, is_active=True,
                role__in=[Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER]).order_by("username")


class PriorityForm(_VersionedForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class LevelForm(_VersionedForm):
    """TKT-03: the purchaser overrides the classified fault level; empty returns to it."""

    level = forms.ChoiceField(label=_("fault level"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args: Any, levels: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            ("", _("as classified")), *(levels or [])]


class VendorForm(forms.Form):
    """TKT-05 无推诿: another vendor involved; the ticket stays with this vendor."""

    name = forms.CharField(label=_("name"), max_length=200)
    role = forms.CharField(label=_("involvement"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReportForm(forms.Form):
    """报修 (TKT-01): site staff and purchaser staff report through the portal; vendor staff
    log a report taken by phone with the reporter and the time it was reported."""

    contract = forms.ModelChoiceField(label=_("contract"), queryset=Contract.objects.none())
    ticket_type = forms.ModelChoiceField(label=_("ticket type"),
                                         queryset=TicketType.objects.none())
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none(), required=False)
    scope = forms.ChoiceField(label=_("scope"), choices=FaultScope.choices,
                              initial=FaultScope.SMALL,
                              help_text=_("Large: many users or a whole system is affected."))
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    assets = forms.ModelMultipleChoiceField(label=_("assets"), queryset=Asset.objects.none(),
                                            required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices,
                                initial=Channel.PHONE)
    reporter_name = forms.CharField(label=_("reporter name"), required=False, max_length=60)
    reporter_phone = forms.CharField(label=_("reporter phone"), required=False, max_length=40)
    reported_at = _time_field(_("reported at"),
                              _("When the report was taken; earlier times are marked as "
                                "entered after the fact."))
    attachment = forms.FileField(label=_("attachment"), required=False)

    def __init__(self, *args: Any, user: User, contracts: QuerySet[Contract],
                 contract: Contract | None = None, site: Site | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.fields
        fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        sites = Site.objects.visible_to(user).order_by("code")
        if contract is not None:
            fields["ticket_type"].queryset = (  # type: ignore[attr-defined]
                TicketType.objects.filter(contract=contract).order_by("order", "code"))
            sites = sites.filter(contract=contract)
            assets = Asset.objects.filter(contract=contract).order_by("name")
            if site is not None:
                assets = assets.filter(site=site)
            elif user.role == Role.SITE_STAFF:
                assets = assets.filter(site__in=sites)
            fields["assets"].queryset = assets  # type: ignore[attr-defined]
        else:
            sites = sites.none()
        fields["site"].queryset = sites  # type: ignore[attr-defined]
        if self.is_vendor:
            fields["site"].help_text = _("Where the fault is.")
        else:
            # The portal: the channel is the web, the reporter is the user, the time is now.
            for name in ("channel", "reporter_name", "reporter_phone", "reported_at"):
                del fields[name]
        if user.role == Role.SITE_STAFF:
            fields["site"].required = True
        style_form(self)
        fields["assets"].widget.attrs["size"] = 5

    @property
    def is_vendor(self) -> bool:
        return self.user.role in (Role.VENDOR_MANAGER, Role.VENDOR_ENGINEER)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contract, site = data.get("contract"), data.get("site")
        ticket_type = data.get("ticket_type")
        if contract is not None and ticket_type is not None \
                and ticket_type.contract_id != contract.pk:
            self.add_error("ticket_type", _("This ticket type belongs to another contract."))
        if site is not None:
            for asset in data.get("assets") or []:
                if asset.site_id != site.pk:
                    self.add_error("assets", _("Asset %(asset)s is not at this site.")
                                   % {"asset": asset})
        return data

    @property
    def chosen_channel(self) -> str:
        return str(self.cleaned_data.get("channel") or Channel.WEB) if self.is_vendor \
            else Channel.WEB

    @property
    def reported_time(self) -> datetime.datetime | None:
        value: datetime.datetime | None = self.cleaned_data.get("reported_at")
        return value
