"""Filters shared by the UI lists and the API (one FilterSet per model)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import Organisation, User
from weibao.utils.filters import StyledFilterSet

__all__ = ["OrganisationFilterSet", "UserFilterSet"]


class OrganisationFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "code"]

    def search(self, queryset: QuerySet[Organisation], name: str,
               value: str) -> QuerySet[Organisation]:
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )


class UserFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("role"), choices=Role.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("organisation"), queryset=Organisation.objects.all()
    )
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "organisation", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(
            Q(username__icontains=value) | Q(first_name__icontains=value)
            | Q(last_name__icontains=value) | Q(email__icontains=value)
        )
