"""Menu entries of the imports app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "settings", "label": _("Import"), "url": "imports:index",
     "icon": "file-spreadsheet", "permission": "imports.add_importjob", "order": 30},
]
