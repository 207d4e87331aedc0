"""What the deliverables pages share: the submission within the user's scope (PLT-01: any
other is a 404), the contract and month a page is about, and the deadline in words."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.core.models import User
from weibao.maintenance.schedule import contract_working_days
from weibao.reports.choices import SubmissionStatus
from weibao.reports.models import Deliverable, Submission
from weibao.reports.selectors import visible_submissions
from weibao.utils.views import PermissionMixin, attempt

__all__ = ["SubmissionMixin", "actor", "attempt", "chosen_contract", "deadline_text",
           "report_contracts"]


def actor(request: HttpRequest) -> User:
    """The logged-in user (every deliverables page requires a login first)."""
    return cast(User, request.user)


def report_contracts(user: User) -> QuerySet[Contract]:
    """The user's contracts that owe deliverables, by number."""
    owing = Deliverable.objects.values("contract_id")
    return visible_contracts(user).filter(pk__in=owing).order_by("number")


def chosen_contract(request: HttpRequest) -> tuple[Contract | None, list[Contract]]:
    """``?contract=<pk>`` among the user's contracts with deliverables, else the first."""
    contracts = list(report_contracts(actor(request)))
    wanted = request.GET.get("contract", "")
    for contract in contracts:
        if str(contract.pk) == wanted:
            return contract, contracts
    return (contracts[0] if contracts else None), contracts


def deadline_text(submission: Submission, now: datetime.datetime | None = None) -> str:
    """"due in 3 working days", "due today" or "late by 2 days, 4 hours" for a submission
    still owed; empty once it is submitted or accepted."""
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        return ""
    now = now or timezone.now()
    if submission.due_at <= now:
        return _("late by %(time)s") % {"time": timesince(submission.due_at, now)}
    today = timezone.localtime(now).date()
    due_day = timezone.localtime(submission.due_at).date()
    if due_day == today:
        return _("due today")
    working = contract_working_days(submission.contract)
    count = len(working.between(today + datetime.timedelta(days=1), due_day))
    return ngettext("due in %(count)d working day", "due in %(count)d working days",
                    count) % {"count": count}


class SubmissionMixin(PermissionMixin):
    """Load ``self.submission`` within the user's submissions: another contract's answers
    404 exactly like one that does not exist."""

    permission_required = "reports.view_submission"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.submission = get_object_or_404(
                visible_submissions(request.user).select_related(
                    "contract", "deliverable__template", "submitted_by", "reviewed_by"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
