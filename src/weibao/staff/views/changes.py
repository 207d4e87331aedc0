"""Personnel changes (STF-05): the vendor's written requests, the purchaser's decisions and
demands, the handover."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from weibao.contracts.selectors import visible_contracts
from weibao.staff.forms import ChangeForm, DecisionForm
from weibao.staff.models import PersonnelChange, StaffingTerms
from weibao.staff.services import changes as services
from weibao.staff.views.common import actor, chosen_contract
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["ChangeDecisionView", "ChangeListView"]


class ChangeListView(PermissionMixin, View):
    """The contract's personnel changes and, for the vendor manager or the purchaser, the
    form of a new request or demand."""

    permission_required = "staff.view_personnelchange"

    def _render(self, request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        user = actor(request)
        can_request = user.has_perm("staff.add_personnelchange")
        can_demand = user.has_perm("staff.decide_personnelchange")
        changes = []
        terms = None
        if contract is not None:
            changes = list(PersonnelChange.objects.filter(contract=contract)
                           .select_related("leaving", "replacement", "requested_by",
                                           "decided_by"))
            terms = StaffingTerms.objects.filter(contract=contract).first()
            if form is None and (can_request or can_demand):
                form = ChangeForm(contract=contract)
        return render_page(request, "staff/changes.html", {
            "contract": contract, "contracts": contracts, "changes": changes, "terms": terms,
            "form": form, "can_request": can_request, "can_demand": can_demand,
            "decision_form": DecisionForm()}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        contract, _contracts = chosen_contract(request)
        if contract is None:
            return self._render(request, status=404)
        user = actor(request)
        form = ChangeForm(request.POST, request.FILES, contract=contract)
        if not form.is_valid():
            return self._render(request, form, 400)
        d = form.cleaned_data
        demanded = not user.has_perm("staff.add_personnelchange")
        _saved, status = attempt(form, lambda: services.request_change(
            contract, user, leaving=d["leaving"], replacement=d["replacement"],
            reason=d["reason"], effective_on=d["effective_on"],
            demanded_by_purchaser=demanded, request_letter=d["request_letter"]))
        if status != 200:
            return self._render(request, form, status)
        messages.success(request, _("The personnel change is recorded."))
        return HttpResponseRedirect(f"{reverse('staff:changes')}?contract={contract.pk}")


class ChangeDecisionView(PermissionMixin, View):
    """Approve, refuse or complete one change."""

    permission_required = "staff.view_personnelchange"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = actor(request)
        change = get_object_or_404(PersonnelChange, pk=pk,
                                   contract__in=visible_contracts(user))
        form = DecisionForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        do = request.POST.get("do")
        try:
            if do == "complete":
                services.complete_change(change, user)
            else:
                services.decide_change(change, user, approve=do == "approve", note=note)
            messages.success(request, _("The personnel change is updated."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(f"{reverse('staff:changes')}?contract={change.contract_id}")
