"""Metrics of an assessment (ASM-01, ASM-02, ASM-05): a scheme item's figure for a period,
computed from the records, with its definition and the records behind it.

:func:`measure` measures one item, :func:`measure_all` every item of a scheme, and
:func:`evidence` returns the records an item counts (each annotated ``meets``: whether it
counts in the numerator). Everything is set-based: ``measure_all`` runs one aggregate query
per kind of record (tickets, SLA stages, visits, submissions, breaches) whatever the number
of items or rows, plus one query for the contract's calendar when an item counts working days
(the calendar engine itself is cached).

Periods are dates, inclusive, in the project's time zone (Asia/Shanghai). Which records
belong to a period:

- tickets (and their SLA stages, satisfaction ratings): **reported** in the period;
- inspection visits: whose window **ends** in the period, cancelled ones excluded (the
  coverage of :func:`weibao.maintenance.selectors.coverage`);
- deliverables' submissions: **due** in the period;
- breaches of the ledger: **occurred** in the period, waived ones excluded;
- attendance days of resident staff (closed or checked in): whose **day** is in the period.

Rates are percentages 0..100 rounded half-up to 2 decimals; a rate with nothing to count (the
denominator is 0) is None. How each metric is defined: ``docs/assessment-metrics.md``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assessment.choices import BreachStatus, Metric
from weibao.contracts.models import Contract

__all__ = ["SATISFIED_AT_LEAST", "Measurement", "definitions", "evidence", "measure", "measure_all",
           "period_bounds", "working_day_deadlines"]

#: A rating of at least this (of 5) is satisfied unless the item says ``satisfied_at_least``.
SATISFIED_AT_LEAST = 4
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measurement:
    """An item's figure: ``value`` (a rate 0..100, or a count for ``breach_count``), the
    counts it comes from, and its definition in words. ``value`` None: entered by hand
    (MANUAL) or nothing to count."""

    value: Decimal | None
    numerator: int | None
    denominator: int | None
    definition: str


def period_bounds(start: datetime.date,
                  end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``[start 00:00, end+1 00:00)`` in the project's time zone (Beijing)."""
    tz = timezone.get_default_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=tz))


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * _HUNDRED / Decimal(denominator)).quantize(
        _CENT, rounding=ROUND_HALF_UP)


# --- working days ---------------------------------------------------------------------------

def _contract_calendar(contract: Contract) -> str:
    """The calendar the contract counts working days in: that of its first SLA target
    counted in working days (seed 002's 5 and 3 working days count in cn-0830-1730 while its
    policy's own calendar is 7×24), else its SLA policy's calendar, else the national one."""
    from weibao.calendars.selectors import NATIONAL_CALENDAR
    from weibao.sla.choices import TimeUnit
    from weibao.sla.models import SlaTarget

    row = (SlaTarget.objects.filter(policy__contract=contract)
           .order_by(Case(When(unit=TimeUnit.WORKING_DAYS, then=Value(0)), default=Value(1)),
                     "order")
           .values_list("calendar", "policy__calendar").first())
    if row is None:
        return NATIONAL_CALENDAR
    return row[0] or row[1] or NATIONAL_CALENDAR


_Runs = list[tuple[datetime.datetime, datetime.datetime | None]]


def _engine(calendar: str) -> Any:
    from weibao.calendars.selectors import calendar_engine
    from weibao.calendars.worktime import CalendarError

    try:
        return calendar_engine(calendar)
    except CalendarError:
        return None


def working_day_deadlines(calendar: str | Any, start: datetime.date, end: datetime.date,
                          days: int) -> _Runs:
    """For the days ``start``..``end``: ``(first instant, deadline)`` runs in time order.

    The deadline of something started on a day D is ``days`` working days after it in the
    calendar (a code, or its engine) — the end of the Nth working day after D (D itself not
    counted, the engine's rule) —, the same for every instant of D, so days with the same
    deadline merge into one run (a Friday's, Saturday's and Sunday's). None when the
    calendar is unknown or does not cover it."""
    from weibao.calendars.worktime import CalendarError, Unit

    engine = _engine(calendar) if isinstance(calendar, str) else calendar
    runs: _Runs = []
    tz = timezone.get_default_timezone()
    day = start
    while day <= end:
        first = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        deadline: datetime.datetime | None = None
        if engine is not None and days > 0:
            try:  # noon: inside the day whatever the calendar's own time zone
                deadline = engine.add(first + datetime.timedelta(hours=12), days,
                                      Unit.WORKING_DAYS).value
            except CalendarError:
                deadline = None
        if not runs or runs[-1][1] != deadline:
            runs.append((first, deadline))
        day += datetime.timedelta(days=1)
    return runs


