"""Permissions of each role in the emergency domain, merged by weibao.core.permissions.

The vendor writes plans, records drills, reports and works incidents and plans on-site duty;
the purchaser approves disposal plans, reviews plans and records major periods; the
supervisor reads. Site staff see nothing of it. Every permission is also checked against the
contract (PLT-01): a person of another contract's organisation sees nothing."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]


def _perms(action: str, *models: str) -> set[str]:
    return {f"emergency.{action}_{model}" for model in models}


_VIEW = _perms("view", "emergencyplan", "planversion", "drillrule", "drill", "drillphoto",
               "securityincident", "majorperiod", "dutyassignment", "periodreport")
_PERIODS = (_perms("add", "majorperiod", "dutyassignment", "periodreport")
            | _perms("change", "majorperiod") | _perms("delete", "dutyassignment"))

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW | _PERIODS | _perms("add", "emergencyplan", "planversion", "drillphoto",
                                 "securityincident")
        | _perms("change", "emergencyplan", "drill")
        | {"emergency.review_emergencyplan", "emergency.record_drill",
           "emergency.work_securityincident"}),
    Role.VENDOR_ENGINEER: frozenset(
        _VIEW | _perms("add", "drillphoto", "securityincident", "periodreport")
        | _perms("change", "drill")
        | {"emergency.record_drill", "emergency.work_securityincident"}),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW | _PERIODS | {"emergency.review_emergencyplan",
                            "emergency.approve_disposal_plan"}),
    Role.SUPERVISOR: frozenset(_VIEW),
}
