"""Navigation by domain, discovered from each app's ``navigation.py``, shown by permission.

Every app may declare ``MENU`` in ``<app>/navigation.py``: a list of dicts with ``group``
(operations, assets, contract, team, settings), ``label``, ``url`` (a URL name), ``icon`` (a
Tabler icon name), ``permission`` (or None for everyone signed in) and ``order``; optionally
``roles``, the roles that want the entry in their menu (a permission alone would show site
staff the contract pages they are allowed to read but never use). A new app's menu appears
without a change here.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["GROUPS", "menu_entries", "menu_for", "navigation"]

# (key, label, icon), in the order the top bar shows them.
GROUPS: list[tuple[str, Any, str]] = [
    ("operations", _("Operations"), "tool"),
    ("assets", _("Assets"), "device-desktop"),
    ("contract", _("Contract"), "file-text"),
    ("team", _("Team"), "users-group"),
    ("settings", _("Settings"), "settings"),
]
_GROUP_ORDER = {key: index for index, (key, _label, _icon) in enumerate(GROUPS)}


@lru_cache(maxsize=1)
def menu_entries() -> tuple[dict[str, Any], ...]:
    """Every app's menu entries, sorted by group and order (read once per process)."""
    entries: list[dict[str, Any]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("weibao."):
            continue
        module_name = f"{config.name}.navigation"
        if importlib.util.find_spec(module_name) is None:
            continue
        for entry in getattr(importlib.import_module(module_name), "MENU", []):
            entries.append({"permission": None, "order": 100, "icon": "point", **entry})
    entries.sort(key=lambda e: (_GROUP_ORDER.get(e["group"], len(GROUPS)), e["order"],
                                str(e["url"])))
    return tuple(entries)


def _allowed(user: Any, entry: dict[str, Any]) -> bool:
    if entry["permission"] is not None and not user.has_perm(entry["permission"]):
        return False
    roles = entry.get("roles")
    return roles is None or user.is_administrator or user.role in roles


def menu_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The groups the user may open, each with its entries; the entry whose URL is the
    longest prefix of ``path`` is active, and so is its group."""
    groups: dict[str, dict[str, Any]] = {}
    best: dict[str, Any] | None = None
    for entry in menu_entries():
        if not _allowed(user, entry):
            continue
        try:
            url = reverse(entry["url"])
        except NoReverseMatch:  # an app whose pages are not routed (yet): no dead link
            continue
        group = groups.get(entry["group"])
        if group is None:
            label, icon = next(((lbl, ico) for key, lbl, ico in GROUPS if key == entry["group"]),
                               (entry["group"].title(), "folder"))
            group = groups[entry["group"]] = {"key": entry["group"], "label": label,
                                              "icon": icon, "items": [], "active": False}
        item = {"label": entry["label"], "url": url, "icon": entry["icon"], "active": False,
                "group": group}
        group["items"].append(item)
        if path.startswith(url) and (best is None or len(url) > len(best["url"])):
            best = item
    if best is not None:
        best["active"] = True
        best["group"]["active"] = True
    return list(groups.values())


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    return {"nav_groups": menu_for(user, request.path)}
