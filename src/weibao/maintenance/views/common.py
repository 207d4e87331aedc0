"""What the maintenance pages share: the visit within the user's scope (PLT-01: any other is
a 404), the contract and month a page is about, and running a service with its errors put
on the form."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.core.models import User
from weibao.maintenance.models import MaintenancePlan
from weibao.maintenance.selectors import visible_visits
from weibao.utils.views import PermissionMixin, attempt

__all__ = ["VisitMixin", "actor", "attempt", "chosen_contract", "chosen_month",
           "maintenance_contracts", "month_text", "service_errors", "vendor_people"]


def actor(request: HttpRequest) -> User:
    """The logged-in user (every maintenance page requires a login first)."""
    return cast(User, request.user)


def service_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(value) for key, value in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def vendor_people(contract: Contract) -> QuerySet[User]:
    """The vendor's active engineers and managers: who may be given visits or districts."""
    from weibao.core.choices import Role

    vendor = contract.vendor
    if vendor is None or vendor.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=vendor.organisation_id, is_active=True,
                               role__in=(Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER)
                               ).order_by("username")


def maintenance_contracts(user: User) -> QuerySet[Contract]:
    """The user's contracts that have maintenance plans, by number."""
    with_plans = MaintenancePlan.objects.values("contract_id")
    return visible_contracts(user).filter(pk__in=with_plans).order_by("number")


def chosen_contract(request: HttpRequest) -> tuple[Contract | None, list[Contract]]:
    """``?contract=<pk>`` among the user's maintenance contracts, else the first of them."""
    contracts = list(maintenance_contracts(actor(request)))
    wanted = request.GET.get("contract", "")
    for contract in contracts:
        if str(contract.pk) == wanted:
            return contract, contracts
    return (contracts[0] if contracts else None), contracts


def chosen_month(request: HttpRequest) -> tuple[int, int]:
    """``?month=YYYY-MM``, else the current month (a malformed one also means this month)."""
    text = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = timezone.localdate()
    return today.year, today.month


def month_text(year: int, month: int, shift: int = 0) -> str:
    index = year * 12 + month - 1 + shift
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def first_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


class VisitMixin(PermissionMixin):
    """Load ``self.visit`` within the user's visits: another contract's (or, for site staff,
    another site's) visit answers 404 exactly like one that does not exist."""

    permission_required = "maintenance.view_visit"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.visit = get_object_or_404(
                visible_visits(request.user).select_related(
                    "contract", "plan__checklist", "site__district", "asset", "event",
                    "assignee", "completed_by"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def user(self) -> User:
        return actor(self.request)  # type: ignore[attr-defined]
