"""Permissions of each role in the assets domain, merged by weibao.core.permissions.

Vendor managers keep the whole register; engineers view it, add archive entries and verify
assets during visits; purchaser staff view and correct it; supervisors view it; site staff
view the assets of their own sites (object scope: ``Asset.objects.visible_to``).
"""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_MODELS = ["assettype", "kititem", "asset", "assetrelation", "assetevent", "certificate",
           "certificatewarning", "relocation"]


def _perms(action: str, models: list[str]) -> set[str]:
    return {f"assets.{action}_{model}" for model in models}


_VIEW = _perms("view", _MODELS)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW
        | _perms("add", _MODELS) | _perms("change", _MODELS)
        | _perms("delete", ["asset", "assetrelation", "kititem", "assettype", "certificate"])
        | {"assets.verify_asset", "assets.relocate_asset"}),
    Role.VENDOR_ENGINEER: frozenset(_VIEW | {"assets.add_assetevent", "assets.verify_asset"}),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW | _perms("change", ["asset", "certificate"])),
    Role.SUPERVISOR: frozenset(_VIEW),
    Role.SITE_STAFF: frozenset(_perms("view", ["asset", "assetevent", "assettype"])),
}
