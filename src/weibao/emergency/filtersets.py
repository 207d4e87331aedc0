"""Emergency filters, shared by the pages and ``/api/emergency/…``: one FilterSet per listed
model; the contract choices offer only the user's contracts (PLT-01)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.emergency.choices import (
    DisposalPlanStatus,
    DrillStatus,
    IncidentPhase,
    PeriodKind,
)
from weibao.emergency.models import Drill, EmergencyPlan, MajorPeriod, SecurityIncident
from weibao.utils.filters import StyledFilterSet

__all__ = ["DrillFilterSet", "IncidentFilterSet", "PeriodFilterSet", "PlanFilterSet"]


class _ContractScoped(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_administrator:
            from weibao.contracts.selectors import visible_contracts

            self.filters["contract"].queryset = visible_contracts(user)


class PlanFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Title or system"))
    overdue = django_filters.BooleanFilter(label=_("review overdue"), method="review_overdue")

    class Meta:
        model = EmergencyPlan
        fields = ["q", "contract", "overdue"]

    def search(self, queryset: QuerySet[EmergencyPlan], name: str,
               value: str) -> QuerySet[EmergencyPlan]:
        return queryset.filter(Q(title__icontains=value) | Q(system__name__icontains=value))

    def review_overdue(self, queryset: QuerySet[EmergencyPlan], name: str,
                       value: bool | None) -> QuerySet[EmergencyPlan]:
        if value is None:
            return queryset
        late = Q(review_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class DrillFilterSet(_ContractScoped):
    status = django_filters.MultipleChoiceFilter(label=_("status"),
                                                 choices=DrillStatus.choices)
    system = django_filters.CharFilter(label=_("system"), field_name="system__name",
                                       lookup_expr="icontains")
    rule = django_filters.CharFilter(label=_("drill rule"), field_name="rule__code")
    due_after = django_filters.DateFilter(label=_("due from"), method="due_from")
    due_before = django_filters.DateFilter(label=_("due until"), method="due_until")

    class Meta:
        model = Drill
        fields = ["contract", "status", "system", "rule", "due_after", "due_before"]

    def due_from(self, queryset: QuerySet[Drill], name: str,
                 value: datetime.date) -> QuerySet[Drill]:
        from weibao.maintenance.schedule import day_bounds

        return queryset.filter(window_end__gt=day_bounds(value)[0])

    def due_until(self, queryset: QuerySet[Drill], name: str,
                  value: datetime.date) -> QuerySet[Drill]:
        from weibao.maintenance.schedule import day_bounds

        return queryset.filter(window_end__lte=day_bounds(value)[1])


class IncidentFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Number or title"))
    phase = django_filters.MultipleChoiceFilter(label=_("phase"), choices=IncidentPhase.choices)
    plan_status = django_filters.ChoiceFilter(label=_("disposal plan"),
                                              choices=DisposalPlanStatus.choices)

    class Meta:
        model = SecurityIncident
        fields = ["q", "contract", "phase", "plan_status"]

    def search(self, queryset: QuerySet[SecurityIncident], name: str,
               value: str) -> QuerySet[SecurityIncident]:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class PeriodFilterSet(_ContractScoped):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=PeriodKind.choices)
    after = django_filters.DateFilter(label=_("from"), field_name="ends_on", lookup_expr="gte")
    before = django_filters.DateFilter(label=_("until"), field_name="starts_on",
                                       lookup_expr="lte")

    class Meta:
        model = MajorPeriod
        fields = ["contract", "kind", "after", "before"]
