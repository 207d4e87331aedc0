"""Menu entries of the sites app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "assets", "label": _("Sites"), "url": "sites:list", "icon": "map-pin",
     "permission": "sites.view_site", "order": 10},
]