class _Deadline(Expression):
    """The deadline of a row started at ``field``, from the runs of
    :func:`working_day_deadlines`. PostgreSQL looks the run up with ``width_bucket`` over an
    array of the runs' starts (a binary search in C); elsewhere a balanced tree of CASEs
    (about log2(runs) comparisons per row). Written as SQL directly: a tree of ORM
    expressions hundreds of nodes deep costs more to resolve than the query to run."""

    output_field = DateTimeField()

    def __init__(self, field: str | Expression, runs: _Runs) -> None:
        super().__init__(output_field=DateTimeField())
        self.source = F(field) if isinstance(field, str) else field
        self.runs = tuple(runs)

    def __repr__(self) -> str:
        return f"_Deadline({self.source!r}, {len(self.runs)} runs)"

    def get_source_expressions(self) -> list[Any]:
        return [self.source]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.source,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        field_sql, field_params = compiler.compile(self.source)
        adapt = connection.ops.adapt_datetimefield_value

        def tree(runs: tuple[tuple[datetime.datetime, datetime.datetime | None], ...]
                 ) -> tuple[str, list[Any]]:
            if len(runs) == 1:
                deadline = runs[0][1]
                return ("NULL", []) if deadline is None else ("%s", [adapt(deadline)])
            middle = len(runs) // 2
            left_sql, left_params = tree(runs[:middle])
            right_sql, right_params = tree(runs[middle:])
            return (f"CASE WHEN {field_sql} < %s THEN {left_sql} ELSE {right_sql} END",
                    [*field_params, adapt(runs[middle][0]), *left_params, *right_params])

        return tree(self.runs)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        field_sql, field_params = compiler.compile(self.source)
        starts = [start for start, _deadline in self.runs[1:]]
        deadlines = [deadline for _start, deadline in self.runs]
        return (f"(%s::timestamptz[])[width_bucket({field_sql}, %s::timestamptz[]) + 1]",
                [deadlines, *field_params, starts])


# --- the items ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Count:
    """What an item counts: which records (``scope``) of which kind (``source``) and which
    of them are in the numerator (``meets``). ``meets`` None: the value is the count."""

    source: str
    scope: Q
    meets: Q | None
    definition: str


def _types(params: Mapping[str, Any], default: Iterable[str] | None = None) -> Q:
    """Tickets of the item's ``ticket_types``: a type's code or its category (fault,
    requirement_change …) — the spec's examples name either."""
    types = list(params.get("ticket_types") or default or [])
    if not types:
        return Q()
    return Q(ticket_type__code__in=types) | Q(ticket_type__category__in=types)


def _types_text(params: Mapping[str, Any], default: str = "") -> str:
    types = params.get("ticket_types") or []
    if types:
        return _("tickets of the types %(types)s") % {"types": ", ".join(map(str, types))}
    return default or _("tickets of every type")


def _stage(params: Mapping[str, Any], kpi: bool) -> _Count:
    stage = str(params.get("stage", ""))
    scope = Q(code=stage, status__in=["met", "breached"])
    if kpi:
        scope &= Q(counts_breach=False)
        text = _("SLA period KPI of the stage %(stage)s: of the tickets reported in the period "
                 "whose stage %(stage)s ran under a KPI target and is decided, the share met "
                 "(met ÷ met or breached; stages still running are not counted).")
    else:
        text = _("Of the tickets reported in the period whose stage %(stage)s is decided, "
                 "the share that met its target (met ÷ met or breached; stages still running "
                 "or without a target are not counted).")
    return _Count("stages", scope, Q(status="met"), text % {"stage": stage})


