"""Menu entries of the sla app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

from weibao.core.choices import Role

MENU = [
    {"group": "settings", "label": _("SLA preview"), "url": "sla:preview",
     "icon": "clock-hour-4", "permission": "contracts.view_contract",
     "roles": (Role.PURCHASER_STAFF, Role.VENDOR_MANAGER), "order": 20},
]
