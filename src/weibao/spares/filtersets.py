"""Filters of the stock ledger, shared by the ledger page and ``/api/spare-parts/movements/``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import PartType, StockMovement, Warehouse
from weibao.utils.filters import StyledFilterSet

__all__ = ["MovementFilterSet", "PartTypeFilterSet", "WarehouseFilterSet"]


def _scope(filterset: Any, request: Any, names: dict[str, type[Any]]) -> None:
    """PLT-01: only the user's own contracts and their rows are offered as choices."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "is_administrator", False):
        return
    from weibao.contracts.selectors import scope_to_user, visible_contracts

    for name, model in names.items():
        if name in filterset.filters:
            filterset.filters[name].queryset = (
                visible_contracts(user) if model is Contract
                else scope_to_user(model.objects.all(), user))


class MovementFilterSet(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    warehouse = django_filters.ModelChoiceFilter(label=_("warehouse"),
                                                 queryset=Warehouse.objects.all())
    part_type = django_filters.ModelChoiceFilter(label=_("part type"),
                                                 queryset=PartType.objects.all())
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=MovementKind.choices)
    condition = django_filters.ChoiceFilter(label=_("condition"), choices=Condition.choices)
    reference_kind = django_filters.ChoiceFilter(
        label=_("reference kind"), choices=[c for c in ReferenceKind.choices if c[0]])
    reference = django_filters.CharFilter(label=_("reference"), method="by_reference",
                                          help_text=_("Ticket, visit or proposal number"))
    date_from = django_filters.DateFilter(label=_("from"), field_name="occurred_at",
                                          lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("to"), field_name="occurred_at",
                                        lookup_expr="date__lte")

    class Meta:
        model = StockMovement
        fields = ["contract", "warehouse", "part_type", "kind", "condition", "reference_kind",
                  "reference", "date_from", "date_to"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request, {"contract": Contract, "warehouse": Warehouse,
                               "part_type": PartType})

    def by_reference(self, queryset: QuerySet[StockMovement], name: str,
                     value: str) -> QuerySet[StockMovement]:
        return queryset.filter(Q(reference_id__icontains=value)
                               | Q(proposal_reference__icontains=value))


class PartTypeFilterSet(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())

    class Meta:
        model = PartType
        fields = ["contract", "code"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request, {"contract": Contract})


class WarehouseFilterSet(PartTypeFilterSet):
    class Meta:
        model = Warehouse
        fields = ["contract", "code"]
