"""The SLA on every ticket (SLA-01..10): evaluate, store the stages, raise alerts once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from weibao.calendars.selectors import calendar_engine
from weibao.sla.choices import Attribute, StageStatus
from weibao.sla.evaluation import Evaluation, Pause, SlaError, evaluate
from weibao.sla.selectors import cached_contract_policy
from weibao.tickets.choices import AlertKind, ClaimStatus
from weibao.tickets.models import SlaAlert, Ticket, TicketEvent, TicketStage

__all__ = ["Assessment", "assess", "refresh_sla", "scan_alerts", "ticket_attributes",
           "ticket_pauses"]

# Worst first: the ticket's SLA status is its worst stage's.
_SEVERITY = [StageStatus.BREACHED, StageStatus.WARNING, StageStatus.PAUSED, StageStatus.RUNNING,
             StageStatus.MET, StageStatus.NOT_STARTED, StageStatus.NO_TARGET]


def ticket_attributes(ticket: Ticket, assets: list[Any] | None = None) -> dict[str, Any]:
    """What the contract's target rules select on, from the ticket. The asset type is the
    first asset's type code, its ancestors' codes and its category, so a rule may name any
    of them (``asset_type: line`` or ``asset_type: ups``). ``assets`` are the ticket's assets
    when the caller has them already (a ticket being created)."""
    attributes: dict[str, Any] = {
        Attribute.SCOPE: ticket.scope,
        Attribute.TICKET_TYPE: ticket.ticket_type.code,
        Attribute.PRIORITY: ticket.priority,
        Attribute.CHANNEL: ticket.channel,
        Attribute.ONSITE_REQUESTED: "true" if ticket.onsite_requested_at else "false",
    }
    if ticket.fault_level_override:
        attributes[Attribute.FAULT_LEVEL] = ticket.fault_level_override
    site = ticket.site
    if site is not None and site.area_class is not None:
        attributes[Attribute.AREA_CLASS] = site.area_class.code
    if assets is None:
        assets = list(ticket.assets.all()[:1]) if ticket.pk else []
    first_asset = assets[0] if assets else None
    if first_asset is not None:
        codes: list[str] = []
        node: Any = first_asset.asset_type
        while node is not None and len(codes) < 20:
            codes.append(node.code)
            node = node.parent
        attributes[Attribute.ASSET_TYPE] = (*codes, first_asset.asset_type.category)
    return attributes


def ticket_pauses(ticket: Ticket) -> list[Pause]:
    return [Pause(start=p.started_at, end=p.ended_at, state=p.state, reason=p.reason)
            for p in ticket.pauses.all()]


def progress_times(ticket: Ticket) -> list[datetime.datetime]:
    """The times of the ticket's progress updates as the clock counts them: a claimed time
    the purchaser has not confirmed counts from its entry."""
    if not ticket.pk:
        return []
    times = []
    for occurred, recorded, claim in (TicketEvent.objects
                                      .filter(ticket_id=ticket.pk, action="progress")
                                      .values_list("occurred_at", "recorded_at",
                                                   "claim_status")):
        pending = claim in (ClaimStatus.PENDING, ClaimStatus.REJECTED)
        times.append(recorded if pending else occurred)
    return sorted(times)


def _evaluate(ticket: Ticket, now: datetime.datetime, assets: list[Any] | None,
              pauses: list[Pause] | None) -> tuple[Evaluation | None, Any]:
    policy = cached_contract_policy(ticket.contract)
    if policy is None:
        return None, None
    # One evaluation asks for the same calendar once per stage; look it up once.
    engines: dict[str, Any] = {}

    def engine(code: str) -> Any:
        if code not in engines:
            engines[code] = calendar_engine(code)
        return engines[code]

    # Recurring stages (progress every 30 minutes) count the updates; read them only when the
    # contract has such a stage, so the usual evaluation costs no query more.
    updates = (progress_times(ticket) if any(stage.every for stage in policy.stages)
               else None)
    return evaluate(policy, attributes=ticket_attributes(ticket, assets),
                    events=ticket.event_times(),
                    pauses=ticket_pauses(ticket) if pauses is None else pauses,
                    now=now, engine=engine, updates=updates), policy


@dataclass
class Assessment:
    """An SLA evaluation of one ticket, ready to store: the stage rows (unsaved) and whether
    they replace the stored ones. The ticket's own SLA fields are already set in memory."""

    result: Evaluation | None
    stages: list[TicketStage]
    replace: bool


