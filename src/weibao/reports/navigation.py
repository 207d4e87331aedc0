"""Menu entries of the reports app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "contract", "label": _("Deliverables"), "url": "reports:list", "icon": "report",
     "permission": "reports.view_submission", "order": 20},
]
