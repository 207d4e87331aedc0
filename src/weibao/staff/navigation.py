"""Menu entries of the staff app, discovered by the navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "team", "label": _("Roster"), "url": "staff:roster", "icon": "users",
     "permission": "staff.view_member", "order": 10},
]
