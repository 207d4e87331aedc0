"""Permissions of each role in the spares domain, merged by weibao.core.permissions.

Vendor managers and engineers keep the stock: they view everything and record movements and
standby loans. Purchaser staff and supervisors view. Site staff see nothing of the stock.
Part types, warehouses, ratios and caps come from the contract spec (no add/change here).
"""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_MODELS = ["parttype", "warehouse", "ratiorule", "budgetcap", "stockmovement", "stockbalance",
           "standbyloan"]
_VIEW = frozenset(f"spares.view_{model}" for model in _MODELS)
_RECORD = frozenset({"spares.add_stockmovement", "spares.add_standbyloan",
                     "spares.change_standbyloan"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _VIEW | _RECORD,
    Role.VENDOR_ENGINEER: _VIEW | _RECORD,
    Role.PURCHASER_STAFF: _VIEW,
    Role.SUPERVISOR: _VIEW,
}
