"""Menu entries of the staff app, discovered by the navigation."""

from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "team", "label": _("Roster"), "url": "staff:roster", "icon": "users",
     "permission": "staff.view_member", "order": 10},
    {"group": "team", "label": _("Check in"), "url": "staff:check-in", "icon": "fingerprint",
     "permission": "staff.view_attendanceday", "order": 15},
    {"group": "team", "label": _("Attendance"), "url": "staff:attendance",
     "icon": "calendar-check", "permission": "staff.view_attendanceday", "order": 20},
    {"group": "team", "label": _("Duty roster"), "url": "staff:duty", "icon": "phone-call",
     "permission": "staff.view_dutyshift", "order": 30},
    {"group": "team", "label": _("Personnel changes"), "url": "staff:changes",
     "icon": "arrows-exchange", "permission": "staff.view_personnelchange", "order": 40},
]
