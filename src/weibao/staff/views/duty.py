"""值班计划 and the 7×24 contact list (STF-04): the duty shifts of a contract from today on,
who is on duty now, and every team member's phone — in full for the purchaser and the vendor
manager, masked for everyone else (PLT-02)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from weibao.staff.forms import DutyShiftForm
from weibao.staff.models import DutyShift, Member
from weibao.staff.selectors import active_members, on_duty
from weibao.staff.services import add_duty_shift
from weibao.staff.services.personal import PersonalAccess
from weibao.staff.views.common import actor, chosen_contract
from weibao.staff.views.team import _person
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["DutyView"]

#: The roster shows the shifts of the next this many days.
HORIZON_DAYS = 60


class DutyView(PermissionMixin, View):
    permission_required = "staff.view_dutyshift"

    def _render(self, request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        user = actor(request)
        now = timezone.now()
        context: dict[str, Any] = {"contract": contract, "contracts": contracts}
        if contract is not None:
            access = PersonalAccess(user)
            members: list[Member] = list(active_members(contract, timezone.localdate())
                                         .select_related("user", "personal"))
            context.update({
                "shifts": list(DutyShift.objects.filter(
                    contract=contract, ends_at__gt=now,
                    starts_at__lt=now + datetime.timedelta(days=HORIZON_DAYS))
                    .select_related("user")),
                "now_on_duty": on_duty(contract, now),
                "contacts": [_person(m, access) for m in members],
                "form": (form or DutyShiftForm(contract=contract))
                if user.has_perm("staff.add_dutyshift") else None})
        return render_page(request, "staff/duty.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        contract, _contracts = chosen_contract(request)
        user = actor(request)
        if contract is None or not user.has_perm("staff.add_dutyshift"):
            raise PermissionDenied
        form = DutyShiftForm(request.POST, contract=contract)
        if not form.is_valid():
            return self._render(request, form, 400)
        d = form.cleaned_data
        _saved, status = attempt(form, lambda: add_duty_shift(contract, d["user"],
                                                              d["starts_at"], d["ends_at"]))
        if status != 200:
            return self._render(request, form, status)
        messages.success(request, _("The duty shift is added."))
        return HttpResponseRedirect(f"{reverse('staff:duty')}?contract={contract.pk}")
