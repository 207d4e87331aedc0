"""Reads of the deliverables domain: which submissions a user sees, a contract's deliverables
calendar (RPT-07: due, submitted, late, accepted per due day) and submission counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user
from weibao.maintenance.schedule import day_bounds, local_zone
from weibao.reports.choices import SubmissionStatus
from weibao.reports.models import Submission

__all__ = ["CalendarDay", "SubmissionStats", "deliverable_calendar", "submission_stats",
           "visible_submissions"]

_OPEN = (SubmissionStatus.PENDING, SubmissionStatus.DRAFT)
_JUST_BEFORE = datetime.timedelta(microseconds=1)


def visible_submissions(user: Any) -> QuerySet[Submission]:
    """PLT-01: submissions of the user's contracts (the vendor's engineers see them; what
    they may change is the permissions' business)."""
    return (scope_to_user(Submission.objects.all(), user)
            .select_related("deliverable", "contract"))


def _counts(now: datetime.datetime) -> dict[str, Any]:
    handed_in = Q(submitted_at__isnull=False)
    return {
        "due": Count("id"),
        "submitted": Count("id", filter=handed_in),
        "late": Count("id", filter=Q(late=True) | (Q(submitted_at__isnull=True)
                                                   & Q(due_at__lte=now))),
        "accepted": Count("id", filter=Q(status=SubmissionStatus.ACCEPTED)),
        "returned": Count("id", filter=Q(status=SubmissionStatus.RETURNED)),
        "open": Count("id", filter=Q(status__in=_OPEN)),
        "breaches": Count("id", filter=Q(breach_recorded_at__isnull=False)),
    }


@dataclass
class CalendarDay:
    """The submissions whose last day is ``day`` (a report due at 00:00 — "before Tuesday" —
    or at the end of Monday is shown on Monday). ``submitted`` counts those handed in (whatever
    their review); ``late`` those handed in late or still missing after their due time;
    ``open`` those not handed in yet."""

    day: datetime.date
    due: int = 0
    submitted: int = 0
    late: int = 0
    accepted: int = 0
    returned: int = 0
    open: int = 0
    breaches: int = 0


def deliverable_calendar(contract: Contract, start: datetime.date, end: datetime.date, *,
                         now: datetime.datetime | None = None) -> list[CalendarDay]:
    """RPT-07: the contract's submissions whose last day falls from ``start`` to ``end``
    (local days, inclusive), one row per day with any, counted in the database."""
    now = now or timezone.now()
    last_moment = ExpressionWrapper(F("due_at") - _JUST_BEFORE, output_field=DateTimeField())
    rows = (Submission.objects.filter(contract=contract, due_at__gt=day_bounds(start)[0],
                                      due_at__lte=day_bounds(end)[1])
            .annotate(day=TruncDate(last_moment, tzinfo=local_zone()))
            .values("day").order_by("day").annotate(**_counts(now)))
    return [CalendarDay(**row) for row in rows]


@dataclass
class SubmissionStats:
    """Counts over a set of submissions (same meanings as :class:`CalendarDay`)."""

    due: int = 0
    submitted: int = 0
    late: int = 0
    accepted: int = 0
    returned: int = 0
    open: int = 0
    breaches: int = 0


def submission_stats(submissions: QuerySet[Submission], *,
                     now: datetime.datetime | None = None) -> SubmissionStats:
    """Counts of ``submissions`` (e.g. a contract's, or those due in a month), in one
    query."""
    now = now or timezone.now()
    return SubmissionStats(**submissions.order_by().aggregate(**_counts(now)))
