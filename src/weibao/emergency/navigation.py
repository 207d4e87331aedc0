"""Menu entries of the emergency app, discovered by the navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "operations", "label": _("Emergency plans"), "url": "emergency:plans",
     "icon": "file-shield", "permission": "emergency.view_emergencyplan", "order": 60},
    {"group": "operations", "label": _("Drills"), "url": "emergency:drills",
     "icon": "calendar-event", "permission": "emergency.view_drill", "order": 61},
    {"group": "operations", "label": _("Security incidents"), "url": "emergency:incidents",
     "icon": "shield-exclamation", "permission": "emergency.view_securityincident",
     "order": 62},
    {"group": "operations", "label": _("Major periods"), "url": "emergency:periods",
     "icon": "flag", "permission": "emergency.view_majorperiod", "order": 63},
]
