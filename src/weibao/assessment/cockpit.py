"""The contract cockpit (合同驾驶舱): one page of figures per contract — SLA attainment, open
tickets by level, inspection coverage, deliverables due, breaches and penalties so far, the
termination right, the projected result "if the period ended today" and monthly trends.

Every figure is aggregated in the database with a fixed number of queries whatever the
contract's size (GROUP BY, conditional counts). :func:`cockpit` caches the whole result in the
Django cache (Redis when ``REDIS_URL`` is set) under the contract, the day and a generation
counter; saving a breach, an assessment or its line, the scheme or a report owed of the
contract bumps the generation (:func:`invalidate`); the entry expires after
:data:`CACHE_SECONDS`, which bounds how late new tickets and visits show.

The projection uses the scheme (``weibao.assessment.scoring``) over the metrics of the
period from the contract's start to today (``weibao.assessment.metrics.measure_all``) and the
manual entries of the latest draft assessment. An item nobody has entered yet is not
invented: the projection is then a range, from every missing item at its worst to every
missing item at its best.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone

from weibao.assessment.choices import AssessmentStatus, BreachStatus, Method, Metric, Scoring
from weibao.assessment.models import Assessment, AssessmentScheme, Breach
from weibao.contracts.models import Contract
from weibao.utils.money import share_of

__all__ = ["CACHE_SECONDS", "Cockpit", "Projection", "cache_key", "cockpit", "compute",
           "connect_signals", "invalidate", "period_of"]

#: How long cached figures live at most (seconds); changes through the models expire them
#: at once.
CACHE_SECONDS = 15 * 60
#: Breach statuses that count and cost (a waived breach stays in the ledger only).
COUNTING = (BreachStatus.RECORDED, BreachStatus.DISPUTED, BreachStatus.CONFIRMED)
#: Deliverables listed as due: still owed, the earliest first.
DUE_LIMIT = 8
_NONE = "—"


@dataclass
class Projection:
    """The result if the period ended today. ``low``/``high`` are equal when every item is
    known; otherwise ``pending`` names the items still to be entered and the result is the
    range between their worst and best outcomes."""

    method: str
    score_low: Decimal | None = None
    score_high: Decimal | None = None
    met_low: int | None = None
    met_high: int | None = None
    rating_low: str = ""
    rating_high: str = ""
    factor_low: Decimal | None = None
    factor_high: Decimal | None = None
    pending: list[str] = field(default_factory=list)
    draft_id: int | None = None

    @property
    def exact(self) -> bool:
        return not self.pending


@dataclass
class Cockpit:
    """The cockpit's figures for one contract on one day (picklable, so it can be cached)."""

    contract_id: int
    day: datetime.date
    start: datetime.date
    end: datetime.date
    computed_at: datetime.datetime
    sla: dict[str, Any]
    open_tickets: dict[str, int]
    coverage: dict[str, Any]
    deliverables: dict[str, Any]
    breaches: dict[str, Any]
    projection: Projection | None
    settlement: dict[str, Any]
    trends: dict[str, Any]


# --- the period ------------------------------------------------------------------------------

def period_of(contract: Contract, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The contract's service period up to ``day`` (the whole period once it is over)."""
    end = min(max(day, contract.start_date), contract.end_date)
    return contract.start_date, end


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime,
                                                                   datetime.datetime]:
    """``[start 00:00, end+1 00:00)`` in Beijing time."""
    tz = timezone.get_default_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=tz))


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


# --- figures ---------------------------------------------------------------------------------

def _month_edges(start: datetime.date, end: datetime.date) -> list[tuple[datetime.datetime,
                                                                         datetime.datetime]]:
    """Each month of the period as ``[since, until)`` in Beijing time, clipped to it."""
    since, until = _bounds(start, end)
    firsts = [_bounds(m, m)[0] for m in _months(start, end)]
    return [(max(first, since), min(nxt, until))
            for first, nxt in zip(firsts, [*firsts[1:], until], strict=True)]


