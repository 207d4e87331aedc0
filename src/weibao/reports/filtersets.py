"""Deliverables filters, shared by the pages and ``/api/reports/…`` (RPT-01..07). Choices
offer only what the user may see (PLT-01)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.maintenance.filtersets import MonthFilter
from weibao.maintenance.selectors import month_bounds
from weibao.reports.choices import Cadence, SubmissionStatus
from weibao.reports.models import Deliverable, Submission
from weibao.utils.filters import StyledFilterSet

__all__ = ["DeliverableFilterSet", "SubmissionFilterSet"]


def _restricted(request: Any) -> Any:
    """The user whose choices must be narrowed, or None (anonymous or administrator)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_administrator:
        return None
    return user


class DeliverableFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Code or name"))
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    cadence = django_filters.ChoiceFilter(label=_("cadence"), choices=Cadence.choices)
    active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Deliverable
        fields = ["q", "contract", "code", "cadence", "active", "late_is_breach"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _restricted(request)
        if user is not None:
            self.filters["contract"].queryset = visible_contracts(user)

    def search(self, queryset: QuerySet[Deliverable], name: str,
               value: str) -> QuerySet[Deliverable]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class SubmissionFilterSet(StyledFilterSet):
    """Submissions by contract, deliverable, status, late, breach and the month they fall
    due in."""

    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    deliverable = django_filters.ModelChoiceFilter(label=_("deliverable"),
                                                   queryset=Deliverable.objects.all())
    status = django_filters.MultipleChoiceFilter(label=_("status"),
                                                 choices=SubmissionStatus.choices)
    late = django_filters.BooleanFilter(label=pgettext_lazy("report", "late"))
    breach = django_filters.BooleanFilter(label=_("breach recorded"), method="with_breach")
    month = MonthFilter(label=_("due month"), method="due_in_month",
                        help_text=_("YYYY-MM: submissions due in that month"))

    class Meta:
        model = Submission
        fields = ["contract", "deliverable", "status", "late", "breach", "month"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _restricted(request)
        if user is not None:
            contracts = visible_contracts(user)
            self.filters["contract"].queryset = contracts
            self.filters["deliverable"].queryset = Deliverable.objects.filter(
                contract__in=contracts)

    def with_breach(self, queryset: QuerySet[Submission], name: str,
                    value: bool | None) -> QuerySet[Submission]:
        if value is None:
            return queryset
        return queryset.filter(breach_recorded_at__isnull=not value)

    def due_in_month(self, queryset: QuerySet[Submission], name: str,
                     value: tuple[int, int] | None) -> QuerySet[Submission]:
        if value is None:
            return queryset
        start, end = month_bounds(*value)
        return queryset.filter(due_at__gte=start, due_at__lt=end)
