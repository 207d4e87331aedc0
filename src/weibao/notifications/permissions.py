"""Permissions of each role in the notifications domain, merged by weibao.core.permissions.

Everyone reads their own notification centre and keeps their own preferences (the views
limit every query to the signed-in person); only administrators configure channels, read the
delivery log and send a dead letter again (administrators hold every permission)."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_OWN = frozenset({"notifications.view_notification", "notifications.change_notification",
                  "notifications.view_preference", "notifications.change_preference"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _OWN,
    Role.VENDOR_ENGINEER: _OWN,
    Role.PURCHASER_STAFF: _OWN,
    Role.SUPERVISOR: _OWN,
    Role.SITE_STAFF: _OWN,
}