def _sla(contract: Contract, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The SLA stages of the tickets reported in the period (as the assessment's metrics
    choose them) that are decided: met ÷ (met + breached), per stage, in all and by the
    tickets' month. One query: a conditional count per month (on a large contract cheaper
    than truncating every row's time to its month)."""
    from weibao.tickets.models import TicketStage

    since, until = _bounds(start, end)
    months = _month_edges(start, end)
    counts: dict[str, Any] = {}
    for i, (first, last) in enumerate(months):
        month = Q(ticket__reported_at__gte=first, ticket__reported_at__lt=last)
        counts[f"met_{i}"] = Count("pk", filter=month & Q(status="met"))
        counts[f"breached_{i}"] = Count("pk", filter=month & Q(status="breached"))
    grouped = (TicketStage.objects
               .filter(ticket__contract=contract, ticket__reported_at__gte=since,
                       ticket__reported_at__lt=until, status__in=("met", "breached"))
               .values("code", "name").order_by().annotate(**counts))
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]
    stages = []
    for r in rows:
        met = sum(r[f"met_{i}"] for i in range(len(months)))
        breached = sum(r[f"breached_{i}"] for i in range(len(months)))
        stages.append({"code": r["code"], "name": r["name"], "met": met, "breached": breached,
                       "attainment": _percent(met, met + breached)})
    stages.sort(key=lambda r: (r["code"], r["name"]))
    met = sum(r["met"] for r in stages)
    breached = sum(r["breached"] for r in stages)
    monthly = []
    for i in range(len(months)):
        month_met = sum(r[f"met_{i}"] for r in rows)
        monthly.append(_percent(month_met,
                                month_met + sum(r[f"breached_{i}"] for r in rows)))
    return {"met": met, "breached": breached, "attainment": _percent(met, met + breached),
            "stages": stages, "monthly": monthly}


def _open_tickets(contract: Contract) -> dict[str, int]:
    """Tickets not closed, by fault level (the override when one is set)."""
    from weibao.tickets.choices import TicketState
    from weibao.tickets.models import Ticket

    level = Coalesce(NullIf("fault_level_override", Value("")), NullIf("fault_level",
                                                                        Value("")))
    rows = (Ticket.objects.filter(contract=contract).exclude(state=TicketState.CLOSED)
            .annotate(level=level).values("level").order_by().annotate(n=Count("pk")))
    out = {str(r["level"] or _NONE): r["n"] for r in rows}
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _coverage(contract: Contract, since: datetime.datetime,
              until: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.selectors import coverage

    total = coverage(contract, since, until, by="plan").total
    return {"due": total.due, "on_time": total.done_on_time, "late": total.late,
            "missed": total.missed, "open": total.open,
            "rate": round(total.rate * 100, 2) if total.rate is not None else None}


def _deliverables(contract: Contract, now: datetime.datetime) -> dict[str, Any]:
    """Reports still owed (not started, draft, returned): how many, how many overdue, and the
    earliest few."""
    from weibao.reports.choices import SubmissionStatus
    from weibao.reports.models import Submission

    owed = Submission.objects.filter(contract=contract, status__in=(
        SubmissionStatus.PENDING, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED))
    counts = owed.aggregate(owed=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    rows = [{"id": s["pk"], "name": s["deliverable__name"], "start": s["period_start"],
             "end": s["period_end"], "due_at": s["due_at"], "status": s["status"],
             "overdue": s["due_at"] < now}
            for s in owed.order_by("due_at", "pk")
            .values("pk", "deliverable__name", "period_start", "period_end", "due_at",
                    "status")[:DUE_LIMIT]]
    return {**counts, "rows": rows}


def _breaches(contract: Contract, start: datetime.date,
              end: datetime.date) -> dict[str, Any]:
    """The ledger in the period (``services.ledger.ledger_summary``: the counting breaches,
    their penalties, the waived ones, the termination right of ASM-03) and the counting
    breaches by source."""
    from weibao.assessment.services.ledger import COUNTING, ledger_summary, period_bounds

    summary = ledger_summary(contract, start, end)
    since, until = period_bounds(start, end)
    rows = (Breach.objects.filter(contract=contract, occurred_at__gte=since,
                                  occurred_at__lt=until)
            .values("source", "status").order_by().annotate(n=Count("pk")))
    by_source: dict[str, int] = {}
    disputed = 0
    for r in rows:
        if r["status"] in COUNTING:
            by_source[r["source"]] = by_source.get(r["source"], 0) + r["n"]
        if r["status"] == BreachStatus.DISPUTED:
            disputed += r["n"]
    return {"count": summary.count, "penalties": summary.penalties, "waived": summary.waived,
            "disputed": disputed, "by_source": by_source,
            "termination_at": summary.termination_breaches,
            "termination_right": summary.termination_right,
            "termination_penalty": summary.termination_penalty}


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _by_month(queryset: Any, column: str, **aggregates: Any) -> dict[datetime.date,
                                                                       dict[str, int]]:
    tz = timezone.get_default_timezone()
    rows = (queryset.annotate(month=TruncMonth(column, tzinfo=tz)).values("month").order_by()
            .annotate(**aggregates))
    out = {}
    for row in rows:
        month = row.pop("month")
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month, tz).date() if timezone.is_aware(month) \
                else month.date()
        out[month] = row
    return out


def _trends(contract: Contract, start: datetime.date, end: datetime.date,
            sla_by_month: list[float | None]) -> dict[str, Any]:
    """Monthly series over the period: tickets reported, SLA attainment of the month's
    tickets (from :func:`_sla`), inspection coverage (visits due in the month done on time)
    and counting breaches. Three queries."""
    from weibao.maintenance.choices import VisitStatus
    from weibao.maintenance.models import Visit
    from weibao.tickets.models import Ticket

    since, until = _bounds(start, end)
    edges = _month_edges(start, end)
    tickets = Ticket.objects.filter(contract=contract, reported_at__gte=since,
                                    reported_at__lt=until).aggregate(**{
                                        f"n_{i}": Count("pk", filter=Q(reported_at__gte=first,
                                                                       reported_at__lt=last))
                                        for i, (first, last) in enumerate(edges)})
    visits = _by_month(Visit.objects.filter(contract=contract, window_end__gt=since,
                                            window_end__lte=until)
                       .exclude(status=VisitStatus.CANCELLED),
                       "window_end", due=Count("pk"),
                       on_time=Count("pk", filter=Q(status=VisitStatus.DONE, late=False)))
    breaches = _by_month(Breach.objects.filter(contract=contract, status__in=COUNTING,
                                               occurred_at__gte=since, occurred_at__lt=until),
                         "occurred_at", n=Count("pk"))
    months = _months(start, end)
    empty: dict[str, int] = {}
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "tickets": [tickets[f"n_{i}"] for i in range(len(months))],
        "sla": sla_by_month,
        "coverage": [_percent(visits.get(m, empty).get("on_time", 0),
                              visits.get(m, empty).get("due", 0)) for m in months],
        "breaches": [breaches.get(m, empty).get("n", 0) for m in months],
    }


