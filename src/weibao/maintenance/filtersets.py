"""Maintenance filters, shared by the pages and ``/api/maintenance/…`` (PM-01..09): one
FilterSet per model. Choices offer only what the user may see (PLT-01)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.maintenance.choices import Frequency, PlanScope, VisitStatus
from weibao.maintenance.models import (
    OPEN_STATES,
    ChecklistTemplate,
    EngineerArea,
    MaintenancePlan,
    MajorEvent,
    Visit,
    VisitSheet,
)
from weibao.maintenance.schedule import day_bounds
from weibao.maintenance.selectors import month_bounds
from weibao.sites.models import District, Site
from weibao.utils.filters import StyledFilterSet

__all__ = ["ChecklistFilterSet", "EngineerAreaFilterSet", "MajorEventFilterSet", "MonthField",
           "MonthFilter", "PlanFilterSet", "SheetFilterSet", "VisitFilterSet"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthField(forms.CharField):
    """A month written ``2025-10``; cleans to ``(year, month)``."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2025-10.")}

    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        found = _MONTH.match(text.strip())
        if found is None or not 1 <= int(found.group(2)) <= 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(found.group(1)), int(found.group(2))


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def _user(request: Any) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _restricted(request: Any) -> Any:
    """The user whose choices must be narrowed, or None (anonymous or administrator)."""
    user = _user(request)
    return None if user is None or user.is_administrator else user


def _visible_contracts(user: Any) -> QuerySet[Contract]:
    from weibao.contracts.selectors import visible_contracts

    return visible_contracts(user)


