"""Asset filters, shared by the list pages and the API (``/api/assets/`` …)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.assets.choices import (
    AssetCategory,
    AssetStatus,
    CertificateKind,
    CertificateState,
    EventKind,
    Importance,
    WarrantyState,
)
from weibao.assets.models import (
    EXPIRED,
    Asset,
    AssetEvent,
    AssetType,
    Certificate,
    Relocation,
)
from weibao.contracts.models import Contract
from weibao.sites.models import Site
from weibao.utils.filters import StyledFilterSet

__all__ = ["AssetEventFilterSet", "AssetFilterSet", "AssetTypeFilterSet",
           "CertificateFilterSet", "RelocationFilterSet"]


def _scope(filterset: Any, request: Any) -> None:
    """PLT-01: choices of contracts, sites and types come from the user's contracts only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        for name in ("contract", "site", "type", "asset_type"):
            if name in filterset.filters:
                filterset.filters[name].queryset = filterset.filters[name].queryset.none()
        return
    from weibao.contracts.selectors import scope_to_user, visible_contracts

    if "contract" in filterset.filters:
        filterset.filters["contract"].queryset = visible_contracts(user)
    if "site" in filterset.filters:
        filterset.filters["site"].queryset = Site.objects.visible_to(user)
    for name in ("type", "asset_type"):
        if name in filterset.filters:
            filterset.filters[name].queryset = scope_to_user(AssetType.objects.all(), user)


class AssetFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  help_text=_("Name, tag, serial, brand or model"))
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    # A contract may have thousands of sites: the page filters by code or name (site_q); the
    # site id (from links and the API) travels in a hidden field instead of a huge <select>.
    site = django_filters.ModelChoiceFilter(label=_("site"), queryset=Site.objects.all(),
                                            widget=forms.HiddenInput)
    site_q = django_filters.CharFilter(label=_("site"), method="by_site_text",
                                       help_text=_("Site code, or part of its name"))
    type = django_filters.ModelChoiceFilter(label=_("asset type"),
                                            queryset=AssetType.objects.all(),
                                            method="by_type",
                                            help_text=_("Includes the types below it."))
    category = django_filters.ChoiceFilter(label=_("category"), choices=AssetCategory.choices,
                                           field_name="asset_type__category")
    status = django_filters.ChoiceFilter(label=_("status"), choices=AssetStatus.choices)
    warranty = django_filters.ChoiceFilter(label=_("warranty state"),
                                           choices=WarrantyState.choices, method="by_warranty")
    importance = django_filters.ChoiceFilter(label=_("importance"), choices=Importance.choices)
    placed = django_filters.BooleanFilter(label=_("at a site"), field_name="site",
                                          lookup_expr="isnull", exclude=True)

    class Meta:
        model = Asset
        fields = ["q", "contract", "site", "site_q", "type", "category", "status", "warranty",
                  "importance", "placed"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request)

    def search(self, queryset: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)
                               | Q(serial__icontains=value) | Q(brand__icontains=value)
                               | Q(model__icontains=value))

    def by_site_text(self, queryset: QuerySet[Asset], name: str,
                     value: str) -> QuerySet[Asset]:
        return queryset.filter(Q(site__code__iexact=value) | Q(site__name__icontains=value))

    def by_type(self, queryset: QuerySet[Asset], name: str, value: AssetType) -> QuerySet[Asset]:
        from weibao.assets.selectors import descendant_ids

        return queryset.filter(asset_type__in=descendant_ids(value))

    def by_warranty(self, queryset: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        today = timezone.localdate()
        if value == WarrantyState.IN_WARRANTY:
            return queryset.filter(Q(warranty_until__gte=today) | Q(
                warranty_until__isnull=True, warranty_state=WarrantyState.IN_WARRANTY))
        if value == WarrantyState.OUT_OF_WARRANTY:
            return queryset.filter(Q(warranty_until__lt=today) | Q(
                warranty_until__isnull=True, warranty_state=WarrantyState.OUT_OF_WARRANTY))
        return queryset.filter(warranty_until__isnull=True, warranty_state=WarrantyState.UNKNOWN)


class AssetTypeFilterSet(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    category = django_filters.ChoiceFilter(label=_("category"), choices=AssetCategory.choices)

    class Meta:
        model = AssetType
        fields = ["contract", "category", "code", "parent"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from weibao.contracts.selectors import scope_to_user

            self.filters["parent"].queryset = scope_to_user(AssetType.objects.all(), user)


class AssetEventFilterSet(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=EventKind.choices)
    occurred_after = django_filters.DateFilter(label=_("from"), field_name="occurred_at",
                                               lookup_expr="date__gte")
    occurred_before = django_filters.DateFilter(label=_("to"), field_name="occurred_at",
                                                lookup_expr="date__lte")

    class Meta:
        model = AssetEvent
        fields = ["asset", "kind", "source_kind", "source_id", "occurred_after",
                  "occurred_before"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["asset"].queryset = Asset.objects.visible_to(user)
        else:
            self.filters["asset"].queryset = Asset.objects.none()


class CertificateFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CertificateKind.choices)
    state = django_filters.ChoiceFilter(
        label=_("state"), method="by_state",
        choices=[*CertificateState.choices, (EXPIRED, _("expired"))])
    expires_within = django_filters.NumberFilter(label=_("expires within (days)"),
                                                 method="by_expiry")

    class Meta:
        model = Certificate
        fields = ["q", "contract", "kind", "state", "expires_within"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request)

    def search(self, queryset: QuerySet[Certificate], name: str,
               value: str) -> QuerySet[Certificate]:
        return queryset.filter(Q(holder__icontains=value) | Q(serial__icontains=value)
                               | Q(issuer__icontains=value))

    def by_state(self, queryset: QuerySet[Certificate], name: str,
                 value: str) -> QuerySet[Certificate]:
        today = timezone.localdate()
        if value == EXPIRED:
            return queryset.filter(expires_on__lt=today).exclude(state=CertificateState.REVOKED)
        queryset = queryset.filter(state=value)
        if value != CertificateState.REVOKED:
            queryset = queryset.exclude(expires_on__lt=today)
        return queryset

    def by_expiry(self, queryset: QuerySet[Certificate], name: str,
                  value: Any) -> QuerySet[Certificate]:
        import datetime

        today = timezone.localdate()
        return queryset.filter(expires_on__gte=today,
                               expires_on__lte=today + datetime.timedelta(days=int(value)))


class RelocationFilterSet(StyledFilterSet):
    contract = django_filters.ModelChoiceFilter(label=_("contract"),
                                                queryset=Contract.objects.all())
    start = django_filters.DateFilter(label=_("from"), field_name="relocated_on",
                                      lookup_expr="gte")
    end = django_filters.DateFilter(label=_("to"), field_name="relocated_on", lookup_expr="lte")
    decommission = django_filters.BooleanFilter(label=_("decommissioned"))

    class Meta:
        model = Relocation
        fields = ["contract", "start", "end", "decommission"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        _scope(self, request)
