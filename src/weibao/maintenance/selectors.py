"""Reads of the maintenance domain: which visits a user sees, an engineer's day, and
coverage (PM-09): per contract and period, visits due, done on time, late, missed and still
open, by district, plan or site type."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user
from weibao.core.choices import Role
from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import OPEN_STATES, MaintenancePlan, Visit
from weibao.maintenance.schedule import day_bounds
from weibao.sites.models import District, SiteType

__all__ = ["Coverage", "CoverageRow", "coverage", "month_bounds", "my_visits",
           "visible_visits"]

_GROUPS = {"district": "site__district_id", "plan": "plan_id",
           "site_type": "site__site_type_id"}


def visible_visits(user: Any) -> QuerySet[Visit]:
    """PLT-01: visits of the user's contracts; site staff only those at their own
    organisation's sites."""
    visits = scope_to_user(Visit.objects.all(), user)
    if (user.is_authenticated and not user.is_administrator
            and user.role == Role.SITE_STAFF):
        visits = visits.filter(site__organisation_id=user.organisation_id)
    return visits.select_related("plan", "site", "asset", "assignee", "contract")


def my_visits(user: Any, day: datetime.date) -> QuerySet[Visit]:
    """The engineer's visits for ``day``: open ones that count that day and are planned for
    it or earlier (or not planned at all), and those completed that day; the soonest due
    first."""
    start, end = day_bounds(day)
    open_today = (Q(status__in=OPEN_STATES, window_start__lt=end, window_end__gt=start)
                  & (Q(planned_for__lte=day) | Q(planned_for__isnull=True)))
    done_today = Q(status=VisitStatus.DONE, completed_at__gte=start, completed_at__lt=end)
    return (visible_visits(user).filter(assignee=user).filter(open_today | done_today)
            .order_by("window_end", F("planned_for").asc(nulls_last=True), "pk"))


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Local midnight of the month's first day and of the next month's."""
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day_bounds(datetime.date(year, month, 1))[0], day_bounds(following)[0]


@dataclass
class CoverageRow:
    """One line of the coverage table. ``due`` counts the visits whose window ends in the
    period (cancelled ones are not due); ``rate`` is the share done on time."""

    key: Any
    label: str
    due: int = 0
    done_on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0
    breaches: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.late

    @property
    def rate(self) -> float | None:
        return self.done_on_time / self.due if self.due else None

    @property
    def done_rate(self) -> float | None:
        """Share done at all (on time or late)."""
        return self.done / self.due if self.due else None


@dataclass
class Coverage:
    contract: Contract
    start: datetime.datetime
    end: datetime.datetime
    by: str
    rows: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow = field(default_factory=lambda: CoverageRow(None, ""))


def _labels(contract: Contract, by: str, keys: set[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None]
    if by == "district":
        return dict(District.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "site_type":
        return dict(SiteType.objects.filter(pk__in=ids).values_list("pk", "name"))
    return dict(MaintenancePlan.objects.filter(pk__in=ids).values_list("pk", "name"))


def coverage(contract: Contract, start: datetime.datetime, end: datetime.datetime, *,
             by: str = "district") -> Coverage:
    """PM-09: the visits of ``contract`` whose windows end in ``(start, end]``, counted in
    the database by ``by`` (``district``, ``plan`` or ``site_type``; a system check without
    a site falls in the row without a key), with a total row."""
    if by not in _GROUPS:
        raise ValueError(f"coverage by {by!r}: choose one of {', '.join(_GROUPS)}")
    group = _GROUPS[by]
    done = Q(status=VisitStatus.DONE)
    rows = (Visit.objects.filter(contract=contract, window_end__gt=start, window_end__lte=end)
            .exclude(status=VisitStatus.CANCELLED)
            .values(group).order_by()
            .annotate(due=Count("id"),
                      done_on_time=Count("id", filter=done & Q(late=False)),
                      late=Count("id", filter=done & Q(late=True)),
                      missed=Count("id", filter=Q(status=VisitStatus.MISSED)),
                      open=Count("id", filter=Q(status__in=OPEN_STATES)),
                      breaches=Count("id", filter=Q(breach_recorded_at__isnull=False))))
    found = list(rows)
    labels = _labels(contract, by, {row[group] for row in found})
    result = Coverage(contract, start, end, by, total=CoverageRow(None, _("Total")))
    for row in found:
        key = row[group]
        line = CoverageRow(key, labels.get(key, "") if key is not None else (
            _("Systems (no site)") if by != "plan" else ""), row["due"], row["done_on_time"],
            row["late"], row["missed"], row["open"], row["breaches"])
        result.rows.append(line)
        for name in ("due", "done_on_time", "late", "missed", "open", "breaches"):
            setattr(result.total, name, getattr(result.total, name) + getattr(line, name))
    result.rows.sort(key=lambda r: (r.key is None, r.label, str(r.key)))
    return result
