"""Reads of the sites domain, scoped to the user's contracts (PLT-01)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from weibao.contracts.selectors import scope_to_user
from weibao.sites.models import AreaClass, District, Site, SiteType

__all__ = ["visible_area_classes", "visible_districts", "visible_site_types", "visible_sites"]


def visible_sites(user: Any) -> QuerySet[Site]:
    """Sites of the user's contracts; site staff only their organisation's sites."""
    return Site.objects.visible_to(user).select_related(
        "contract", "site_type", "district__area_class", "area_class_override", "organisation")


def visible_districts(user: Any) -> QuerySet[District]:
    result: QuerySet[District] = scope_to_user(
        District.objects.select_related("contract", "area_class"), user)
    return result


def visible_area_classes(user: Any) -> QuerySet[AreaClass]:
    result: QuerySet[AreaClass] = scope_to_user(
        AreaClass.objects.select_related("contract"), user)
    return result


def visible_site_types(user: Any) -> QuerySet[SiteType]:
    result: QuerySet[SiteType] = scope_to_user(SiteType.objects.select_related("contract"), user)
    return result