# --- projection ------------------------------------------------------------------------------

def _latest_draft(contract: Contract) -> Assessment | None:
    return (Assessment.objects.filter(contract=contract).exclude(status=AssessmentStatus.FINAL)
            .order_by("-period_end", "-pk").first())


def _projection(contract: Contract, scheme: AssessmentScheme, start: datetime.date,
                end: datetime.date) -> Projection:
    """The scheme's result over ``start..end``: the computed items from the records, the
    manual ones (and any decision) from the latest draft; an item still unknown widens the
    result into a range (0 or all its points; not met or met) instead of being guessed."""
    from weibao.assessment.metrics import measure_all
    from weibao.assessment.scoring import criterion_met, item_points, rating_for
    from weibao.contracts.selectors import factor_for

    draft = _latest_draft(contract)
    lines = {line.item_id: line for line in draft.lines.all()} if draft else {}
    measured = measure_all(scheme, start, end)
    result = Projection(method=scheme.method, draft_id=draft.pk if draft else None)
    if scheme.method == Method.LEDGER:
        result.factor_low = result.factor_high = Decimal(100)
        return result
    low_score = high_score = Decimal(0)
    low_met = high_met = 0
    for item in scheme.items.all():
        line = lines.get(item.pk)
        entered = bool(line and (line.entered_by_id or line.decided_by_id))
        found = measured.get(item.pk)
        value = (line.value if line is not None and entered else None) \
            if item.metric == Metric.MANUAL else (found.value if found else None)
        if scheme.method == Method.SCORE:
            points = item_points(points=item.points, scoring=item.scoring, value=value,
                                 entered=line.points if line is not None and entered
                                 and item.scoring == Scoring.MANUAL else None)
            if points is None:
                result.pending.append(item.name)
                high_score += item.points or Decimal(0)
            else:
                low_score += points
                high_score += points
        else:
            met = line.met if line is not None and entered and line.met is not None else \
                criterion_met(comparison=item.comparison, threshold=item.threshold, value=value)
            if met is None:
                result.pending.append(item.name)
                high_met += 1
            elif met:
                low_met += 1
                high_met += 1
    if scheme.method == Method.SCORE:
        result.score_low, result.score_high = low_score, high_score
        result.factor_low = factor_for(contract, score=low_score)
        result.factor_high = factor_for(contract, score=high_score)
    else:
        result.met_low, result.met_high = low_met, high_met
        result.rating_low = rating_for(scheme.grades or [], low_met)
        result.rating_high = rating_for(scheme.grades or [], high_met)
        result.factor_low = factor_for(contract, rating=result.rating_low) \
            if result.rating_low else None
        result.factor_high = factor_for(contract, rating=result.rating_high) \
            if result.rating_high else None
    return result


