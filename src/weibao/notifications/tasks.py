"""Background tasks of the notifications domain (run by the huey worker)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from weibao.notifications.delivery import (
    deliver,
    deliver_many,
    due_deliveries,
    release_stale_leases,
)
from weibao.notifications.events import Event
from weibao.notifications.services import fan_out
from weibao.notifications.sources import (
    certificates_sweep,
    digests_sweep,
    escalations_sweep,
    sla_alerts_sweep,
)

__all__ = ["deliver_batch", "deliver_one", "enqueue_deliveries", "fan_out_events",
           "notifications_certificates", "notifications_digests", "notifications_send_due",
           "notifications_sla"]


@db_task()
def fan_out_events(payload: list[dict[str, Any]]) -> int:
    """Events raised after a commit: their notifications and deliveries, then the sending."""
    result = fan_out([Event.from_dict(item) for item in payload])
    enqueue_deliveries(result.due)
    return result.notifications


#: Deliveries per worker task: few enough that the workers share a large fan-out, enough
#: that 30,000 deliveries are hundreds of queued tasks, not tens of thousands.
BATCH = 50


def enqueue_deliveries(pks: list[int]) -> None:
    for start in range(0, len(pks), BATCH):
        deliver_batch(pks[start:start + BATCH])


@db_task()
def deliver_batch(pks: list[int]) -> dict[str, int]:
    return deliver_many(pks)


@db_task()
def deliver_one(pk: int) -> str:
    return deliver(pk)


@db_periodic_task(crontab(minute="*"))
def notifications_send_due() -> None:
    """Every minute: retries whose back-off has passed, messages held by quiet hours or the
    rate limit, and deliveries of a worker that stopped while sending."""
    release_stale_leases()
    enqueue_deliveries(due_deliveries())


@db_periodic_task(crontab(minute="*"))
def notifications_sla() -> None:
    """Every minute: the SLA warnings and breaches the ticket scan recorded (SLA-10), and the
    escalation steps of tickets nobody has acknowledged."""
    sla_alerts_sweep()
    escalations_sweep()


@db_periodic_task(crontab(minute="0"))
def notifications_digests() -> None:
    """Every hour on the hour: the daily digests of the people who chose this hour."""
    digests_sweep()


@db_periodic_task(crontab(hour="8", minute="5"))
def notifications_certificates() -> None:
    """Every morning: certificates expiring within 30 days (STF-02)."""
    certificates_sweep()
