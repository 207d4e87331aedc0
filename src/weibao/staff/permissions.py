"""Permissions of each role in the staff domain, merged by weibao.core.permissions."""

from __future__ import annotations

__all__ = ["ROLE_PERMISSIONS"]

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {}
