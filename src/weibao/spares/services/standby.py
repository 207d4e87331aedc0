"""Standby units (备用机, SPR-04): lent to a site while its faulty device is repaired.

A loan issues one new unit from a warehouse (reference kind ``standby``, which budget caps do
not count: the unit comes back); the return books it back in, new or faulty as found.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.errors import ConflictError, ServiceError
from weibao.sites.models import Site
from weibao.spares.choices import Condition, MovementKind, ReferenceKind
from weibao.spares.models import PartType, StandbyLoan, Warehouse
from weibao.spares.services.ledger import _check, _locked_balance, _post, issue

__all__ = ["lend_standby", "return_standby"]


@transaction.atomic
def lend_standby(*, site: Site, warehouse: Warehouse, part_type: PartType, actor: Any = None,
                 faulty_device: str = "", due_back: datetime.date | None = None,
                 loaned_at: datetime.datetime | None = None, notes: str = "") -> StandbyLoan:
    if site.contract_id != warehouse.contract_id:
        raise ServiceError({"site": [_("The site is not a site of this contract.")]})
    when = loaned_at or timezone.now()
    if due_back is not None and due_back < timezone.localdate(when):
        raise ServiceError({"due_back": [_("The due date cannot be before the loan.")]})
    loan = StandbyLoan(contract_id=site.contract_id, site=site, warehouse=warehouse,
                       part_type=part_type, faulty_device=faulty_device.strip(),
                       loaned_at=when, due_back=due_back, notes=notes)
    # The reference is the site code until the loan has its number, then the loan's own.
    movement = issue(warehouse=warehouse, part_type=part_type, quantity=1, actor=actor,
                     reference_kind=ReferenceKind.STANDBY, reference_id=site.code,
                     occurred_at=when, reason=_("Standby unit for %(site)s") % {"site": site})
    loan.issue_movement = movement
    loan.save()
    movement.reference_id = f"SB-{loan.pk}"
    movement.save(update_fields=["reference_id", "updated_at"])
    return loan


@transaction.atomic
def return_standby(loan: StandbyLoan, *, condition: str = Condition.NEW, actor: Any = None,
                   returned_at: datetime.datetime | None = None) -> StandbyLoan:
    loan = StandbyLoan.objects.select_for_update().select_related(
        "warehouse", "part_type").get(pk=loan.pk)
    if loan.returned_at is not None:
        raise ConflictError(_("This standby unit has already been returned."))
    _check(loan.warehouse, loan.part_type, 1, condition)
    when = returned_at or timezone.now()
    if when < loan.loaned_at:
        raise ServiceError({"returned_at": [_("The return cannot be before the loan.")]})
    balance = _locked_balance(loan.warehouse, loan.part_type, condition)
    loan.return_movement = _post(
        balance, 1, kind=MovementKind.STANDBY_RETURN, actor=actor, occurred_at=when,
        reference_kind=ReferenceKind.STANDBY, reference_id=f"SB-{loan.pk}",
        unit_cost=loan.issue_movement.unit_cost)
    loan.returned_at = when
    loan.save(update_fields=["return_movement", "returned_at", "updated_at"])
    return loan