def assess(ticket: Ticket, now: datetime.datetime, *, assets: list[Any] | None = None,
           pauses: list[Pause] | None = None) -> Assessment:
    """Evaluate every stage of ``ticket`` (saved or not yet) and set its SLA fields in memory:
    status (its worst stage's), next due time, provisional flag, error and fault level.

    Evaluation errors (a calendar year not entered, two rules matching) are kept on the
    ticket and shown, never guessed around."""
    policy: Any = None
    try:
        result, policy = _evaluate(ticket, now, assets, pauses)
        error = ""
    except SlaError as exc:
        result, error = None, str(exc)[:300]
    rows = []
    if result is not None:
        for order, stage in enumerate(result.stages, start=1):
            target = stage.target
            paused = stage.status == StageStatus.PAUSED
            # SLA-05: a KPI target's miss counts toward the period's rate, it is no breach.
            counts_breach = target.is_breach if target else True
            rows.append(TicketStage(
                ticket=ticket, order=order, code=stage.stage.code, name=stage.stage.name,
                status=stage.status,
                target=f"{target.describe_within()} ({target.calendar})" if target else "",
                started_at=stage.started_at, stopped_at=stage.stopped_at,
                due_at=None if paused else stage.due_at,
                warn_at=None if paused else stage.warn_at,
                used=float(stage.used) if stage.used is not None else None,
                left=float(stage.left) if stage.left is not None else None,
                unit=stage.unit, share=stage.used_share, provisional=stage.provisional,
                target_index=target.index if target else None,
                recurring=stage.stage.every, counts_breach=counts_breach, missed=stage.missed,
                missed_due=[due.isoformat() for due in stage.missed_due],
                penalty_percent=_penalty(target, policy) if counts_breach else None,
                explanation=stage.explanation))
    statuses = {row.status for row in rows}
    ticket.sla_status = next((s for s in _SEVERITY if s in statuses), StageStatus.NOT_STARTED)
    # Still-open clocks, overdue ones included: lists sort what is due (or late) first.
    running = [row.due_at for row in rows if row.due_at is not None
               and row.stopped_at is None
               and row.status in (StageStatus.RUNNING, StageStatus.WARNING,
                                  StageStatus.BREACHED)]
    ticket.next_due_at = min(running) if running else None
    ticket.sla_provisional = bool(result and result.provisional)
    ticket.sla_error = error
    if result is not None and result.level is not None:
        ticket.fault_level = result.level.code
    return Assessment(result=result, stages=rows, replace=bool(error) or result is not None)


def refresh_sla(ticket: Ticket, now: datetime.datetime | None = None) -> Evaluation | None:
    """Re-evaluate every stage of a stored ticket and store the result (run on every
    event)."""
    assessment = assess(ticket, now or timezone.now())
    with transaction.atomic():
        if assessment.replace:
            TicketStage.objects.filter(ticket=ticket).delete()
            TicketStage.objects.bulk_create(assessment.stages)
        Ticket.objects.filter(pk=ticket.pk).update(
            sla_status=ticket.sla_status, next_due_at=ticket.next_due_at,
            sla_provisional=ticket.sla_provisional, sla_error=ticket.sla_error,
            fault_level=ticket.fault_level)
        if assessment.replace:
            ticket.remember_stages(assessment.stages)
    return assessment.result


def _penalty(target: Any, policy: Any) -> Decimal | None:
    """The cost of breaching this stage: the target's own, else the policy's default."""
    if target is None:
        return None
    if target.penalty_percent is not None:
        return Decimal(target.penalty_percent)
    return policy.penalty_percent if policy is not None else None


