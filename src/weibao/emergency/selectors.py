"""Reads of the emergency domain, limited to the user's contracts (PLT-01), each list in a
fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from weibao.contracts.selectors import scope_to_user
from weibao.emergency.models import (
    Drill,
    DrillPhoto,
    EmergencyPlan,
    MajorPeriod,
    PlanVersion,
    SecurityIncident,
)

__all__ = ["drill_detail", "drill_months", "plan_versions", "visible_drills",
           "visible_incidents", "visible_periods", "visible_plans"]


def visible_plans(user: Any) -> QuerySet[EmergencyPlan]:
    return scope_to_user(EmergencyPlan.objects.all(), user).select_related(
        "contract", "system").annotate(versions_count=Count("versions"))


def plan_versions(plan: EmergencyPlan) -> QuerySet[PlanVersion]:
    return plan.versions.select_related("issued_by").order_by("-number")


def visible_drills(user: Any) -> QuerySet[Drill]:
    return scope_to_user(Drill.objects.all(), user).select_related(
        "contract", "rule", "system").annotate(photos_count=Count("photos"))


def drill_detail(user: Any) -> QuerySet[Drill]:
    return scope_to_user(Drill.objects.all(), user).select_related(
        "contract", "rule", "system", "recorded_by").prefetch_related(
        "participants", Prefetch("photos", queryset=DrillPhoto.objects.order_by("pk")))


def drill_months(drills: list[Drill]) -> list[tuple[datetime.date, list[Drill]]]:
    """The drills grouped by the month their window ends in (the drill calendar)."""
    from django.utils import timezone

    months: dict[datetime.date, list[Drill]] = {}
    for drill in drills:
        end = timezone.localtime(drill.window_end - datetime.timedelta(seconds=1)).date()
        months.setdefault(end.replace(day=1), []).append(drill)
    return sorted(months.items())


def visible_incidents(user: Any) -> QuerySet[SecurityIncident]:
    return scope_to_user(SecurityIncident.objects.all(), user).select_related(
        "contract", "system", "ticket", "reported_by", "reported_to", "plan_decided_by")


def visible_periods(user: Any) -> QuerySet[MajorPeriod]:
    return scope_to_user(MajorPeriod.objects.all(), user).select_related(
        "contract", "created_by").annotate(duties_count=Count("duties", distinct=True),
                                           reports_count=Count("reports", distinct=True))
