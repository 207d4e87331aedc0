"""Re-planning trigger: when a contract's sites, maintenance plans or major events change,
its visits are generated again in the background, once per contract per transaction, after
the change is committed (a rolled-back change enqueues nothing)."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from weibao.maintenance.models import MaintenancePlan, MajorEvent
from weibao.sites.models import Site

__all__ = ["connect", "replan_on_commit"]


class _Replan:
    """The on-commit callback for one contract; recognisable so it is registered once."""

    def __init__(self, contract_id: int) -> None:
        self.contract_id = contract_id

    def __call__(self) -> None:
        from weibao.maintenance.tasks import replan_contract

        replan_contract(self.contract_id)


def replan_on_commit(contract_id: int | None) -> None:
    """Enqueue the contract's re-planning when the current transaction commits."""
    if contract_id is None:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(isinstance(entry[1], _Replan) and entry[1].contract_id == contract_id
           for entry in pending):
        return
    transaction.on_commit(_Replan(contract_id))


def _changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures being loaded
        return
    replan_on_commit(getattr(instance, "contract_id", None))


def _plan_types_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
            instance, MaintenancePlan):
        replan_on_commit(instance.contract_id)


def connect() -> None:
    """Called from ``MaintenanceConfig.ready``."""
    for model in (Site, MaintenancePlan, MajorEvent):
        post_save.connect(_changed, sender=model, dispatch_uid=f"maintenance-replan-{model}")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"maintenance-replan-del-{model}")
    for through in (MaintenancePlan.site_types.through, MaintenancePlan.asset_types.through):
        m2m_changed.connect(_plan_types_changed, sender=through,
                            dispatch_uid=f"maintenance-replan-{through}")
