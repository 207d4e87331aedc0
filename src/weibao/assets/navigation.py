"""Menu entries of the assets app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "assets", "label": _("Assets"), "url": "assets:list", "icon": "device-desktop",
     "permission": "assets.view_asset", "order": 20},
]
