"""Forms of the contracts domain. They parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import DocumentType
from weibao.contracts.models import (
    Amendment,
    Contact,
    Contract,
    ContractEvent,
    ContractParty,
    Invoice,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.core.choices import OrganisationKind
from weibao.core.forms import StyledModelForm, style_form
from weibao.core.models import Organisation

__all__ = [
    "AmendmentForm",
    "BondForm",
    "ContactForm",
    "ContractCreateForm",
    "ContractEditForm",
    "ContractEventForm",
    "DocumentForm",
    "InvoiceForm",
    "MilestoneForm",
    "PartyForm",
    "PaymentForm",
    "SpecImportForm",
]

_CONTRACT_FIELDS = ["number", "internal_number", "title", "status", "amount", "signed_on",
                    "signed_at", "start_date", "end_date", "previous", "procurement_note",
                    "no_subcontracting", "notes"]


class ContractEditForm(StyledModelForm):
    class Meta:
        model = Contract
        fields = [f for f in _CONTRACT_FIELDS if f != "number"]
        widgets = {"signed_on": forms.DateInput(), "start_date": forms.DateInput(),
                   "end_date": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, previous_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if previous_queryset is not None:
            self.fields["previous"].queryset = previous_queryset  # type: ignore[attr-defined]


class ContractCreateForm(ContractEditForm):
    purchaser = forms.ModelChoiceField(
        label=_("Purchaser (甲方)"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PURCHASER),
    )
    vendor = forms.ModelChoiceField(
        label=_("Vendor (乙方)"), queryset=Organisation.objects.filter(kind=OrganisationKind.VENDOR)
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor (监理方)"), required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR),
    )

    field_order = ["number", "internal_number", "title", "purchaser", "vendor", "supervisor"]

    class Meta(ContractEditForm.Meta):
        fields = _CONTRACT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def validate_unique(self) -> None:
        """The service reports a duplicate number in the user's language."""


class PartyForm(StyledModelForm):
    class Meta:
        model = ContractParty
        fields = ["organisation", "role", "address", "postcode", "phone", "fax", "bank_name",
                  "bank_account"]


class ContactForm(StyledModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email"]


class MilestoneForm(StyledModelForm):
    class Meta:
        model = PaymentMilestone
        fields = ["name", "amount_basis", "percent", "budget_year", "trigger", "due_date",
                  "event", "deliverable", "event_delay_months", "and_invoice", "offset_amount",
                  "offset_unit", "requires_invoice", "condition"]
        widgets = {"due_date": forms.DateInput()}

    def validate_constraints(self) -> None:
        """The service names the field (percent only for a share of the amount)."""


class ContractEventForm(StyledModelForm):
    """Record a dated contract event by hand (PAY-01, PAY-03): the final assessment's factor and
    penalties until the assessment module computes them, acceptance, a budget, a deliverable."""

    class Meta:
        model = ContractEvent
        fields = ["kind", "occurred_on", "score", "rating", "factor", "penalties", "amount",
                  "year", "deliverable", "note"]
        widgets = {"occurred_on": forms.DateInput()}
        help_texts = {
            "score": _("Final assessment only: the score; the contract's factor bands give the "
                       "factor."),
            "rating": _("Final assessment only: the rating (e.g. 一般); the contract's factor "
                        "bands give the factor."),
            "factor": _("Final assessment only: the share of the whole contract amount the "
                        "result pays (e.g. 90 for a score of 75–85 in seed 001). Needed when the "
                        "contract has no factor bands; entered by hand."),
            "penalties": _("Final assessment only: penalties deducted from the final price."),
            "amount": _("Approved budget only."),
            "year": _("Approved budget only."),
            "deliverable": _("Deliverable accepted only: its code, e.g. monthly-report-10."),
        }

    def validate_constraints(self) -> None:
        """Recording an event again updates it (the service); no duplicate error here."""


class BondForm(StyledModelForm):
    class Meta:
        model = PerformanceBond
        fields = ["percent", "form", "status", "received_on", "returned_on", "reference"]
        widgets = {"received_on": forms.DateInput(), "returned_on": forms.DateInput()}


class InvoiceForm(StyledModelForm):
    class Meta:
        model = Invoice
        fields = ["milestone", "number", "issued_on", "amount", "notes"]
        widgets = {"issued_on": forms.DateInput()}

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = contract.milestones.all()  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("milestone"),
                                       queryset=PaymentMilestone.objects.none())
    invoice = forms.ModelChoiceField(label=_("invoice"), queryset=Invoice.objects.none(),
                                     required=False)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput())
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("voucher reference"), max_length=100, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = contract.milestones.all()  # type: ignore[attr-defined]
        self.fields["invoice"].queryset = Invoice.objects.filter(  # type: ignore[attr-defined]
            milestone__contract=contract, payment__isnull=True
        )
        style_form(self)


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("type"), choices=DocumentType.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"))
    notes = forms.CharField(label=_("notes"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class AmendmentForm(StyledModelForm):
    file = forms.FileField(label=_("signed document"), required=False)

    class Meta:
        model = Amendment
        fields = ["title", "signed_on", "summary"]
        widgets = {"signed_on": forms.DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class SpecImportForm(forms.Form):
    file = forms.FileField(label=_("spec file (YAML)"), required=False)
    text = forms.CharField(label=_("or paste the spec"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        self.fields["text"].widget.attrs["class"] += " font-monospace"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("A spec file is at most 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the spec."))
        return data
