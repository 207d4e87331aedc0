"""Permissions of each role in the imports domain, merged by weibao.core.permissions.

Vendor managers and purchaser staff may upload, validate and commit import jobs (AST-10); what
they may import is further limited by each importer's own permission (e.g. ``sites.add_site``).
Everyone else: none."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]

_IMPORT = frozenset({"imports.view_importjob", "imports.add_importjob"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: _IMPORT,
    Role.PURCHASER_STAFF: _IMPORT,
}
