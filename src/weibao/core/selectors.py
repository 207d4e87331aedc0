"""The role homes' figures (issue 16): what each role needs to see first in the morning.

Every figure is one aggregate query over what the user may see (PLT-01), never a query per
row; every figure carries the URL of the list it counts, filtered the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.core.choices import Role

__all__ = ["HOME_KIND", "Stat", "engineer_home", "home_kind", "manager_home", "my_contracts",
           "purchaser_home", "site_home", "supervisor_home"]

AT_RISK = datetime.timedelta(hours=1)
DUE_SOON_DAYS = 14
BOARD_ROWS = 10

# Which home a role opens on "/".
HOME_KIND = {
    Role.PURCHASER_STAFF: "purchaser",
    Role.VENDOR_MANAGER: "manager",
    Role.VENDOR_ENGINEER: "engineer",
    Role.SITE_STAFF: "site",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "manager",
}


def home_kind(user: Any) -> str:
    if user.is_superuser:
        return "manager"
    return HOME_KIND.get(user.role, "purchaser")


@dataclass
class Stat:
    """One number on a home, with the list it counts."""

    key: str
    label: Any
    value: Any
    url: str
    tone: str = ""  # "", "danger", "warning", "success"


def _url(name: str, **params: Any) -> str:
    url = reverse(name)
    pairs = [(k, v) for k, values in params.items()
             for v in (values if isinstance(values, list | tuple) else [values])]
    return f"{url}?{urlencode(pairs)}" if pairs else url


def _month_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _tickets(user: Any) -> QuerySet[Any]:
    from weibao.tickets.models import Ticket

    return Ticket.objects.visible_to(user)


def _open_tickets(user: Any) -> QuerySet[Any]:
    from weibao.tickets.choices import TicketState

    return _tickets(user).exclude(state=TicketState.CLOSED)


def my_contracts(user: Any, today: datetime.date) -> list[tuple[Any, int]]:
    """The user's contracts with the share of their period gone by."""
    from weibao.contracts.selectors import visible_contracts

    contracts = (visible_contracts(user).prefetch_related("parties__organisation")
                 .order_by("-end_date", "number"))
    return [(c, c.period_progress(today)) for c in contracts]


def open_by_level(user: Any) -> list[Stat]:
    """Open tickets by their effective fault level (the override wins), one query."""
    rows = (_open_tickets(user)
            .annotate(level=Case(When(~Q(fault_level_override=""),
                                      then=F("fault_level_override")),
                                 default=F("fault_level")))
            .values("level").annotate(n=Count("id")).order_by("level"))
    return [Stat(f"level-{row['level'] or 'none'}", row["level"] or _("no level"), row["n"],
                 _url("tickets:list", open="true", fault_level=row["level"])
                 if row["level"] else _url("tickets:list", open="true"))
            for row in rows]


def _months_back(month_start: datetime.datetime, months: int) -> datetime.datetime:
    year, month = month_start.year, month_start.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return month_start.replace(year=year, month=month)


def sla_attainment(user: Any, now: datetime.datetime,
                   months: int = 6) -> tuple[int, int, dict[str, Any]]:
    """SLA stages met of those that stopped (met or breached), per month over the last
    ``months`` months, one query: (met this month, stopped this month, the chart)."""
    from django.db.models.functions import TruncMonth

    from weibao.sla.choices import StageStatus
    from weibao.tickets.models import TicketStage

    month_start = _month_start(now)
    first = _months_back(month_start, months - 1)
    rows = (TicketStage.objects
            .filter(ticket__in=_tickets(user), stopped_at__gte=first, stopped_at__lte=now,
                    status__in=[StageStatus.MET, StageStatus.BREACHED])
            .annotate(month=TruncMonth("stopped_at"))
            .values("month")
            .annotate(total=Count("id"), met=Count("id", filter=Q(status=StageStatus.MET)))
            .order_by("month"))
    by_month = {timezone.localtime(r["month"]).strftime("%Y-%m")
                if timezone.is_aware(r["month"]) else r["month"].strftime("%Y-%m"): r
                for r in rows}
    labels = [_months_back(month_start, back).strftime("%Y-%m")
              for back in range(months - 1, -1, -1)]
    this = by_month.get(labels[-1], {"met": 0, "total": 0})
    chart = {
        "id": "chart-attainment", "title": str(_("SLA attainment by month (%)")),
        "labels": labels,
        "series": [{"name": str(_("met")), "type": "line",
                    "data": [round(100 * by_month[m]["met"] / by_month[m]["total"], 1)
                             if m in by_month else None for m in labels]}],
        "percent": True,
    }
    return this["met"], this["total"], chart


