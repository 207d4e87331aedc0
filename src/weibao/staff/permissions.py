"""Permissions of each role in the staff domain, merged by weibao.core.permissions.

Everyone on a contract sees its team and the compliance with the spec's staffing rules. The
vendor manager keeps the team, certificates, duty shifts, personal data and papers, leave,
attendance corrections and personnel change requests; the purchaser sees personal data and
papers, confirms attendance corrections and decides personnel changes (STF-01…STF-05).
Engineers check themselves in and out (the services allow a member their own attendance)."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_VIEW = frozenset({"staff.view_member", "staff.view_certificate", "staff.view_dutyshift",
                   "staff.view_staffingrule", "staff.view_attendanceday", "staff.view_leave",
                   "staff.view_attendancecorrection", "staff.view_personnelchange"})
_PERSONAL = frozenset({"staff.view_personaldata", "staff.view_memberdocument"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _VIEW | _PERSONAL | {
        "staff.add_member", "staff.change_member", "staff.add_certificate",
        "staff.change_certificate", "staff.add_dutyshift", "staff.change_dutyshift",
        "staff.add_personaldata", "staff.change_personaldata", "staff.add_memberdocument",
        "staff.change_attendanceday", "staff.add_leave", "staff.add_attendancecorrection",
        "staff.add_personnelchange", "staff.change_personnelchange"},
    Role.VENDOR_ENGINEER: _VIEW,
    Role.PURCHASER_STAFF: _VIEW | _PERSONAL | {
        "staff.confirm_attendancecorrection", "staff.decide_personnelchange",
        "staff.change_personaldata"},
    Role.SUPERVISOR: _VIEW,
}
