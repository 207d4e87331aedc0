"""Permissions of each role in the maintenance domain, merged by weibao.core.permissions.

Plans and checklists come from the contract spec (whoever may import a spec changes them);
vendor managers plan and reassign visits and keep the engineers' districts; engineers carry
out visits; the purchaser and the site's staff sign sheets; the purchaser records the major
events that ``before_event`` plans follow."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]


def _perms(action: str, *models: str) -> set[str]:
    return {f"maintenance.{action}_{model}" for model in models}


_VIEW = _perms("view", "checklisttemplate", "checklistitem", "maintenanceplan", "majorevent",
               "engineerarea", "visit", "visitresult", "visitphoto", "visitsheet")
_DO = (_perms("change", "visit") | _perms("add", "visitresult", "visitphoto")
       | _perms("change", "visitresult") | {"maintenance.perform_visit"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW | _DO | _perms("add", "visit", "majorevent", "engineerarea")
        | _perms("change", "majorevent") | _perms("delete", "majorevent", "engineerarea")
        | {"maintenance.plan_visit"}),
    Role.VENDOR_ENGINEER: frozenset(_VIEW | _DO),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW | _perms("add", "majorevent") | _perms("change", "majorevent")
        | _perms("delete", "majorevent") | {"maintenance.sign_visit"}),
    Role.SITE_STAFF: frozenset(_perms("view", "visit", "visitresult", "visitphoto",
                                      "visitsheet", "checklistitem", "checklisttemplate")
                               | {"maintenance.sign_visit"}),
    Role.SUPERVISOR: frozenset(_VIEW),
}
