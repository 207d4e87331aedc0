"""Menu entries of the calendars app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

from weibao.core.choices import Role

MENU = [
    {"group": "settings", "label": _("Calendars"), "url": "calendars:list", "icon": "calendar",
     "permission": "calendars.view_workcalendar",
     "roles": (Role.PURCHASER_STAFF, Role.VENDOR_MANAGER), "order": 10},
]
