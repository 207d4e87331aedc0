"""Reads of the assessment domain scoped to the user (PLT-01): the assessments, breaches and
schemes of the user's contracts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from weibao.assessment.models import Assessment, AssessmentScheme, Breach
from weibao.contracts.selectors import scope_to_user

__all__ = ["visible_assessments", "visible_breaches", "visible_schemes"]


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """The assessments of the user's contracts, newest period first."""
    return scope_to_user(Assessment.objects.all(), user).select_related("contract")


def visible_breaches(user: Any) -> QuerySet[Breach]:
    """The breach ledger of the user's contracts (the vendor's engineers see it too)."""
    return (scope_to_user(Breach.objects.all(), user)
            .select_related("contract", "penalty_rule"))


def visible_schemes(user: Any) -> QuerySet[AssessmentScheme]:
    return scope_to_user(AssessmentScheme.objects.all(), user).select_related("contract")
