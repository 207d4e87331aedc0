"""What the assessment pages share: the assessment or breach within the user's scope
(PLT-01: any other is a 404) and the logged-in user."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from weibao.assessment.selectors import visible_assessments, visible_breaches
from weibao.core.models import User
from weibao.utils.views import PermissionMixin

__all__ = ["AssessmentMixin", "BreachMixin", "actor"]


def actor(request: HttpRequest) -> User:
    """The logged-in user (every assessment page requires a login first)."""
    return cast(User, request.user)


class AssessmentMixin(PermissionMixin):
    """Load ``self.assessment`` within the user's assessments: another contract's answers 404
    exactly like one that does not exist."""

    permission_required = "assessment.view_assessment"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.assessment = get_object_or_404(
                visible_assessments(request.user).select_related(
                    "contract", "created_by", "reviewed_by", "confirmed_by", "finalised_by"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class BreachMixin(PermissionMixin):
    """Load ``self.breach`` within the user's ledger."""

    permission_required = "assessment.view_breach"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.breach = get_object_or_404(
                visible_breaches(request.user).select_related(
                    "sla_alert__ticket", "entered_by", "decided_by"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
