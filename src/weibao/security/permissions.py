"""Security pages are the administrators' (they hold every permission): no other role may see
everyone's sign-ins or unlock accounts (PLT-01). Each user sees their own sign-ins."""

from __future__ import annotations

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {}