def _settlement(contract: Contract, projection: Projection | None,
                penalties: Decimal) -> dict[str, Any]:
    """What the contract would pay in total at the projected factor(s), penalties deducted."""
    if projection is None or projection.factor_low is None:
        return {}
    low = share_of(contract.amount, projection.factor_low) - penalties
    high = (share_of(contract.amount, projection.factor_high) - penalties
            if projection.factor_high is not None else low)
    return {"amount": contract.amount, "low": low, "high": high}


# --- entry points ----------------------------------------------------------------------------

def compute(contract: Contract, day: datetime.date | None = None) -> Cockpit:
    """The cockpit's figures, computed now (no cache)."""
    now = timezone.now()
    day = day or timezone.localdate()
    start, end = period_of(contract, day)
    since, until = _bounds(start, end)
    scheme = AssessmentScheme.objects.filter(contract=contract).first()
    breaches = _breaches(contract, start, end)
    projection = _projection(contract, scheme, start, end) if scheme else None
    sla = _sla(contract, start, end)
    return Cockpit(
        contract_id=contract.pk, day=day, start=start, end=end, computed_at=now,
        sla=sla, open_tickets=_open_tickets(contract),
        coverage=_coverage(contract, since, until),
        deliverables=_deliverables(contract, now), breaches=breaches,
        projection=projection,
        settlement=_settlement(contract, projection, breaches["penalties"]),
        trends=_trends(contract, start, end, sla["monthly"]))


#: Prefix of the cockpit's cache keys (tests give each test its own).
KEY_PREFIX = "cockpit"


def _generation_key(contract_id: int) -> str:
    return f"{KEY_PREFIX}:gen:{contract_id}"


def cache_key(contract_id: int, day: datetime.date) -> str:
    generation = cache.get(_generation_key(contract_id), 0)
    return f"{KEY_PREFIX}:{contract_id}:{day.isoformat()}:{generation}"


def cockpit(contract: Contract, day: datetime.date | None = None, *,
            refresh: bool = False) -> Cockpit:
    """The cockpit's figures from the cache, computed and cached when missing (or when
    ``refresh``)."""
    day = day or timezone.localdate()
    key = cache_key(contract.pk, day)
    if not refresh:
        found = cache.get(key)
        if isinstance(found, Cockpit):
            return found
    figures = compute(contract, day)
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def invalidate(contract_id: int | None) -> None:
    """Forget the contract's cached figures (every day's): bump its generation."""
    if contract_id is None:
        return
    key = _generation_key(contract_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate(getattr(instance, "contract_id", None)
               or getattr(getattr(instance, "assessment", None), "contract_id", None))


def connect_signals() -> None:
    """Invalidate a contract's cockpit when what people act on changes: a breach, an
    assessment or its lines, the scheme, a report owed. Tickets, SLA alerts and visits change
    thousands of times a day on a large contract; recomputing on each would defeat the
    cache, so their figures follow within :data:`CACHE_SECONDS` (or at once on "Recompute")."""
    from django.db.models.signals import post_delete, post_save

    from weibao.assessment.models import AssessmentLine
    from weibao.reports.models import Submission

    for model in (Breach, Assessment, AssessmentLine, AssessmentScheme, Submission):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"cockpit-{model.__name__}")
