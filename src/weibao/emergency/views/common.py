"""What the emergency pages share: the record within the user's scope (PLT-01: another
contract's is a 404), the contract the user picks, running a service for a form."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.core.models import User
from weibao.utils.views import PermissionMixin, attempt, render_page

__all__ = ["ContractFormView", "ScopedObjectMixin", "actor", "attempt", "chosen_contract"]


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def chosen_contract(request: HttpRequest) -> tuple[Contract | None, list[Contract]]:
    """``?contract=<pk>`` among the user's contracts, else the first of them."""
    contracts = list(visible_contracts(actor(request)).order_by("number"))
    wanted = request.GET.get("contract") or request.POST.get("contract", "")
    for contract in contracts:
        if str(contract.pk) == wanted:
            return contract, contracts
    return (contracts[0] if contracts else None), contracts


class ScopedObjectMixin(PermissionMixin, ABC):
    """Loads ``self.object`` from ``scoped(user)`` by ``pk``: another contract's record
    answers 404 exactly like one that does not exist."""

    @abstractmethod
    def scoped(self, user: User) -> QuerySet[Any]:
        """The records of this page's kind the user may see."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.object = get_object_or_404(self.scoped(actor(request)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ContractFormView(PermissionMixin, View, ABC):
    """A page that creates a record of the contract chosen by ``?contract=``: the form on GET,
    the service through :meth:`create` on POST (back to ``list_url`` without a contract)."""

    form_class: type[Any]
    template_name = ""
    list_url = ""

    def render_form(self, request: HttpRequest, form: Any, contract: Any,
                    contracts: list[Any], status: int = 200) -> HttpResponse:
        return render_page(request, self.template_name,
                           {"form": form, "contract": contract, "contracts": contracts},
                           status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        if contract is None:
            return HttpResponseRedirect(reverse(self.list_url))
        return self.render_form(request, self.form_class(contract=contract), contract, contracts)

    def post(self, request: HttpRequest) -> HttpResponse:
        contract, contracts = chosen_contract(request)
        if contract is None:
            return HttpResponseRedirect(reverse(self.list_url))
        form = self.form_class(request.POST, contract=contract)
        if not form.is_valid():
            return self.render_form(request, form, contract, contracts, 400)
        return self.create(request, form, contract, contracts)

    @abstractmethod
    def create(self, request: HttpRequest, form: Any, contract: Any,
               contracts: list[Any]) -> HttpResponse:
        """Call the service with the valid form; the new record's page, or the form again."""