def scan_alerts(now: datetime.datetime | None = None) -> tuple[int, int]:
    """SLA-10: record a warning for every running stage past its warning time and a breach for
    every stage past its due time, exactly once each: the state lives in the database (a
    restarted worker carries on) and a unique constraint stops two workers from recording one
    twice. Pure SQL over the stored due times; only tickets whose recurring obligation
    (progress every 30 minutes) is overdue are evaluated again, to count the missed intervals.

    A stage under a KPI target (SLA-05, ``counts_breach`` false) gets its warning and its late
    status but no breach: it counts toward the period's rate (``selectors.kpi_attainment``).
    A recurring stage gets one breach per missed interval (``occurrence`` 1, 2, …).
    Returns how many (warnings, breaches) were found new."""
    now = now or timezone.now()
    counts = []
    single = Q(recurring=False)
    for kind, time_field, new_status in (
        (AlertKind.WARNING, "warn_at", StageStatus.WARNING),
        (AlertKind.BREACH, "due_at", StageStatus.BREACHED),
    ):
        recorded = SlaAlert.objects.filter(ticket_id=OuterRef("ticket_id"),
                                           stage=OuterRef("code"), kind=kind, occurrence=0)
        late = Q(status__in=[StageStatus.RUNNING, StageStatus.WARNING],
                 **{f"{time_field}__lte": now})
        if kind == AlertKind.BREACH:
            # A clock that stopped late (a step entered after the fact) is breached already.
            late |= Q(status=StageStatus.BREACHED, due_at__isnull=False)
            # KPI stages: late, never a breach of their own.
            _upgrade(list(TicketStage.objects.filter(
                single, counts_breach=False, status__in=[StageStatus.RUNNING,
                                                         StageStatus.WARNING],
                due_at__lte=now).values_list("pk", "ticket_id")), kind, new_status)
        with transaction.atomic():
            rows = list(
                TicketStage.objects
                .filter(late, single, **({"counts_breach": True}
                                         if kind == AlertKind.BREACH else {}))
                .exclude(Exists(recorded))
                .values_list("pk", "ticket_id", "ticket__contract_id", "code", time_field,
                             "penalty_percent"))
            SlaAlert.objects.bulk_create(
                [SlaAlert(ticket_id=ticket, contract_id=contract, stage=code, kind=kind, at=at,
                          penalty_percent=percent)
                 for _pk, ticket, contract, code, at, percent in rows],
                ignore_conflicts=True, batch_size=2000)
            _upgrade([(row[0], row[1]) for row in rows], kind, new_status)
            counts.append(len(rows))
    return counts[0], counts[1] + _scan_missed_updates(now)


def _upgrade(stages: list[tuple[int, int]], kind: str, new_status: str) -> None:
    """Raise the found stages' status (and their tickets') to the alert's."""
    ids = [stage for stage, _ticket in stages]
    tickets = sorted({ticket for _stage, ticket in stages})
    # A breach is final for the stage; a warning only upgrades a running one.
    worse_than = ([StageStatus.RUNNING, StageStatus.WARNING]
                  if kind == AlertKind.BREACH else [StageStatus.RUNNING])
    ticket_from = [*worse_than, StageStatus.NOT_STARTED, StageStatus.MET,
                   StageStatus.PAUSED, StageStatus.NO_TARGET]
    for chunk in _chunks(ids):
        TicketStage.objects.filter(pk__in=chunk, status__in=worse_than).update(
            status=new_status)
    for chunk in _chunks(tickets):
        Ticket.objects.filter(pk__in=chunk, sla_status__in=ticket_from).update(
            sla_status=new_status)


def _scan_missed_updates(now: datetime.datetime) -> int:
    """A recurring stage (处理期间每 30 分钟通报一次进展): evaluate again the tickets whose next
    update is overdue, then record one breach per missed interval not recorded yet."""
    overdue = (TicketStage.objects.filter(recurring=True, stopped_at__isnull=True,
                                          due_at__lte=now)
               .values_list("ticket_id", flat=True).distinct())
    for ticket in Ticket.objects.filter(pk__in=list(overdue)).select_related(
            "contract", "ticket_type", "site"):
        refresh_sla(ticket, now)
    newest = SlaAlert.objects.filter(ticket_id=OuterRef("ticket_id"), stage=OuterRef("code"),
                                     kind=AlertKind.BREACH, occurrence=OuterRef("missed"))
    found = 0
    with transaction.atomic():
        rows = list(TicketStage.objects.filter(recurring=True, counts_breach=True,
                                               missed__gt=0)
                    .exclude(Exists(newest))
                    .values_list("pk", "ticket_id", "ticket__contract_id", "code", "missed",
                                 "missed_due", "due_at", "penalty_percent"))
        have = set(SlaAlert.objects.filter(
            ticket_id__in=[row[1] for row in rows], kind=AlertKind.BREACH, occurrence__gt=0)
            .values_list("ticket_id", "stage", "occurrence"))
        alerts = []
        for _pk, ticket_id, contract, code, missed, missed_due, due, percent in rows:
            for occurrence in range(1, missed + 1):
                if (ticket_id, code, occurrence) in have:
                    continue
                at = (datetime.datetime.fromisoformat(missed_due[occurrence - 1])
                      if occurrence <= len(missed_due) else due or now)
                alerts.append(SlaAlert(ticket_id=ticket_id, contract_id=contract, stage=code,
                                       kind=AlertKind.BREACH, occurrence=occurrence, at=at,
                                       penalty_percent=percent))
        SlaAlert.objects.bulk_create(alerts, ignore_conflicts=True, batch_size=2000)
        found = len(alerts)
    return found


def _chunks(ids: list[int], size: int = 2000) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
