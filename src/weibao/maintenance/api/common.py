"""What the maintenance API views share: the permission each action needs, the caller, and
looking a contract up within the caller's scope (PLT-01)."""

from __future__ import annotations

from typing import Any, cast

from django.shortcuts import get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.core.choices import Role
from weibao.core.models import User

__all__ = ["ActionPermission", "actor", "expected_version", "vendor_engineer",
           "visible_contract"]


class ActionPermission(BasePermission):
    """The role permission named for the view's action in ``action_permissions`` (default
    ``default_permission``). Which objects the caller reaches is the scoped queryset's
    business: another contract's record is a 404, not a 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        permissions: dict[str, str] = getattr(view, "action_permissions", {})
        perm = permissions.get(getattr(view, "action", "") or "", view.default_permission)
        return bool(user.has_perm(perm))


def actor(request: Request) -> User:
    """The authenticated caller (the permission classes let no anonymous caller through)."""
    return cast(User, request.user)


def visible_contract(request: Request, number: str) -> Contract:
    """The contract with this number among the caller's, else 404."""
    return get_object_or_404(visible_contracts(request.user), number=number)


def expected_version(request: Request, data: dict[str, Any]) -> int | None:
    """The version the caller read: ``version`` in the body, else an ``If-Match`` header
    (a bare number or an ETag such as ``"3"``)."""
    version = data.get("version")
    if version is not None:
        return int(version)
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    return int(header) if header.isdigit() else None


def vendor_engineer(contract: Contract, username: str) -> User | None:
    """An active engineer or manager of the contract's vendor by user name; anyone else
    (unknown, or of another organisation) is None alike, so the answer tells nothing about
    who exists elsewhere."""
    vendor = contract.vendor
    if vendor is None:
        return None
    return User.objects.filter(username=username, organisation_id=vendor.organisation_id,
                               is_active=True,
                               role__in=[Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER]).first()