def _level_chart(levels: list[Stat]) -> dict[str, Any]:
    return {"id": "chart-levels", "title": str(_("Open tickets by level")),
            "labels": [str(s.label) for s in levels],
            "series": [{"name": str(_("open")), "type": "bar", "data": [s.value for s in levels]}],
            "percent": False}


def purchaser_home(user: Any, now: datetime.datetime) -> dict[str, Any]:
    from weibao.contracts.selectors import payments_due
    from weibao.reports.choices import SubmissionStatus
    from weibao.reports.selectors import visible_submissions
    from weibao.tickets.choices import AlertKind
    from weibao.tickets.models import SlaAlert

    month_start = _month_start(now)
    met, total, attainment_chart = sla_attainment(user, now)
    levels = open_by_level(user)
    breaches = SlaAlert.objects.filter(ticket__in=_tickets(user), kind=AlertKind.BREACH,
                                       at__gte=month_start).count()
    awaiting = visible_submissions(user).filter(status=SubmissionStatus.SUBMITTED).count()
    payments = payments_due(user, limit=5)
    stats = [
        Stat("attainment", _("SLA attainment this month"),
             f"{100 * met / total:.1f}%" if total else "—",
             _url("tickets:alerts", kind=AlertKind.BREACH, after=month_start.date().isoformat()),
             "" if not total else "success" if met == total else "warning"),
        Stat("open", _("Open tickets"), sum(s.value for s in levels),
             _url("tickets:list", open="true")),
        Stat("breaches", _("Breaches this month"), breaches,
             _url("tickets:alerts", kind=AlertKind.BREACH, after=month_start.date().isoformat()),
             "danger" if breaches else ""),
        Stat("awaiting", _("Reports awaiting acceptance"), awaiting,
             _url("reports:list", status=SubmissionStatus.SUBMITTED),
             "warning" if awaiting else ""),
    ]
    return {"stats": stats, "levels": levels, "payments": payments,
            "charts": [attainment_chart, _level_chart(levels)] if levels or total else [],
            "attainment": (met, total)}


