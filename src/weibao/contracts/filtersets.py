"""Contract filters, shared by the list page and ``/api/contracts/``."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.contracts.choices import ContractStatus, PartyRole
from weibao.contracts.models import Contract
from weibao.core.models import Organisation
from weibao.utils.filters import StyledFilterSet

__all__ = ["ContractFilterSet"]


class ContractFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Number, internal number or title"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=ContractStatus.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("organisation"), queryset=Organisation.objects.all(), method="party"
    )
    party_role = django_filters.ChoiceFilter(
        label=_("party role"), choices=PartyRole.choices, method="noop"
    )
    in_force_on = django_filters.DateFilter(label=_("in force on"), method="in_force")
    year = django_filters.NumberFilter(label=_("year"), method="by_year")

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and not getattr(user, "is_administrator", False):
            # PLT-01: the filter offers only organisations met in the user's own contracts.
            from weibao.contracts.selectors import visible_contracts

            self.filters["organisation"].queryset = Organisation.objects.filter(
                contract_parties__contract__in=visible_contracts(user)).distinct()
            self.filters["previous"].queryset = visible_contracts(user)

    class Meta:
        model = Contract
        fields = ["q", "status", "organisation", "party_role", "in_force_on", "year", "number",
                  "previous"]

    def search(self, queryset: QuerySet[Contract], name: str, value: str) -> QuerySet[Contract]:
        return queryset.filter(
            Q(number__icontains=value) | Q(internal_number__icontains=value)
            | Q(title__icontains=value)
        )

    def party(self, queryset: QuerySet[Contract], name: str,
              value: Organisation) -> QuerySet[Contract]:
        lookup = {"parties__organisation": value}
        role = self.data.get("party_role")
        if role in PartyRole.values:
            lookup["parties__role"] = role
        return queryset.filter(**lookup).distinct()

    def noop(self, queryset: QuerySet[Contract], name: str, value: str) -> QuerySet[Contract]:
        return queryset  # applied together with ``organisation``

    def in_force(self, queryset: QuerySet[Contract], name: str,
                 value: datetime.date) -> QuerySet[Contract]:
        return queryset.filter(start_date__lte=value, end_date__gte=value)

    def by_year(self, queryset: QuerySet[Contract], name: str, value: int) -> QuerySet[Contract]:
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)
