"""API permissions: the role's model permission, and for objects the contract scope."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import DjangoObjectPermissions
from rest_framework.request import Request

__all__ = ["AdministratorOnly", "RolePermission"]


class RolePermission(DjangoObjectPermissions):
    """Every method needs the model permission of the user's role; reads need ``view``."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        required = getattr(view, "required_permission", None)
        if required is not None:
            return bool(request.user and request.user.is_authenticated
                        and request.user.has_perm(required))
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)

    def _queryset(self, view: Any) -> Any:
        # Only the model is read from it: a declared queryset names the model without
        # building the caller's scoped queryset (which a create never uses).
        declared = getattr(view, "queryset", None)
        return declared if declared is not None else super()._queryset(view)


class AdministratorOnly(RolePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_administrator", False))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return self.has_permission(request, view)