def manager_home(user: Any, now: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.models import OPEN_STATES
    from weibao.maintenance.schedule import day_bounds
    from weibao.maintenance.selectors import visible_visits
    from weibao.reports.choices import SubmissionStatus
    from weibao.reports.selectors import visible_submissions
    from weibao.sla.choices import StageStatus

    open_tickets = _open_tickets(user)
    soon = now + AT_RISK
    counts = open_tickets.aggregate(
        total=Count("id"),
        at_risk=Count("id", filter=Q(next_due_at__lte=soon) | Q(sla_status=StageStatus.WARNING)),
        unassigned=Count("id", filter=Q(assignee__isnull=True)))
    board = list(open_tickets.filter(next_due_at__isnull=False)
                 .select_related("site", "assignee", "contract")
                 .order_by("next_due_at")[:BOARD_ROWS])
    load = list(open_tickets.filter(assignee__isnull=False)
                .values("assignee_id", "assignee__first_name", "assignee__username")
                .annotate(n=Count("id")).order_by("-n", "assignee__username")[:12])
    horizon = now + datetime.timedelta(days=DUE_SOON_DAYS)
    # As the visit list's window_before filter counts them: open windows starting by then.
    visits = visible_visits(user).filter(status__in=OPEN_STATES,
                                         window_start__lt=day_bounds(horizon.date())[1])
    visit_count = visits.count()
    pending = [SubmissionStatus.PENDING, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
    open_reports = visible_submissions(user).filter(status__in=pending)
    deliverables = list(open_reports.filter(due_at__lte=horizon).order_by("due_at")[:5])
    deliverable_count = open_reports.count()
    stats = [
        Stat("open", _("Open tickets"), counts["total"], _url("tickets:list", open="true")),
        Stat("at-risk", _("Due within the hour"), counts["at_risk"],
             _url("tickets:list", open="true", due_before=soon.isoformat(timespec="minutes")),
             "danger" if counts["at_risk"] else ""),
        Stat("unassigned", _("Unassigned"), counts["unassigned"], _url("tickets:board"),
             "warning" if counts["unassigned"] else ""),
        Stat("visits", _("Open visits, next 14 days"), visit_count,
             _url("maintenance:list", open="true",
                  window_before=horizon.date().isoformat())),
        Stat("deliverables", _("Deliverables not yet submitted"), deliverable_count,
             _url("reports:list", status=pending)),
    ]
    chart = {"id": "chart-load", "title": str(_("Open tickets per engineer")),
             "labels": [r["assignee__first_name"] or r["assignee__username"] for r in load],
             "series": [{"name": str(_("open")), "type": "bar", "data": [r["n"] for r in load]}],
             "percent": False}
    team = [Stat(f"engineer-{r['assignee_id']}",
                 r["assignee__first_name"] or r["assignee__username"], r["n"],
                 _url("tickets:list", open="true", assignee=r["assignee_id"])) for r in load]
    return {"stats": stats, "board": board, "team": team, "deliverables": deliverables,
            "charts": [chart] if load else [], "now": now}


def engineer_home(user: Any, now: datetime.datetime) -> dict[str, Any]:
    from weibao.maintenance.selectors import my_visits

    own = _open_tickets(user).filter(assignee=user)
    counts = own.aggregate(total=Count("id"), overdue=Count("id", filter=Q(next_due_at__lt=now)))
    mine = list(own.select_related("site", "contract")
                .order_by(F("next_due_at").asc(nulls_last=True), "reported_at")[:BOARD_ROWS])
    visits = list(my_visits(user, timezone.localdate(now))[:BOARD_ROWS])
    stats = [
        Stat("visits", _("Today's visits"), len(visits), _url("maintenance:today")),
        Stat("mine", _("My open tickets"), counts["total"], _url("tickets:mine")),
        Stat("overdue", _("Overdue"), counts["overdue"], _url("tickets:mine"), "danger"),
    ]
    return {"stats": stats, "mine": mine, "visits": visits, "now": now}


def site_home(user: Any, now: datetime.datetime) -> dict[str, Any]:
    open_tickets = _open_tickets(user)
    tickets = list(open_tickets.select_related("site").order_by("-reported_at")[:BOARD_ROWS])
    return {"stats": [Stat("open", _("Open tickets of my sites"), open_tickets.count(),
                           _url("tickets:list", open="true"))],
            "tickets": tickets, "now": now}


def supervisor_home(user: Any, now: datetime.datetime) -> dict[str, Any]:
    from weibao.assessment.choices import BreachStatus, LineStatus
    from weibao.assessment.models import AssessmentLine
    from weibao.assessment.selectors import visible_assessments, visible_breaches

    disputed = list(visible_breaches(user).filter(status=BreachStatus.DISPUTED)
                    .select_related("contract").order_by("occurred_at")[:20])
    lines = (AssessmentLine.objects
             .filter(assessment__in=visible_assessments(user), status=LineStatus.DISPUTED)
             .values("assessment_id", "assessment__contract__number")
             .annotate(n=Count("id")).order_by("assessment_id"))
    line_rows = [Stat(f"assessment-{r['assessment_id']}", r["assessment__contract__number"],
                      r["n"], reverse("assessment:assessment", args=[r["assessment_id"]]))
                 for r in lines]
    breach_count = visible_breaches(user).filter(status=BreachStatus.DISPUTED).count()
    stats = [
        Stat("disputed-breaches", _("Disputed breaches"), breach_count,
             _url("assessment:ledger", status=BreachStatus.DISPUTED),
             "warning" if breach_count else ""),
        Stat("disputed-lines", _("Disputed assessment items"), sum(s.value for s in line_rows),
             _url("assessment:list"), "warning" if line_rows else ""),
    ]
    return {"stats": stats, "disputed": disputed, "lines": line_rows, "now": now}
