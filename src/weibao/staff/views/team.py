"""Pages of the staff app: the roster of each of the user's contracts with its compliance."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.core.models import User
from weibao.staff.models import Member
from weibao.staff.selectors import active_members, contract_compliance
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["RosterView"]


class RosterView(PermissionMixin, View):
    """The team on ``?contract=<pk>`` (else the user's first contract with a team or rules)
    today, and the live compliance with each staffing rule of its spec (STF-01)."""

    permission_required = "staff.view_member"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        contracts = list(visible_contracts(user).order_by("number"))
        wanted = request.GET.get("contract", "")
        contract = next((c for c in contracts if str(c.pk) == wanted),
                        contracts[0] if contracts else None)
        today = timezone.localdate()
        members: list[Member] = []
        results = []
        if contract is not None:
            members = list(active_members(contract, today).select_related("user")
                           .prefetch_related("certificates"))
            results = contract_compliance(contract, today)
        return render_page(request, "staff/roster.html", {
            "contract": contract, "contracts": contracts, "members": members,
            "results": results, "today": today})
