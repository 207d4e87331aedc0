"""Forms of the spare-parts pages: one movement form for every kind, the standby loan form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.forms import style_form
from weibao.sites.models import Site
from weibao.spares.choices import Condition, ReferenceKind
from weibao.spares.models import PartType, Warehouse

__all__ = ["FORM_KINDS", "MovementForm", "ReturnStandbyForm", "StandbyLoanForm"]

# The form kinds of the "record" page and the fields each one shows.
FORM_KINDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "receive": (_("Receive parts"), ("warehouse", "part_type", "quantity", "condition",
                                     "unit_cost", "reason", "occurred_at")),
    "issue": (_("Issue parts"), ("warehouse", "part_type", "quantity", "reference_kind",
                                 "reference_id", "proposal_reference", "reason",
                                 "occurred_at")),
    "return_faulty": (_("Return faulty parts"), ("warehouse", "part_type", "quantity",
                                                 "reference_kind", "reference_id", "reason",
                                                 "occurred_at")),
    "scrap": (_("Scrap parts"), ("warehouse", "part_type", "quantity", "condition", "reason",
                                 "occurred_at")),
    "transfer": (_("Transfer parts"), ("warehouse", "destination", "part_type", "quantity",
                                       "condition", "reason", "occurred_at")),
    "adjust": (_("Adjust stock"), ("warehouse", "part_type", "condition", "delta", "reason",
                                   "occurred_at")),
}


class _ContractForm(forms.Form):
    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract
        for name, model in (("warehouse", Warehouse), ("destination", Warehouse),
                            ("part_type", PartType), ("site", Site)):
            if name in self.fields:
                self.fields[name].queryset = model.objects.filter(  # type: ignore[attr-defined]
                    contract=contract)
        style_form(self)



class IssuePartsForm(_ContractForm):
    """Parts issued from the stock to a piece of work (a ticket or a visit, SPR-02): a
    warehouse and a part type of the work's contract, and how many."""

    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    part_type = forms.ModelChoiceField(label=_("part type"), queryset=PartType.objects.none())
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=10000, initial=1)

class MovementForm(_ContractForm):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    destination = forms.ModelChoiceField(label=_("to warehouse"),
                                         queryset=Warehouse.objects.none())
    part_type = forms.ModelChoiceField(label=_("part type"), queryset=PartType.objects.none())
    quantity = forms.IntegerField(label=_("quantity"), min_value=1)
    delta = forms.IntegerField(label=_("change"),
                               help_text=_("Positive adds to the stock, negative removes."))
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices,
                                  initial=Condition.NEW)
    unit_cost = forms.DecimalField(label=_("unit cost"), required=False, min_value=0,
                                   max_digits=12, decimal_places=2,
                                   help_text=_("Empty: the part type's unit cost."))
    reference_kind = forms.ChoiceField(label=_("for"), required=False,
                                       choices=ReferenceKind.choices,
                                       initial=ReferenceKind.TICKET)
    reference_id = forms.CharField(label=_("reference"), required=False, max_length=100)
    proposal_reference = forms.CharField(
        label=_("proposal reference"), required=False, max_length=100,
        help_text=_("Needed when the issue goes beyond a budget cap (SPR-03)."))
    reason = forms.CharField(label=_("reason / note"), required=False, max_length=300)
    occurred_at = forms.DateTimeField(label=_("occurred at"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type":
                                                                        "datetime-local"}),
                                      help_text=_("Empty: now."))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = FORM_KINDS[kind][1]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == "adjust":
            self.fields["reason"].required = True


class StandbyLoanForm(_ContractForm):
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none())
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    part_type = forms.ModelChoiceField(label=_("part type"), queryset=PartType.objects.none())
    faulty_device = forms.CharField(label=_("faulty device"), required=False, max_length=200)
    due_back = forms.DateField(label=_("due back"), required=False,
                               widget=forms.DateInput())
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))


class ReturnStandbyForm(forms.Form):
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices,
                                  initial=Condition.NEW)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
