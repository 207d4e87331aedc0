"""What the staff pages share: the contract chosen with ``?contract=``."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.core.models import User

__all__ = ["actor", "chosen_contract"]


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def chosen_contract(request: HttpRequest) -> tuple[Contract | None, list[Contract]]:
    """The user's contracts and the one on ``?contract=<pk>`` (else the first)."""
    contracts = list(visible_contracts(actor(request)).order_by("number"))
    wanted = request.GET.get("contract") or request.POST.get("contract") or ""
    contract = next((c for c in contracts if str(c.pk) == wanted),
                    contracts[0] if contracts else None)
    return contract, contracts
