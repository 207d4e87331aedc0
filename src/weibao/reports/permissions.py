"""Permissions of each role in the deliverables domain, merged by weibao.core.permissions.

Obligations come from the contract spec; the vendor generates, attaches and submits reports;
the purchaser accepts or returns them; administrators replace the Word templates."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]


def _perms(action: str, *models: str) -> set[str]:
    return {f"reports.{action}_{model}" for model in models}


_VIEW = _perms("view", "deliverable", "reporttemplate", "submission", "reportfile",
               "generationjob", "submissionevent")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW | _perms("add", "reportfile", "generationjob") | _perms("change", "submission")
        | {"reports.submit_submission"}),
    Role.VENDOR_ENGINEER: frozenset(_perms("view", "deliverable", "submission", "reportfile")),
    Role.PURCHASER_STAFF: frozenset(_VIEW | {"reports.review_submission"}),
    Role.SUPERVISOR: frozenset(_VIEW),
}
