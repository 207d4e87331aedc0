"""Roles mapped to permissions (PLT-01: least privilege) and the object-level check.

Model permissions say *what* a role may do; the object check says *where*: a user acts only on
objects of contracts their organisation is party to. Objects opt in by defining
``is_visible_to(user)``. Administrators see and do everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS", "RoleBackend", "role_permissions"]

_CONTRACT_MODELS = [
    "contract",
    "contractparty",
    "contact",
    "contractdocument",
    "amendment",
    "paymentmilestone",
    "performancebond",
    "invoice",
    "payment",
    "contractevent",
    "factorband",
]
_COMMERCIAL = {"paymentmilestone", "performancebond", "invoice", "payment", "contractevent",
               "factorband"}


def _perms(app: str, action: str, models: list[str]) -> set[str]:
    return {f"{app}.{action}_{model}" for model in models}


_VIEW_ALL = _perms("contracts", "view", _CONTRACT_MODELS)
_VIEW_OPERATIONAL = _perms(
    "contracts", "view", [m for m in _CONTRACT_MODELS if m not in _COMMERCIAL]
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW_ALL
        | _perms(
            "contracts",
            "add",
            ["contract", "contractparty", "contact", "contractdocument", "amendment",
             "paymentmilestone", "invoice"],
        )
        | _perms(
            "contracts",
            "change",
            ["contract", "contractparty", "contact", "contractdocument", "amendment",
             "paymentmilestone", "invoice"],
        )
        | {"contracts.delete_contractdocument", "contracts.import_spec", "contracts.export_spec",
           "core.view_organisation"}
    ),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW_ALL
        | _perms(
            "contracts",
            "add",
            ["contract", "contractparty", "contact", "contractdocument", "amendment",
             "paymentmilestone", "performancebond", "payment", "contractevent"],
        )
        | _perms(
            "contracts",
            "change",
            ["contract", "contractparty", "contact", "contractdocument", "amendment",
             "paymentmilestone", "performancebond", "payment", "contractevent"],
        )
        | {"contracts.delete_contractdocument", "contracts.import_spec", "contracts.export_spec",
           "core.view_organisation", "contracts.delete_contractevent"}
    ),
    Role.SUPERVISOR: frozenset(_VIEW_ALL | {"contracts.export_spec", "core.view_organisation"}),
    Role.VENDOR_ENGINEER: frozenset(_VIEW_OPERATIONAL),
    Role.SITE_STAFF: frozenset(
        _perms("contracts", "view", ["contract", "contractparty", "contact"])
    ),
}


# Calendars (CAL-01, CAL-02): everyone views the national calendars and holiday sets; vendor
# managers and purchaser staff also keep their own contracts' calendars (objects checked by
# weibao.calendars.selectors.can_manage_calendar). Holiday sets: administrators only.
_CALENDAR_VIEW = _perms("calendars", "view", ["workcalendar", "calendarday", "holidayset",
                                               "holidayyear", "holidayday"])
_CALENDAR_KEEP = (_perms("calendars", "add", ["workcalendar", "calendarday"])
                  | _perms("calendars", "change", ["workcalendar", "calendarday"])
                  | {"calendars.delete_calendarday"})
for _role in (Role.VENDOR_MANAGER, Role.PURCHASER_STAFF, Role.SUPERVISOR, Role.VENDOR_ENGINEER,
              Role.SITE_STAFF):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _CALENDAR_VIEW | (
        _CALENDAR_KEEP if _role in (Role.VENDOR_MANAGER, Role.PURCHASER_STAFF) else frozenset())

# Later domains declare their roles' permissions in their own ``permissions.py``.
_APP_PERMISSION_MODULES = ("weibao.sites.permissions", "weibao.assets.permissions",
                           "weibao.spares.permissions", "weibao.imports.permissions",
                           "weibao.tickets.permissions",
                           "weibao.maintenance.permissions", "weibao.reports.permissions",
                           "weibao.assessment.permissions", "weibao.staff.permissions",
                           "weibao.emergency.permissions",
                           "weibao.security.permissions", "weibao.notifications.permissions")
_merged: dict[str, frozenset[str]] | None = None


def _all_role_permissions() -> dict[str, frozenset[str]]:
    global _merged
    if _merged is None:
        import importlib

        merged = dict(ROLE_PERMISSIONS)
        for name in _APP_PERMISSION_MODULES:
            for role, perms in importlib.import_module(name).ROLE_PERMISSIONS.items():
                merged[role] = merged.get(role, frozenset()) | perms
        _merged = merged
    return _merged


def role_permissions(role: str) -> frozenset[str]:
    return _all_role_permissions().get(role, frozenset())


class RoleBackend(ModelBackend):
    """Password authentication with permissions derived from the user's role.

    Administrators (role or superuser flag) hold every permission. Everyone else holds the
    permissions of their role; object checks additionally require the object to be visible.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if getattr(user_obj, "is_administrator", False):
            return super().get_all_permissions(user_obj) | {"*"}
        return set(role_permissions(user_obj.role))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if not getattr(user_obj, "is_administrator", False) and perm not in role_permissions(
            user_obj.role
        ):
            return False
        if obj is None:
            return True
        check = getattr(obj, "is_visible_to", None)
        return bool(check(user_obj)) if check is not None else True

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if getattr(user_obj, "is_administrator", False):
            return True
        return any(p.startswith(f"{app_label}.") for p in role_permissions(user_obj.role))
