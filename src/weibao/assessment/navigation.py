"""Menu entries of the assessment app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "contract", "label": _("Assessment"), "url": "assessment:list", "icon": "scale",
     "permission": "assessment.view_assessment", "order": 30},
    {"group": "contract", "label": _("Breach ledger"), "url": "assessment:ledger",
     "icon": "list-details", "permission": "assessment.view_breach", "order": 31},
]
