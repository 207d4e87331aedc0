"""Permissions of each role in the sites domain, merged by weibao.core.permissions.

Vendor managers and purchaser staff keep the contract's sites, districts, area classes and
site types; engineers and supervisors view them; site staff view their own organisation's sites
only (rows limited by ``Site.objects.visible_to``).
"""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_MODELS = ("site", "district", "areaclass", "sitetype")


def _perms(*actions: str) -> frozenset[str]:
    return frozenset(f"sites.{action}_{model}" for action in actions for model in _MODELS)


_VIEW = _perms("view")
_KEEP = _perms("view", "add", "change", "delete")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _KEEP,
    Role.PURCHASER_STAFF: _KEEP,
    Role.VENDOR_ENGINEER: _VIEW,
    Role.SUPERVISOR: _VIEW,
    Role.SITE_STAFF: frozenset({"sites.view_site", "sites.view_district", "sites.view_areaclass",
                                "sites.view_sitetype"}),
}
