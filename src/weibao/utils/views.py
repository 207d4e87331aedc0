"""Shared view helpers: HTMX partials, permission + contract scope, service errors to forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

__all__ = ["ContractScopedMixin", "PermissionMixin", "add_service_errors", "attempt",
           "render_page"]


def render_page(request: HttpRequest, template: str, context: dict[str, Any],
                partial: str | None = None, status: int = 200) -> HttpResponse:
    """One place decides when HTMX gets a fragment instead of the whole page."""
    htmx = getattr(request, "htmx", None)
    is_htmx = bool(htmx) and not getattr(htmx, "boosted", False)
    return render(request, partial if (is_htmx and partial) else template, context, status=status)


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields when named, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def attempt(form: BaseForm, call: Callable[[], Any]) -> tuple[Any, int]:
    """Run a service for a form: (result, 200), or its errors put on the form with 400, or
    409 when the record's state or version no longer allows it (someone else changed it
    meanwhile)."""
    from weibao.core.errors import ConflictError

    try:
        return call(), 200
    except ConflictError as error:
        add_service_errors(form, error)
        return None, 409
    except ValidationError as error:
        add_service_errors(form, error)
        return None, 400


class PermissionMixin(LoginRequiredMixin):
    """Require a model permission of the user's role (PLT-01)."""

    permission_required: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ContractScopedMixin(PermissionMixin):
    """Load ``self.contract`` from the URL, limited to the user's contracts: a contract of
    another organisation answers 404, exactly like one that does not exist."""

    contract_kwarg = "contract_pk"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            from weibao.contracts.selectors import visible_contracts

            self.contract = get_object_or_404(
                visible_contracts(request.user), pk=kwargs[self.contract_kwarg]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["contract"] = self.contract
        return context