def _response(params: Mapping[str, Any]) -> _Count:
    minutes = int(params.get("minutes", 0))
    limit = F("reported_at") + datetime.timedelta(minutes=minutes)
    return _Count(
        "tickets", _types(params),
        Q(responded_at__isnull=False, responded_at__lte=limit),
        _("Of the %(tickets)s reported in the period, the share responded within %(minutes)s "
          "minutes of the report, in real time (responded at ≤ reported at + %(minutes)s "
          "minutes; not responded counts as late).")
        % {"tickets": _types_text(params), "minutes": minutes})


def _working_days(params: Mapping[str, Any], field: str, context: _Context,
                  default_types: list[str] | None, text: str) -> _Count:
    days = int(params.get("working_days", 0))
    calendar = context.calendar_of(params)
    runs = context.deadlines(calendar, days)
    deadline = _Deadline("reported_at", runs)
    return _Count(
        "tickets", _types(params, default_types),
        Q(**{f"{field}__isnull": False, f"{field}__lte": deadline}),
        text % {"tickets": _types_text(params, _("requirement tickets")
                                       if default_types else ""),
                "days": days, "calendar": calendar})


def _resolved(params: Mapping[str, Any], context: _Context) -> _Count:
    return _working_days(
        params, "resolved_at", context, None,
        _("Of the %(tickets)s reported in the period, the share resolved (service restored) "
          "within %(days)s working days of the calendar %(calendar)s: by the end of the "
          "%(days)sth working day after the day of the report (that day not counted). "
          "Unresolved tickets count as late."))


def _requirement(params: Mapping[str, Any], context: _Context) -> _Count:
    return _working_days(
        params, "responded_at", context, ["requirement_change"],
        _("Of the %(tickets)s reported in the period, the share responded within %(days)s "
          "working days of the calendar %(calendar)s: by the end of the %(days)sth working "
          "day after the day of the report (that day not counted). Not responded counts as "
          "late."))


def _completion(params: Mapping[str, Any]) -> _Count:
    return _Count(
        "tickets", _types(params),
        Q(resolved_at__isnull=False) | Q(closed_at__isnull=False),
        _("Of the %(tickets)s reported in the period, the share resolved or closed "
          "(as recorded when measured).") % {"tickets": _types_text(params)})


def _satisfaction(params: Mapping[str, Any]) -> _Count:
    least = int(params.get("satisfied_at_least", SATISFIED_AT_LEAST))
    return _Count(
        "tickets", _types(params) & Q(satisfaction__isnull=False),
        Q(satisfaction__rating__gte=least),
        _("Of the %(tickets)s reported in the period that the reporter rated (1–5), the share "
          "rated %(least)s or more.") % {"tickets": _types_text(params), "least": least})


def _coverage(params: Mapping[str, Any]) -> _Count:
    from weibao.maintenance.choices import VisitStatus

    plans = list(params.get("plans") or [])
    scope = Q(plan__code__in=plans) if plans else Q()
    what = (_("the plans %(plans)s") % {"plans": ", ".join(map(str, plans))} if plans
            else _("every plan"))
    return _Count(
        "visits", scope, Q(status=VisitStatus.DONE, late=False),
        _("Of the inspection visits of %(plans)s whose window ends in the period (cancelled "
          "ones not counted), the share done on time.") % {"plans": what})


def _deliverables(params: Mapping[str, Any]) -> _Count:
    codes = list(params.get("deliverables") or [])
    scope = Q(deliverable__code__in=codes) if codes else Q()
    what = (_("the deliverables %(codes)s") % {"codes": ", ".join(map(str, codes))} if codes
            else _("every deliverable"))
    return _Count(
        "submissions", scope, Q(submitted_at__isnull=False, late=False),
        _("Of the reports of %(deliverables)s due in the period, the share first submitted "
          "by their due time.") % {"deliverables": what})


def _attendance(params: Mapping[str, Any]) -> _Count:
    from weibao.staff.choices import ATTENDED

    return _Count(
        "attendance", Q(), Q(status__in=ATTENDED),
        _("Of the working days of the contract calendar in the period on which a resident "
          "member was due (closed days: checked in, on leave or absent), the share attended — "
          "present, or on leave with the substitute present (STF-04)."))


