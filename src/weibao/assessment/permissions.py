"""Permissions of each role in the assessment domain, merged by weibao.core.permissions.

The scheme comes from the contract spec. The vendor's manager comments on each item and may
dispute a breach; the purchaser computes, enters manual metrics with their proof, confirms,
waives or applies penalties; the supervisor decides disputed items and breaches (ASM-06)."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]


def _perms(action: str, *models: str) -> set[str]:
    return {f"assessment.{action}_{model}" for model in models}


_VIEW = _perms("view", "assessmentscheme", "assessmentitem", "penaltyrule", "breach",
               "assessment", "assessmentline")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(_VIEW | {"assessment.review_assessment",
                                            "assessment.dispute_breach"}),
    Role.VENDOR_ENGINEER: frozenset(_perms("view", "breach")),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW | _perms("add", "assessment", "breach") | _perms("change", "assessmentline")
        | {"assessment.confirm_assessment", "assessment.waive_breach"}),
    Role.SUPERVISOR: frozenset(_VIEW | {"assessment.decide_assessment",
                                        "assessment.decide_breach"}),
}
