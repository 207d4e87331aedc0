"""Menu entries of the contracts app, discovered by the top-bar navigation."""

from django.utils.translation import gettext_lazy as _

from weibao.core.choices import Role

# Site staff and engineers may read a contract's parties but never browse contracts.
_CONTRACT_ROLES = (Role.PURCHASER_STAFF, Role.VENDOR_MANAGER, Role.SUPERVISOR)

MENU = [
    {"group": "contract", "label": _("Contracts"), "url": "contracts:list", "icon": "file-text",
     "permission": "contracts.view_contract", "roles": _CONTRACT_ROLES, "order": 10},
    {"group": "contract", "label": _("Import spec"), "url": "contracts:spec-import",
     "icon": "upload", "permission": "contracts.import_spec", "order": 90},
]
