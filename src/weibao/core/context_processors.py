"""Navigation by domain, shown according to the user's permissions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["navigation"]

# (label, url name, icon, permission needed)
_NAV = [
    (_("Home"), "home", "home", None),
    (_("Contracts"), "contracts:list", "file-text", "contracts.view_contract"),
    (_("Import spec"), "contracts:spec-import", "upload", "contracts.import_spec"),
    (_("SLA preview"), "sla:preview", "clock-hour-4", "contracts.view_contract"),
    (_("Assets"), "assets:list", "device-desktop", "assets.view_asset"),
    (_("Calendars"), "calendars:list", "calendar", "calendars.view_workcalendar"),
    (_("Sites"), "sites:list", "map-pin", "sites.view_site"),
    (_("Spare parts"), "spares:index", "packages", "spares.view_stockmovement"),
    (_("Knowledge"), "tickets:article-list", "book", "tickets.view_article"),
    (_("Tickets"), "tickets:list", "ticket", "tickets.view_ticket"),
    (_("Inspections"), "maintenance:list", "checklist", "maintenance.view_visit"),
    (_("Deliverables"), "reports:list", "report", "reports.view_submission"),
    (_("Assessment"), "assessment:list", "scale", "assessment.view_assessment"),
    (_("Emergency"), "emergency:plans", "urgent", "emergency.view_emergencyplan"),
    (_("Team"), "staff:roster", "users-group", "staff.view_member"),
    (_("Import"), "imports:index", "file-spreadsheet", "imports.add_importjob"),
    (_("Organisations"), "core:organisation-list", "building", "core.view_organisation"),
    (_("Users"), "core:user-list", "users", "core.view_user"),
    (_("Security"), "security:audit", "shield-lock", "security.view_auditseal"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, icon, perm in _NAV:
        if perm is None or user.has_perm(perm):
            url = reverse(name)
            active = request.path == url if name == "home" else request.path.startswith(url)
            items.append({"label": label, "url": url, "icon": icon, "active": active})
    return {"nav_items": items}
