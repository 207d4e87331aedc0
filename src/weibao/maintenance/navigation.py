"""Menu entries of the maintenance app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "operations", "label": _("Inspections"), "url": "maintenance:list",
     "icon": "checklist", "permission": "maintenance.view_visit", "order": 20},
    {"group": "operations", "label": _("Today's visits"), "url": "maintenance:today",
     "icon": "route", "permission": "maintenance.perform_visit", "order": 21},
]
