"""Event triggers of deliverables (RPT-05, RPT-06): when a visit of a deliverable's
maintenance plan becomes done, or a ticket of its ticket type is restored, the report it owes
is created after the change is committed (a rolled-back change creates nothing), once per
visit or ticket (:func:`weibao.reports.services.schedule.submission_for_event`).

The hooks sit on every visit and ticket save, so they stay cheap: the status is checked
first (a save that does not complete a visit or restore a ticket — every ticket created — does
no query at all), then a per-process cache of each contract's trigger plans and ticket types
(:class:`weibao.core.stamped.TimedCache`, forgotten at once when a deliverable is written in
this process, re-read within ``WEIBAO_CACHE_RECHECK_SECONDS`` otherwise).

When a contract's deliverables are written (the spec imported, a deliverable changed) its
coming submissions are planned in the background after the commit, once per contract per
transaction, so the calendar shows them without waiting for the periodic job.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_save

from weibao.core.stamped import TimedCache, expire_on_write
from weibao.maintenance.choices import VisitStatus
from weibao.reports.choices import Cadence, TriggerKind

__all__ = ["Triggers", "connect", "contract_triggers", "forget_triggers", "plan_on_commit"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Triggers:
    """A contract's event-driven deliverables: their ids by maintenance plan and by ticket
    type."""

    plans: dict[int, tuple[int, ...]] = field(default_factory=dict)
    ticket_types: dict[int, tuple[int, ...]] = field(default_factory=dict)


_cache: TimedCache[int, Triggers] = TimedCache()


def _build(contract_id: int) -> Triggers:
    from weibao.reports.models import Deliverable

    plans: dict[int, list[int]] = {}
    types: dict[int, list[int]] = {}
    for pk, trigger, plan_id, type_id in Deliverable.objects.filter(
            contract_id=contract_id, active=True, cadence=Cadence.AFTER_EVENT,
            trigger__in=(TriggerKind.VISIT_DONE, TriggerKind.TICKET_RESTORED)).values_list(
            "pk", "trigger", "trigger_plan_id", "trigger_ticket_type_id"):
        if trigger == TriggerKind.VISIT_DONE and plan_id is not None:
            plans.setdefault(plan_id, []).append(pk)
        elif trigger == TriggerKind.TICKET_RESTORED and type_id is not None:
            types.setdefault(type_id, []).append(pk)
    return Triggers({k: tuple(v) for k, v in plans.items()},
                    {k: tuple(v) for k, v in types.items()})


def contract_triggers(contract_id: int) -> Triggers:
    """The contract's trigger plans and ticket types (cached per process)."""
    found = _cache.get(contract_id, lambda: _build(contract_id))
    assert found is not None
    return found


def forget_triggers(sender: Any = None, instance: Any = None, **kwargs: Any) -> None:
    """Receiver: a deliverable was written; its contract's triggers are read again."""
    _cache.expire(getattr(instance, "contract_id", None))


class _Owe:
    """The on-commit callback creating the submissions one event owes."""

    def __init__(self, deliverable_ids: tuple[int, ...], source: str,
                 occurred_at: datetime.datetime) -> None:
        self.deliverable_ids = deliverable_ids
        self.source = source
        self.occurred_at = occurred_at

    def __call__(self) -> None:
        from weibao.reports.models import Deliverable
        from weibao.reports.services.schedule import submission_for_event

        for deliverable in Deliverable.objects.filter(
                pk__in=self.deliverable_ids, active=True).select_related("contract"):
            try:
                submission_for_event(deliverable, self.source, self.occurred_at)
            except Exception:  # the event is committed; a failure here must not undo it
                logger.exception("report for %s under deliverable %s not created",
                                 self.source, deliverable.pk)


class _Plan:
    """The on-commit callback planning one contract; recognisable so it is registered once."""

    def __init__(self, contract_id: int) -> None:
        self.contract_id = contract_id

    def __call__(self) -> None:
        from weibao.reports.tasks import plan_contract

        plan_contract(self.contract_id)


def plan_on_commit(contract_id: int | None) -> None:
    """Enqueue the planning of the contract's submissions when the transaction commits."""
    if contract_id is None:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(isinstance(entry[1], _Plan) and entry[1].contract_id == contract_id
           for entry in pending):
        return
    transaction.on_commit(_Plan(contract_id))


def _deliverable_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_on_commit(instance.contract_id)


def _changed(update_fields: Any, name: str) -> bool:
    return update_fields is None or name in update_fields


def _visit_saved(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None,
                 **kwargs: Any) -> None:
    if raw or instance.status != VisitStatus.DONE or not _changed(update_fields, "status"):
        return
    deliverables = contract_triggers(instance.contract_id).plans.get(instance.plan_id)
    if deliverables:
        occurred_at = instance.completed_at or instance.updated_at
        transaction.on_commit(_Owe(deliverables, f"visit:{instance.pk}", occurred_at))


def _ticket_saved(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None,
                  **kwargs: Any) -> None:
    if raw or instance.restored_at is None or not _changed(update_fields, "restored_at"):
        return
    deliverables = contract_triggers(instance.contract_id).ticket_types.get(
        instance.ticket_type_id)
    if deliverables:
        transaction.on_commit(_Owe(deliverables, f"ticket:{instance.pk}", instance.restored_at))


def connect() -> None:
    """Called from ``ReportsConfig.ready``."""
    from weibao.maintenance.models import Visit
    from weibao.reports.models import Deliverable
    from weibao.tickets.models import Ticket

    post_save.connect(_visit_saved, sender=Visit, dispatch_uid="reports-visit-done")
    post_save.connect(_ticket_saved, sender=Ticket, dispatch_uid="reports-ticket-restored")
    expire_on_write(forget_triggers, Deliverable)
    post_save.connect(_deliverable_saved, sender=Deliverable, dispatch_uid="reports-plan")
