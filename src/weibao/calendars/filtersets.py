"""Calendar filters, shared by the list page and ``/api/calendars/``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.calendars.choices import CalendarKind
from weibao.calendars.models import HolidaySet, WorkCalendar
from weibao.contracts.models import Contract
from weibao.utils.filters import StyledFilterSet

__all__ = ["CalendarFilterSet"]


class CalendarFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Code or name"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CalendarKind.choices)
    holiday_set = django_filters.ModelChoiceFilter(
        label=_("holiday set"), queryset=HolidaySet.objects.all(), to_field_name="code")
    scope = django_filters.ChoiceFilter(
        label=_("scope"), method="by_scope",
        choices=[("national", _("National")), ("contract", _("Contract's own"))])
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())

    class Meta:
        model = WorkCalendar
        fields = ["q", "kind", "holiday_set", "scope", "contract"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and not getattr(user, "is_administrator", False):
            # PLT-01: only the user's own contracts are offered.
            from weibao.contracts.selectors import visible_contracts

            self.filters["contract"].queryset = visible_contracts(user)

    def search(self, queryset: QuerySet[WorkCalendar], name: str,
               value: str) -> QuerySet[WorkCalendar]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def by_scope(self, queryset: QuerySet[WorkCalendar], name: str,
                 value: str) -> QuerySet[WorkCalendar]:
        return queryset.filter(contract__isnull=(value == "national"))
