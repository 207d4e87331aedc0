"""Deliverables lists (django-tables2): the submissions with their status, due time and
period (RPT-01..07)."""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.reports.choices import Cadence, DelayUnit, SubmissionStatus
from weibao.reports.models import Deliverable, Submission

__all__ = ["CALENDAR_BADGES", "CALENDAR_STATES", "STATUS_BADGES", "SubmissionTable",
           "calendar_state", "due_rule", "status_badge"]

STATUS_BADGES = {
    SubmissionStatus.PENDING: "bg-blue-lt", SubmissionStatus.DRAFT: "bg-azure-lt",
    SubmissionStatus.SUBMITTED: "bg-green text-green-fg",
    SubmissionStatus.RETURNED: "bg-orange text-orange-fg",
    SubmissionStatus.ACCEPTED: "bg-teal text-teal-fg",
}

# The calendar's four colours (RPT-01..06): still due, submitted, late, accepted.
CALENDAR_STATES = {"due": _("due"), "submitted": _("submitted"),
                   "late": pgettext_lazy("report", "late"), "accepted": _("accepted")}
CALENDAR_BADGES = {"due": "bg-blue-lt", "submitted": "bg-green text-green-fg",
                   "late": "bg-red text-red-fg", "accepted": "bg-teal text-teal-fg"}

_WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
             _("Saturday"), _("Sunday")]


def calendar_state(submission: Submission, now: datetime.datetime | None = None) -> str:
    """Which of the calendar's colours a submission takes: accepted; submitted (or late
    when it was submitted after the due time); otherwise late once the due time passed,
    else due."""
    if submission.status == SubmissionStatus.ACCEPTED:
        return "accepted"
    if submission.status == SubmissionStatus.SUBMITTED:
        return "late" if submission.late else "submitted"
    return "late" if submission.due_at <= (now or timezone.now()) else "due"


def due_rule(deliverable: Deliverable) -> str:
    """The deliverable's due rule in words, e.g. "monthly, by day 21 of the next month"."""
    cadence = deliverable.get_cadence_display()
    following = deliverable.covers != "current"
    if deliverable.cadence == Cadence.WEEKLY and deliverable.due_weekday:
        day = _WEEKDAYS[deliverable.due_weekday - 1]
        text = (_("before %(day)s") if deliverable.due_exclusive else _("by %(day)s")) % {
            "day": day}
        week = _("of the next week") if following else _("of the same week")
        return f"{cadence}, {text} {week}"
    if deliverable.cadence == Cadence.MONTHLY and deliverable.due_day:
        text = (_("before day %(day)s") if deliverable.due_exclusive
                else _("by day %(day)s")) % {"day": deliverable.due_day}
        month = _("of the next month") if following else _("of the same month")
        return f"{cadence}, {text} {month}"
    if deliverable.due_after_amount is not None:
        unit = (_("working days") if deliverable.due_after_unit == DelayUnit.WORKING_DAYS
                else _("calendar days"))
        after = (deliverable.get_trigger_display() if deliverable.cadence == Cadence.AFTER_EVENT
                 else _("the end of the period"))
        return f"{cadence}, " + str(_("within %(amount)s %(unit)s after %(after)s") % {
            "amount": deliverable.due_after_amount, "unit": unit, "after": after})
    return str(cadence)


def status_badge(submission: Submission) -> SafeString:
    """The submission's status as a coloured badge, with "late" or "breach" beside it."""
    extra = ""
    if submission.late:
        extra = format_html(' <span class="badge bg-yellow-lt">{}</span>', _("late"))
    if submission.breach_recorded_at is not None:
        extra = format_html('{} <span class="badge bg-red-lt">{}</span>', extra, _("breach"))
    return format_html('<span class="badge {}" data-status="{}">{}</span>{}',
                       STATUS_BADGES.get(SubmissionStatus(submission.status), ""),
                       submission.status, submission.get_status_display(), extra)


class SubmissionTable(tables.Table):
    deliverable = tables.Column(verbose_name=_("deliverable"), accessor="deliverable__name",
                                linkify=lambda record: reverse("reports:submission",
                                                               args=[record.pk]))
    contract = tables.Column(verbose_name=_("contract"), accessor="contract__number")
    period = tables.Column(verbose_name=_("period"), empty_values=(), orderable=False)
    due_at = tables.DateTimeColumn(verbose_name=_("due at"), format="Y-m-d H:i")
    status = tables.Column(verbose_name=_("status"), empty_values=())
    submitted_at = tables.DateTimeColumn(verbose_name=_("submitted at"), format="Y-m-d H:i")

    class Meta:
        model = Submission
        fields = ["deliverable", "contract", "period", "due_at", "status", "submitted_at"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "submissions"}
        row_attrs = {"data-submission": lambda record: record.pk}

    def render_period(self, record: Submission) -> str:
        if record.period_start == record.period_end:
            return f"{record.period_start:%Y-%m-%d}"
        return f"{record.period_start:%Y-%m-%d} – {record.period_end:%Y-%m-%d}"

    def render_status(self, record: Submission) -> SafeString:
        return status_badge(record)

    def value_status(self, record: Submission) -> Any:
        return record.get_status_display()
