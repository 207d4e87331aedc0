from django.utils.translation import gettext_lazy as _

MENU = [
    {"group": "settings", "label": _("Two-step sign-in"), "url": "security:totp",
     "icon": "device-mobile", "permission": None, "order": 79},
    {"group": "settings", "label": _("My sign-ins"), "url": "security:my-logins",
     "icon": "history", "permission": None, "order": 80},
    {"group": "settings", "label": _("Sign-in history"), "url": "security:logins",
     "icon": "login", "permission": "security.view_loginattempt", "order": 81},
    {"group": "settings", "label": _("Lockouts"), "url": "security:lockouts",
     "icon": "lock", "permission": "security.view_lockout", "order": 82},
    {"group": "settings", "label": _("Audit chain"), "url": "security:audit",
     "icon": "shield-check", "permission": "security.view_auditseal", "order": 83},
]
