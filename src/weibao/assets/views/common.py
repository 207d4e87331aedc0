"""Helpers shared by the asset pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from weibao.assets.models import Asset
from weibao.assets.selectors import visible_assets

__all__ = ["get_asset", "require"]


def get_asset(request: HttpRequest, pk: int) -> Asset:
    """PLT-01: an asset outside the user's scope answers 404, like one that does not exist."""
    return get_object_or_404(visible_assets(request.user).select_related(
        "contract", "asset_type__parent", "site", "parent", "remote_site"), pk=pk)


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
