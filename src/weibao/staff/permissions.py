"""Permissions of each role in the staff domain, merged by weibao.core.permissions.

Everyone on a contract sees its team and the compliance with the spec's staffing rules; the
vendor manager keeps the team, certificates and duty shifts (STF-01, STF-02, STF-04)."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_VIEW = frozenset({"staff.view_member", "staff.view_certificate", "staff.view_dutyshift",
                   "staff.view_staffingrule"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _VIEW | {"staff.add_member", "staff.change_member",
                                  "staff.add_certificate", "staff.change_certificate",
                                  "staff.add_dutyshift", "staff.change_dutyshift"},
    Role.VENDOR_ENGINEER: _VIEW,
    Role.PURCHASER_STAFF: _VIEW,
    Role.SUPERVISOR: _VIEW,
}
