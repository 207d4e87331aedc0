"""Menu entries of the tickets app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

from weibao.core.choices import Role

# The desk views of the whole contract; an engineer works from "My tickets".
_DESK = (Role.PURCHASER_STAFF, Role.VENDOR_MANAGER, Role.SUPERVISOR)

MENU = [
    {"group": "operations", "label": _("Tickets"), "url": "tickets:list", "icon": "ticket",
     "permission": "tickets.view_ticket", "order": 10},
    {"group": "operations", "label": _("My tickets"), "url": "tickets:mine",
     "icon": "device-mobile", "permission": "tickets.work_ticket", "order": 11},
    {"group": "operations", "label": _("Duty board"), "url": "tickets:board",
     "icon": "layout-board", "permission": "tickets.view_slaalert", "roles": _DESK, "order": 12},
    {"group": "operations", "label": _("SLA alerts"), "url": "tickets:alerts", "icon": "alarm",
     "permission": "tickets.view_slaalert", "roles": _DESK, "order": 13},
    {"group": "operations", "label": _("Knowledge"), "url": "tickets:article-list",
     "icon": "book", "permission": "tickets.view_article", "order": 40},
]
