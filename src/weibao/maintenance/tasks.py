"""Background tasks of the maintenance domain (run by the huey worker)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from weibao.contracts.models import Contract
from weibao.maintenance.services.breaches import close_windows
from weibao.maintenance.services.generation import generate_visits

__all__ = ["maintenance_schedule", "replan_contract"]


@db_periodic_task(crontab(minute="*/10"))
def maintenance_schedule() -> None:
    """Every 10 minutes: close ended windows (missed visits, PM-09 breaches) and create
    the visits of the coming weeks; both are idempotent."""
    close_windows()
    generate_visits()


@db_task()
def replan_contract(contract_id: int) -> None:
    """A contract's sites, plans or major events changed: generate its visits again
    (new targets get visits, future visits out of scope are cancelled)."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is not None:
        generate_visits(contract)
