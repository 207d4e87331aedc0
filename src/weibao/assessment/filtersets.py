"""Assessment filters, shared by the pages and ``/api/assessment/…`` (ASM-03..06): breaches
by contract, source, status and period; assessments by contract, status and period. Choices
offer only what the user may see (PLT-01)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assessment.choices import AssessmentStatus, BreachSource, BreachStatus
from weibao.assessment.models import Assessment, Breach
from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.maintenance.filtersets import MonthFilter
from weibao.maintenance.selectors import month_bounds
from weibao.utils.filters import StyledFilterSet

__all__ = ["AssessmentFilterSet", "BreachFilterSet"]


def _restricted(request: Any) -> Any:
    """The user whose choices must be narrowed, or None (anonymous or administrator)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_administrator:
        return None
    return user


class _ContractFilterSet(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _restricted(request)
        if user is not None:
            self.filters["contract"].queryset = visible_contracts(user).order_by("number")


class BreachFilterSet(_ContractFilterSet):
    """The ledger by contract, source, status and when the breach occurred (a month, or a
    period from/to, dates inclusive in Beijing time)."""

    source = django_filters.MultipleChoiceFilter(label=pgettext_lazy("assessment", "source"),
                                                 choices=BreachSource.choices)
    status = django_filters.MultipleChoiceFilter(label=_("status"),
                                                 choices=BreachStatus.choices)
    month = MonthFilter(label=_("month"), method="in_month",
                        help_text=_("YYYY-MM: breaches that occurred in that month"))
    start = django_filters.DateFilter(label=_("from"), field_name="occurred_at",
                                      method="from_day")
    end = django_filters.DateFilter(label=_("to"), field_name="occurred_at", method="to_day")

    class Meta:
        model = Breach
        fields = ["contract", "source", "status", "month", "start", "end"]

    def in_month(self, queryset: QuerySet[Breach], name: str,
                 value: tuple[int, int] | None) -> QuerySet[Breach]:
        if not value:
            return queryset
        start, end = month_bounds(*value)
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)

    def from_day(self, queryset: QuerySet[Breach], name: str,
                 value: datetime.date | None) -> QuerySet[Breach]:
        return queryset if value is None else queryset.filter(occurred_at__date__gte=value)

    def to_day(self, queryset: QuerySet[Breach], name: str,
               value: datetime.date | None) -> QuerySet[Breach]:
        return queryset if value is None else queryset.filter(occurred_at__date__lte=value)


class AssessmentFilterSet(_ContractFilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("status"),
                                                 choices=AssessmentStatus.choices)
    is_final = django_filters.BooleanFilter(label=_("final assessment of the contract"))

    class Meta:
        model = Assessment
        fields = ["contract", "status", "is_final"]
