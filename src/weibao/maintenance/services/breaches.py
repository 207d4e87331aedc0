"""Closing visit windows (PM-09, 未按约检查): a visit still open when its window ends is
missed; when its plan says so the miss is a breach, recorded on the visit once, with the
plan's penalty at that time.

Like the SLA alerts (``tickets.services.sla.scan_alerts``) the state lives in the database
and every change is a conditional UPDATE, so a restarted worker carries on and two workers
running at once record each breach exactly once. The breach is dated when it happened (the
window's end), as an SLA breach is dated at its due time; the assessment reads
``breach_recorded_at``/``penalty_percent`` of missed visits beside the SLA alerts. A missed
visit may still be done later (it is then ``late``); its breach stays recorded.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import OPEN_STATES, MaintenancePlan, Visit

__all__ = ["close_windows"]


def close_windows(now: datetime.datetime | None = None) -> int:
    """Mark every open visit whose window ended by ``now`` as missed, recording a breach
    (``breach_recorded_at`` = the window's end, ``penalty_percent`` = the plan's) when its
    plan counts a missed visit as a breach. Returns how many visits were newly missed."""
    now = now or timezone.now()
    ended = Visit.objects.filter(status__in=OPEN_STATES, window_end__lte=now)
    penalty = Subquery(MaintenancePlan.objects.filter(pk=OuterRef("plan_id"))
                       .values("penalty_percent")[:1])
    with transaction.atomic():
        # Breaches first, while the visits are still open: the status condition makes the
        # second of two concurrent runs find nothing.
        # No join (plan_id IN a subquery): the UPDATE keeps its own WHERE on the visit rows,
        # which PostgreSQL checks again on a row another run has just changed.
        breached = ended.filter(
            plan_id__in=MaintenancePlan.objects.filter(missed_is_breach=True).values("pk"),
            breach_recorded_at__isnull=True).update(
            status=VisitStatus.MISSED, breach_recorded_at=F("window_end"),
            penalty_percent=penalty, version=F("version") + 1, updated_at=now)
        missed = ended.update(status=VisitStatus.MISSED, version=F("version") + 1,
                              updated_at=now)
    return breached + missed