def _breaches(params: Mapping[str, Any]) -> _Count:
    sources = list(params.get("sources") or [])
    scope = Q(source__in=sources) if sources else Q()
    what = (_("of the kinds %(sources)s") % {"sources": ", ".join(map(str, sources))}
            if sources else _("of every kind"))
    return _Count(
        "breaches", scope, None,
        _("The number of breaches %(kinds)s in the ledger that occurred in the period, "
          "waived ones not counted.") % {"kinds": what})


class _Context:
    """What the items of one measurement share: the contract, the period, and the contract's
    calendar with its working-day deadlines (looked up once, per number of days)."""

    def __init__(self, contract: Contract, start: datetime.date, end: datetime.date) -> None:
        self.contract = contract
        self.start = start
        self.end = end
        self._calendar: str | None = None
        self._runs: dict[tuple[str, int], _Runs] = {}
        self._engines: dict[str, Any] = {}

    def calendar_of(self, params: Mapping[str, Any]) -> str:
        """The item's ``calendar`` if it names one, else the contract's (one query)."""
        if params.get("calendar"):
            return str(params["calendar"])
        if self._calendar is None:
            self._calendar = _contract_calendar(self.contract)
        return self._calendar

    def deadlines(self, calendar: str, days: int) -> _Runs:
        if (calendar, days) not in self._runs:
            if calendar not in self._engines:
                self._engines[calendar] = _engine(calendar)
            self._runs[calendar, days] = working_day_deadlines(
                self._engines[calendar], self.start, self.end, days)
        return self._runs[calendar, days]


_SIMPLE: dict[str, Callable[[Mapping[str, Any]], _Count]] = {
    Metric.RESPONSE_WITHIN: _response,
    Metric.COMPLETION_RATE: _completion,
    Metric.SATISFACTION_RATE: _satisfaction,
    Metric.INSPECTION_COVERAGE: _coverage,
    Metric.DELIVERABLES_ON_TIME: _deliverables,
    Metric.BREACH_COUNT: _breaches,
    Metric.ATTENDANCE_RATE: _attendance,
}


def _counting(metric: str, params: Mapping[str, Any], context: _Context) -> _Count | None:
    params = params or {}
    if metric in _SIMPLE:
        return _SIMPLE[metric](params)
    if metric == Metric.STAGE_ATTAINMENT:
        return _stage(params, kpi=False)
    if metric == Metric.KPI:
        return _stage(params, kpi=True)
    if metric == Metric.RESOLVED_WITHIN:
        return _resolved(params, context)
    if metric == Metric.REQUIREMENT_RESPONDED:
        return _requirement(params, context)
    return None


def _manual_definition() -> str:
    return _("Entered by a named person with a proof: weibao does not record it.")


def definitions(items: Iterable[Any], contract: Contract, start: datetime.date,
                end: datetime.date) -> dict[Any, str]:
    """How each item's value is computed, in words, by item id (no query of the records)."""
    context = _Context(contract, start, end)
    result = {}
    for item in items:
        count = _counting(item.metric, item.params or {}, context)
        result[item.pk] = count.definition if count is not None else _manual_definition()
    return result


# --- the records of a period ----------------------------------------------------------------

def _records(source: str, contract: Contract, start: datetime.date,
             end: datetime.date) -> QuerySet[Any]:
    since, until = period_bounds(start, end)
    if source == "tickets":
        from weibao.tickets.models import Ticket
        return Ticket.objects.filter(contract=contract, reported_at__gte=since,
                                     reported_at__lt=until)
    if source == "stages":
        from weibao.tickets.models import TicketStage
        return TicketStage.objects.filter(ticket__contract=contract,
                                          ticket__reported_at__gte=since,
                                          ticket__reported_at__lt=until)
    if source == "visits":
        from weibao.maintenance.choices import VisitStatus
        from weibao.maintenance.models import Visit
        return (Visit.objects.filter(contract=contract, window_end__gt=since,
                                     window_end__lte=until)
                .exclude(status=VisitStatus.CANCELLED))
    if source == "submissions":
        from weibao.reports.models import Submission
        return Submission.objects.filter(contract=contract, due_at__gte=since,
                                         due_at__lt=until)
    if source == "attendance":
        from weibao.staff.models import AttendanceDay
        return AttendanceDay.objects.filter(member__contract=contract, member__resident=True,
                                            day__gte=start, day__lte=end)
    from weibao.assessment.models import Breach
    return (Breach.objects.filter(contract=contract, occurred_at__gte=since,
                                  occurred_at__lt=until)
            .exclude(status=BreachStatus.WAIVED))


