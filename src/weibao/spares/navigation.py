"""Menu entries of the spares app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "assets", "label": _("Spare parts"), "url": "spares:index", "icon": "packages",
     "permission": "spares.view_stockmovement", "order": 30},
]
