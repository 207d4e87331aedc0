"""Menu entries of the core app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "settings", "label": _("Organisations"), "url": "core:organisation-list",
     "icon": "building", "permission": "core.view_organisation", "order": 40},
    {"group": "settings", "label": _("Users"), "url": "core:user-list", "icon": "users",
     "permission": "core.view_user", "order": 41},
]