def _items_counted(items: Iterable[Any], context: _Context) -> dict[Any, _Count | None]:
    return {item.pk: _counting(item.metric, item.params, context) for item in items}


def _aggregate(contract: Contract, start: datetime.date, end: datetime.date,
               counts: Mapping[Any, _Count | None]) -> dict[Any, Measurement]:
    """One aggregate query per kind of record for all the items."""
    by_source: dict[str, dict[str, Any]] = {}
    # The rows some item counts: the OR of the items' scopes goes into the WHERE clause, so
    # rows no item counts (other SLA stages, other deliverables) are skipped before the join.
    wanted: dict[str, Q | None] = {}
    for key, count in counts.items():
        if count is None:
            continue
        if count.source not in wanted or not count.scope:
            wanted[count.source] = count.scope if count.scope else None
        elif wanted[count.source] is not None:
            wanted[count.source] = wanted[count.source] | count.scope  # type: ignore[operator]
        aggregates = by_source.setdefault(count.source, {})
        aggregates[f"d{key}"] = Count("pk", filter=count.scope) if count.scope else Count("pk")
        if count.meets is not None:
            aggregates[f"n{key}"] = Count("pk", filter=count.scope & count.meets)
    figures: dict[str, int] = {}
    for source, aggregates in by_source.items():
        records = _records(source, contract, start, end).order_by()
        scope = wanted.get(source)
        if scope is not None:
            records = records.filter(scope)
        figures.update(records.aggregate(**aggregates))
    result: dict[Any, Measurement] = {}
    for key, count in counts.items():
        if count is None:
            result[key] = Measurement(None, None, None, _manual_definition())
            continue
        total = int(figures[f"d{key}"] or 0)
        if count.meets is None:
            result[key] = Measurement(Decimal(total), total, None, count.definition)
        else:
            met = int(figures[f"n{key}"] or 0)
            result[key] = Measurement(_rate(met, total), met, total, count.definition)
    return result


# --- the interface --------------------------------------------------------------------------

def measure(item: Any, contract: Contract, start: datetime.date,
            end: datetime.date) -> Measurement:
    """The figure of one scheme item (``AssessmentItem``, or anything with ``pk``,
    ``metric`` and ``params``) for the days ``start``..``end``: one aggregate query (two
    when it counts working days). MANUAL: value None, entered on the assessment's line."""
    context = _Context(contract, start, end)
    key = item.pk if item.pk is not None else 0
    return _aggregate(contract, start, end,
                      {key: _counting(item.metric, item.params, context)})[key]


def measure_all(scheme: Any, start: datetime.date,
                end: datetime.date) -> dict[int, Measurement]:
    """Every item of ``scheme`` (an ``AssessmentScheme``) for the period, by item id: one
    query for the items, at most one aggregate per kind of record, one for the calendar."""
    items = list(scheme.items.all())
    context = _Context(scheme.contract, start, end)
    return _aggregate(scheme.contract, start, end, _items_counted(items, context))


def evidence(item: Any, contract: Contract, start: datetime.date,
             end: datetime.date) -> QuerySet[Any] | None:
    """The records an item counts for the period — tickets, SLA stages, visits,
    submissions or breaches —, each annotated ``meets`` (True when it counts in the
    numerator; always True for a breach count). None for a MANUAL item: its proof is the
    file attached to the assessment's line."""
    count = _counting(item.metric, item.params, _Context(contract, start, end))
    if count is None:
        return None
    records = _records(count.source, contract, start, end).filter(count.scope)
    meets: Any = count.meets if count.meets is not None else Q(pk__isnull=False)
    records = records.annotate(meets=ExpressionWrapper(meets, output_field=BooleanField()))
    ordering = {"tickets": ["reported_at", "pk"], "stages": ["ticket__reported_at", "pk"],
                "visits": ["window_end", "pk"], "submissions": ["due_at", "pk"],
                "breaches": ["occurred_at", "pk"],
                "attendance": ["day", "member__name", "pk"]}[count.source]
    return records.order_by(*ordering)
