"""Submissions owed under deliverables (RPT-01..06): creating them ahead of their due time,
creating an event's when the event happens, recording a breach for a late or missing one,
and recording reminders before the due day.

Creation is idempotent: a submission's ``key`` (the period's ``2025-10``, the event's
``visit:12``, or ``contract-end``) is unique per deliverable and rows are inserted with
``bulk_create(ignore_conflicts=True)``, so running the planner twice, or an event hook firing
twice, creates each submission once. Planning starts at ``since`` (by default a week before
today, so a worker that was stopped for a few days catches up): obligations due earlier are
not created retroactively, as maintenance does not create past visits; the demo passes an
earlier ``since`` to fill the history. In a run for the current day (no ``today`` given) a
deliverable's submissions due before the day it was recorded are not created either, so
importing a contract in the middle of its term owes no report (and no breach) for the days
before weibao knew of it.

Like maintenance's ``close_windows``, the breach and reminder state lives in the database and
every change is a conditional UPDATE on rows locked with ``SKIP LOCKED``, so a restarted
worker carries on and two workers running at once record each breach and each reminder
exactly once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from weibao.contracts.choices import ContractStatus
from weibao.contracts.models import Contract
from weibao.maintenance.schedule import WorkingDays, contract_working_days, day_bounds, local_zone
from weibao.notifications import publishers as notify
from weibao.reports.choices import (
    Cadence,
    DelayUnit,
    SubmissionAction,
    SubmissionStatus,
    TriggerKind,
)
from weibao.reports.models import Deliverable, Submission, SubmissionEvent
from weibao.reports.schedule import (
    CONTRACT_END_KEY,
    PERIODIC,
    contract_end_due,
    event_due,
    periods,
    remind_day,
)

__all__ = ["LIVE_CONTRACTS", "OPEN_STATES", "PlanResult", "close_deadlines",
           "plan_submissions", "send_reminders", "submission_for_event"]

#: Contracts whose deliverables are owed: in force, or being prepared (a draft, like the
#: synthetic seed 002), as for maintenance visits.
LIVE_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.DRAFT)
#: Submissions not yet handed in.
OPEN_STATES = (SubmissionStatus.PENDING, SubmissionStatus.DRAFT)
#: How far before today planning starts by default (days).
_GRACE_DAYS = 7
#: A yearly report may fall due this long after the contract ended (days).
_LATEST_AFTER_END = 400
_CHUNK = 500


@dataclass
class PlanResult:
    """What one planning run did: submissions created, already there, contracts looked at."""

    created: int = 0
    existing: int = 0
    contracts: int = 0


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def _reach(deliverable: Deliverable) -> int:
    """Days by which a due time may follow the end of the period it covers, plus margin."""
    if deliverable.cadence == Cadence.WEEKLY:
        return 14
    if deliverable.cadence == Cadence.MONTHLY:
        return 62
    amount = deliverable.due_after_amount or 0
    return amount * (3 if deliverable.due_after_unit == DelayUnit.WORKING_DAYS else 1) + 15


def _wanted(contract: Contract, deliverables: Sequence[Deliverable], since: datetime.date,
            until: datetime.date, *, from_recording: bool = False) -> list[Submission]:
    """The submissions of ``contract`` due from the start of ``since`` to the end of
    ``until`` (and, with ``from_recording``, from the day each deliverable was recorded)."""
    start, high = day_bounds(since)[0], day_bounds(until)[1]
    service = (contract.start_date, contract.end_date)
    working_days: WorkingDays | None = None
    if any(d.due_after_unit == DelayUnit.WORKING_DAYS and d.due_after_amount
           for d in deliverables):
        working_days = contract_working_days(contract)
    wanted: list[Submission] = []
    for deliverable in deliverables:
        deliverable.contract = contract
        low = start
        if from_recording and deliverable.created_at is not None:
            low = max(low, day_bounds(deliverable.created_at.astimezone(local_zone()).date())[0])
        if deliverable.cadence in PERIODIC:
            scan_from = since - datetime.timedelta(days=_reach(deliverable))
            for period, due_at in periods(deliverable, scan_from, until,
                                          working_days=working_days, service=service):
                if low <= due_at <= high:
                    wanted.append(Submission(
                        contract=contract, deliverable=deliverable, key=period.key,
                        period_start=period.start, period_end=period.end, due_at=due_at))
        elif deliverable.trigger == TriggerKind.CONTRACT_END:
            due_at = contract_end_due(deliverable, working_days=working_days)
            if low <= due_at <= high:
                wanted.append(Submission(
                    contract=contract, deliverable=deliverable, key=CONTRACT_END_KEY,
                    trigger_source=CONTRACT_END_KEY, period_start=contract.start_date,
                    period_end=contract.end_date, due_at=due_at))
    return wanted


def _plan_contract(contract: Contract, deliverables: Sequence[Deliverable],
                   since: datetime.date, until: datetime.date, from_recording: bool
                   ) -> PlanResult:
    result = PlanResult(contracts=1)
    wanted = _wanted(contract, deliverables, since, until, from_recording=from_recording)
    if not wanted:
        return result
    with transaction.atomic():
        # One planning per contract at a time; FOR NO KEY UPDATE lets other transactions keep
        # inserting rows that reference the contract meanwhile.
        list(Contract.objects.select_for_update(no_key=True).filter(pk=contract.pk)
             .values_list("pk"))
        existing = set(Submission.objects.filter(
            deliverable_id__in=[d.pk for d in deliverables],
            key__in={s.key for s in wanted}).values_list("deliverable_id", "key"))
        missing = [s for s in wanted if (s.deliverable_id, s.key) not in existing]
        for chunk in _chunks(missing):
            Submission.objects.bulk_create(chunk, ignore_conflicts=True)
    result.created, result.existing = len(missing), len(wanted) - len(missing)
    return result


def plan_submissions(contract: Contract | None = None, *, today: datetime.date | None = None,
                     horizon_days: int | None = None, since: datetime.date | None = None
                     ) -> PlanResult:
    """Create the missing submissions of every active deliverable of every live contract (or
    of ``contract``) whose due time falls from the start of ``since`` (default: a week before
    ``today``; in a run for the current day not before the day the deliverable was recorded)
    to the end of ``today + horizon_days`` (``WEIBAO_REPORT_HORIZON_DAYS``): the periods of
    periodic deliverables and the contract-end report. Event-driven reports are
    created by :func:`submission_for_event`. Running it again creates nothing new. Queries
    per contract are constant (one transaction each), never per submission."""
    from_recording = today is None and since is None
    today = today or timezone.localdate()
    horizon = settings.WEIBAO_REPORT_HORIZON_DAYS if horizon_days is None else horizon_days
    until = today + datetime.timedelta(days=horizon)
    since = since or today - datetime.timedelta(days=_GRACE_DAYS)
    if contract is not None:
        contracts = [contract]
    else:
        contracts = list(Contract.objects.filter(
            status__in=LIVE_CONTRACTS, start_date__lte=until,
            end_date__gte=since - datetime.timedelta(days=_LATEST_AFTER_END)))
    by_contract: dict[int, list[Deliverable]] = defaultdict(list)
    for deliverable in (Deliverable.objects.filter(contract_id__in=[c.pk for c in contracts],
                                                   active=True)
                        .filter(Q(cadence__in=PERIODIC) | Q(trigger=TriggerKind.CONTRACT_END))
                        .order_by("contract_id", "order", "code")):
        by_contract[deliverable.contract_id].append(deliverable)
    result = PlanResult()
    for each in contracts:
        if each.pk in by_contract:
            done = _plan_contract(each, by_contract[each.pk], since, until, from_recording)
            result.created += done.created
            result.existing += done.existing
        result.contracts += 1
    return result


def submission_for_event(deliverable: Deliverable, source: str,
                         occurred_at: datetime.datetime) -> Submission:
    """The submission an event owes (RPT-05, RPT-06): a visit of the deliverable's plan done
    (``source`` ``visit:12``), a ticket of its type restored (``ticket:34``) or the end of the
    service period (``contract-end``, due counted from the period's last day, whatever
    ``occurred_at``). Due ``due_after_amount`` working or calendar days after the event; it
    covers the event's day (the whole service period for the contract end). Created once
    per source: a second call answers the existing submission unchanged."""
    contract = deliverable.contract
    if source == CONTRACT_END_KEY:
        first, last = contract.start_date, contract.end_date
        due_at = contract_end_due(deliverable)
    else:
        first = last = occurred_at.astimezone(local_zone()).date()
        due_at = event_due(deliverable, occurred_at)
    with transaction.atomic():
        Submission.objects.bulk_create([Submission(
            contract_id=deliverable.contract_id, deliverable=deliverable, key=source,
            trigger_source=source, period_start=first, period_end=last,
            due_at=due_at)], ignore_conflicts=True)
        return Submission.objects.get(deliverable=deliverable, key=source)


def _lock(queryset: Any) -> list[int]:
    """Lock the rows of ``queryset`` another worker is not handling and answer their ids."""
    return list(queryset.select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True))


def close_deadlines(now: datetime.datetime | None = None) -> int:
    """Record the breach of every submission of a deliverable that counts a late or missing
    report as a breach (``late_is_breach``) and that was not submitted by its due time —
    still not submitted at ``now``, or first submitted after the due time (``late``, set by
    ``workflow.submit``): ``breach_recorded_at`` = the due time, ``penalty_percent`` = the
    deliverable's at this moment, and a ``breach`` event. Each breach is recorded once; a
    submission handed in later keeps its breach. Returns how many breaches were recorded."""
    now = now or timezone.now()
    candidates = Submission.objects.filter(
        Q(submitted_at__isnull=True) | Q(late=True),
        due_at__lte=now, breach_recorded_at__isnull=True,
        deliverable_id__in=Deliverable.objects.filter(late_is_breach=True).values("pk"))
    penalty = Subquery(Deliverable.objects.filter(pk=OuterRef("deliverable_id"))
                       .values("penalty_percent")[:1])
    recorded = 0
    with transaction.atomic():
        ids = _lock(candidates)
        for chunk in _chunks(ids):
            # The conditions again: a row changed since it was read is left alone.
            Submission.objects.filter(pk__in=chunk, breach_recorded_at__isnull=True).update(
                breach_recorded_at=F("due_at"), penalty_percent=penalty,
                version=F("version") + 1, updated_at=now)
            rows = list(Submission.objects.filter(pk__in=chunk).values_list(
                "pk", "due_at", "penalty_percent", "submitted_at"))
            SubmissionEvent.objects.bulk_create([SubmissionEvent(
                submission_id=pk, action=SubmissionAction.BREACH, occurred_at=due_at,
                data={"penalty_percent": None if percent is None else str(percent),
                      "missing": submitted_at is None})
                for pk, due_at, percent, submitted_at in rows])
            recorded += len(rows)
            notify.deliverables_late([row[0] for row in rows])  # after commit
    return recorded


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Record a ``remind`` event, once per submission, for each submission not yet handed in
    whose reminder day has come: ``WEIBAO_REPORT_REMINDER_WORKING_DAYS`` working days (of
    the contract's calendar) before its last day, from the start of that day until the due
    time; the reminder reaches the vendor's managers after commit (weibao.notifications).
    Returns how many reminders were recorded."""
    now = now or timezone.now()
    amount = settings.WEIBAO_REPORT_REMINDER_WORKING_DAYS
    today = now.astimezone(local_zone()).date()
    # N working days are at most ~3N calendar days plus the longest holiday.
    reach = day_bounds(today + datetime.timedelta(days=3 * amount + 15))[1]
    candidates = list(Submission.objects.filter(
        status__in=OPEN_STATES, submitted_at__isnull=True, reminded_at__isnull=True,
        due_at__gt=now, due_at__lte=reach).select_related("contract")
        .only("pk", "due_at", "contract"))
    calendars: dict[int, WorkingDays] = {}
    due_now: list[int] = []
    for submission in candidates:
        working_days = calendars.get(submission.contract_id)
        if working_days is None:
            working_days = calendars[submission.contract_id] = contract_working_days(
                submission.contract)
        if remind_day(submission.due_at, amount, working_days) <= today:
            due_now.append(submission.pk)
    recorded = 0
    with transaction.atomic():
        ids = _lock(Submission.objects.filter(pk__in=due_now, reminded_at__isnull=True))
        for chunk in _chunks(ids):
            recorded += Submission.objects.filter(
                pk__in=chunk, reminded_at__isnull=True).update(reminded_at=now)
            SubmissionEvent.objects.bulk_create([SubmissionEvent(
                submission_id=pk, action=SubmissionAction.REMIND, occurred_at=now,
                data={"due_at": due_at.isoformat()})
                for pk, due_at in Submission.objects.filter(pk__in=chunk)
                .values_list("pk", "due_at")])
            notify.deliverables_due(list(chunk))  # after commit; one event per submission
    return recorded
