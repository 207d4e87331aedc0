"""Site filters, shared by the list page (UI), the Excel export and ``/api/sites/``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.utils.filters import StyledFilterSet

__all__ = ["AreaClassFilterSet", "DistrictFilterSet", "SiteFilterSet", "SiteTypeFilterSet"]


class _ContractScoped(StyledFilterSet):
    """Choices of every related filter limited to the user's contracts (PLT-01)."""

    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    scoped: tuple[tuple[str, type[Any]], ...] = ()

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or getattr(user, "is_administrator", False):
            return
        from weibao.contracts.selectors import scope_to_user, visible_contracts

        self.filters["contract"].queryset = visible_contracts(user)
        for name, model in self.scoped:
            self.filters[name].queryset = scope_to_user(model.objects.all(), user)


class SiteFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Code, name or address"))
    district = django_filters.ModelChoiceFilter(label=_("district"),
                                                queryset=District.objects.all())
    area_class = django_filters.ModelChoiceFilter(label=_("area class"),
                                                  queryset=AreaClass.objects.all(),
                                                  method="by_area_class")
    site_type = django_filters.ModelChoiceFilter(label=_("site type"),
                                                 queryset=SiteType.objects.all())
    status = django_filters.ChoiceFilter(label=_("status"), choices=SiteStatus.choices)
    scoped = (("district", District), ("area_class", AreaClass), ("site_type", SiteType))

    class Meta:
        model = Site
        fields = ["q", "contract", "district", "area_class", "site_type", "status"]

    def search(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)
                               | Q(address__icontains=value))

    def by_area_class(self, queryset: QuerySet[Site], name: str,
                      value: AreaClass) -> QuerySet[Site]:
        """The effective class: the site's override, else its district's (SITE-02)."""
        return queryset.filter(Q(area_class_override=value)
                               | Q(area_class_override__isnull=True, district__area_class=value))


class DistrictFilterSet(_ContractScoped):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    area_class = django_filters.ModelChoiceFilter(label=_("area class"),
                                                  queryset=AreaClass.objects.all())
    scoped = (("area_class", AreaClass),)

    class Meta:
        model = District
        fields = ["q", "contract", "area_class"]

    def search(self, queryset: QuerySet[District], name: str,
               value: str) -> QuerySet[District]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class AreaClassFilterSet(_ContractScoped):
    class Meta:
        model = AreaClass
        fields = ["contract", "code"]


class SiteTypeFilterSet(_ContractScoped):
    class Meta:
        model = SiteType
        fields = ["contract", "code"]