class _ContractScoped(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _restricted(request)
        if user is not None:
            self.narrow(user, _visible_contracts(user))

    def narrow(self, user: Any, contracts: QuerySet[Contract]) -> None:
        self.filters["contract"].queryset = contracts


class ChecklistFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Code or name"))

    class Meta:
        model = ChecklistTemplate
        fields = ["q", "contract", "code"]

    def search(self, queryset: QuerySet[ChecklistTemplate], name: str,
               value: str) -> QuerySet[ChecklistTemplate]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class PlanFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Code or name"))
    frequency = django_filters.ChoiceFilter(label=_("frequency"), choices=Frequency.choices)
    scope = django_filters.ChoiceFilter(label=_("scope"), choices=PlanScope.choices)
    checklist = django_filters.CharFilter(label=_("checklist"), field_name="checklist__code",
                                          help_text=_("Checklist code"))
    active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = MaintenancePlan
        fields = ["q", "contract", "code", "frequency", "scope", "checklist", "active",
                  "missed_is_breach"]

    def search(self, queryset: QuerySet[MaintenancePlan], name: str,
               value: str) -> QuerySet[MaintenancePlan]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class MajorEventFilterSet(_ContractScoped):
    after = django_filters.DateFilter(label=_("from"), field_name="date", lookup_expr="gte")
    before = django_filters.DateFilter(label=_("until"), field_name="date", lookup_expr="lte")

    class Meta:
        model = MajorEvent
        fields = ["contract", "after", "before"]


class EngineerAreaFilterSet(_ContractScoped):
    engineer = django_filters.ModelChoiceFilter(label=_("engineer"), queryset=User.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("district"),
                                                queryset=District.objects.all())

    class Meta:
        model = EngineerArea
        fields = ["contract", "engineer", "district"]

    def narrow(self, user: Any, contracts: QuerySet[Contract]) -> None:
        super().narrow(user, contracts)
        self.filters["engineer"].queryset = User.objects.filter(
            maintenance_areas__contract__in=contracts).distinct()
        self.filters["district"].queryset = District.objects.filter(contract__in=contracts)


class VisitFilterSet(_ContractScoped):
    """Visits by contract, plan, status, site, district, engineer, window and outcome; ``mine``
    keeps the caller's own visits; ``month`` (``2025-10``) the visits due in that month —
    whose window ends in it, as coverage (PM-09) and the month's sheets count them (a
    monthly visit of October, a quarterly one in the quarter's last month);
    ``window_after``/``window_before`` the windows overlapping a range of dates."""

    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Site code or name, plan code or name"))
    plan = django_filters.ModelChoiceFilter(label=_("plan"),
                                            queryset=MaintenancePlan.objects.all())
    frequency = django_filters.ChoiceFilter(label=_("frequency"), choices=Frequency.choices,
                                            field_name="plan__frequency")
    # distinct=False: a visit has one status; DISTINCT would sort every matching row.
    status = django_filters.MultipleChoiceFilter(label=_("status"),
                                                 choices=VisitStatus.choices, distinct=False)
    open = django_filters.BooleanFilter(label=pgettext_lazy("inspection", "open"),
                                        method="only_open")
    site = django_filters.ModelChoiceFilter(label=_("site"), queryset=Site.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("district"),
                                                field_name="site__district",
                                                queryset=District.objects.all())
    asset = django_filters.ModelChoiceFilter(label=_("asset"), queryset=Asset.objects.all())
    assignee = django_filters.ModelChoiceFilter(label=_("engineer"),
                                                queryset=User.objects.all())
    unassigned = django_filters.BooleanFilter(label=_("unassigned"),
                                              field_name="assignee", lookup_expr="isnull")
    mine = django_filters.BooleanFilter(label=_("my visits"), method="only_mine")
    month = MonthFilter(label=_("month"), method="in_month",
                        help_text=_("YYYY-MM: visits due in that month (their window ends "
                                    "in it, as coverage counts them)"))
    window_after = django_filters.DateFilter(
        label=_("window from"), method="window_from",
        help_text=_("Windows still open on or after this date"))
    window_before = django_filters.DateFilter(
        label=_("window until"), method="window_until",
        help_text=_("Windows starting on or before this date"))
    planned_for = django_filters.DateFilter(label=_("planned for"))
    late = django_filters.BooleanFilter(label=pgettext_lazy("inspection", "late"))
    breach = django_filters.BooleanFilter(label=pgettext_lazy("inspection", "breach"),
                                          field_name="breach_recorded_at", lookup_expr="isnull",
                                          exclude=True)
    slot = django_filters.CharFilter(label=_("check"))

    class Meta:
        model = Visit
        fields = ["q", "contract", "plan", "frequency", "status", "open", "site", "district",
                  "asset", "assignee", "unassigned", "mine", "month", "window_after",
                  "window_before", "planned_for", "late", "breach", "slot", "event"]

    def narrow(self, user: Any, contracts: QuerySet[Contract]) -> None:
        super().narrow(user, contracts)
        self.filters["plan"].queryset = MaintenancePlan.objects.filter(contract__in=contracts)
        self.filters["site"].queryset = Site.objects.visible_to(user)
        self.filters["district"].queryset = District.objects.filter(contract__in=contracts)
        self.filters["asset"].queryset = Asset.objects.visible_to(user)
        self.filters["assignee"].queryset = User.objects.filter(
            maintenance_visits__contract__in=contracts).distinct()
        self.filters["event"].queryset = MajorEvent.objects.filter(contract__in=contracts)

    def search(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        return queryset.filter(Q(site__code__icontains=value) | Q(site__name__icontains=value)
                               | Q(plan__code__icontains=value)
                               | Q(plan__name__icontains=value))

    def only_open(self, queryset: QuerySet[Visit], name: str,
                  value: bool | None) -> QuerySet[Visit]:
        if value is None:
            return queryset
        open_ = Q(status__in=OPEN_STATES)
        return queryset.filter(open_) if value else queryset.exclude(open_)

    def only_mine(self, queryset: QuerySet[Visit], name: str,
                  value: bool | None) -> QuerySet[Visit]:
        user = _user(self.request)
        if not value or user is None:
            return queryset
        return queryset.filter(assignee=user)

    def in_month(self, queryset: QuerySet[Visit], name: str,
                 value: tuple[int, int] | None) -> QuerySet[Visit]:
        if value is None:
            return queryset
        start, end = month_bounds(*value)
        return queryset.filter(window_end__gt=start, window_end__lte=end)

    def window_from(self, queryset: QuerySet[Visit], name: str,
                    value: datetime.date | None) -> QuerySet[Visit]:
        if value is None:
            return queryset
        return queryset.filter(window_end__gt=day_bounds(value)[0])

    def window_until(self, queryset: QuerySet[Visit], name: str,
                     value: datetime.date | None) -> QuerySet[Visit]:
        if value is None:
            return queryset
        return queryset.filter(window_start__lt=day_bounds(value)[1])


class SheetFilterSet(StyledFilterSet):
    """Signed sheets by contract, plan, site and the month their visit was due (seed 000
    submits the month's sheets by the 21st, RPT-01)."""

    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                field_name="visit__contract",
                                                queryset=Contract.objects.all())
    plan = django_filters.ModelChoiceFilter(label=_("plan"), field_name="visit__plan",
                                            queryset=MaintenancePlan.objects.all())
    site = django_filters.ModelChoiceFilter(label=_("site"), field_name="visit__site",
                                            queryset=Site.objects.all())
    visit = django_filters.NumberFilter(label=_("visit"), field_name="visit_id")
    month = MonthFilter(label=_("month"), method="in_month",
                        help_text=_("YYYY-MM: sheets of the visits due in that month"))
    latest = django_filters.BooleanFilter(label=_("latest version only"), method="only_latest")

    class Meta:
        model = VisitSheet
        fields = ["contract", "plan", "site", "visit", "month", "version", "latest"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _restricted(request)
        if user is not None:
            contracts = _visible_contracts(user)
            self.filters["contract"].queryset = contracts
            self.filters["plan"].queryset = MaintenancePlan.objects.filter(
                contract__in=contracts)
            self.filters["site"].queryset = Site.objects.visible_to(user)

    def in_month(self, queryset: QuerySet[VisitSheet], name: str,
                 value: tuple[int, int] | None) -> QuerySet[VisitSheet]:
        if value is None:
            return queryset
        start, end = month_bounds(*value)
        return queryset.filter(visit__window_end__gt=start, visit__window_end__lte=end)

    def only_latest(self, queryset: QuerySet[VisitSheet], name: str,
                    value: bool | None) -> QuerySet[VisitSheet]:
        if not value:
            return queryset
        newer = VisitSheet.objects.filter(visit=OuterRef("visit"),
                                          version__gt=OuterRef("version"))
        return queryset.exclude(Exists(newer))
