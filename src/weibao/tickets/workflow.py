"""The ticket lifecycle as an explicit transition table (TKT-04).

Each action moves a ticket from one of its ``sources`` to ``target`` and stamps the SLA clock
``events`` with the step's time. ``weibao.tickets.services.transition`` is the only place that
applies it; the API and UI ask ``allowed_actions`` what to offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from weibao.tickets.choices import TicketState as S

__all__ = ["ACTIONS", "Action", "allowed_actions"]


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a milestone such as "contained")
    events: tuple[str, ...] = ()
    permission: str = "tickets.work_ticket"
    # Clears these clock events (reopen: the restoration did not hold).
    clears: tuple[str, ...] = ()


_WORKING = frozenset({S.ACKNOWLEDGED, S.REMOTE, S.ONSITE_REQUESTED, S.EN_ROUTE, S.ARRIVED})
_DONE = frozenset({S.RESTORED, S.REPORT_SUBMITTED, S.VERIFIED, S.CLOSED})

ACTIONS: dict[str, Action] = {a.code: a for a in [
    Action("acknowledge", _("Acknowledge"), frozenset({S.REPORTED}), S.ACKNOWLEDGED,
           ("responded",)),
    Action("start_remote", _("Start remote attempt"), frozenset({S.ACKNOWLEDGED}), S.REMOTE),
    Action("request_onsite", _("Request on-site support"),
           frozenset({S.ACKNOWLEDGED, S.REMOTE}), S.ONSITE_REQUESTED, ("onsite_requested",),
           permission="tickets.view_ticket"),
    Action("depart", _("Engineer en route"), frozenset({S.ONSITE_REQUESTED}), S.EN_ROUTE),
    Action("arrive", _("Arrived on site"), frozenset({S.ONSITE_REQUESTED, S.EN_ROUTE}),
           S.ARRIVED, ("arrived",)),
    Action("contain", _("Spread contained"), _WORKING, None, ("contained",)),
    Action("restore", _("Service restored"), _WORKING, S.RESTORED, ("restored", "resolved")),
    Action("submit_report", _("Submit fault report"), frozenset({S.RESTORED}),
           S.REPORT_SUBMITTED, ("report_submitted",)),
    Action("verify", _("Verify fault report"), frozenset({S.REPORT_SUBMITTED}), S.VERIFIED,
           ("verified",), permission="tickets.verify_ticket"),
    Action("reject_report", _("Reject fault report"), frozenset({S.REPORT_SUBMITTED}),
           S.RESTORED, permission="tickets.verify_ticket", clears=("report_submitted",)),
    Action("close", _("Close"), frozenset({S.RESTORED, S.VERIFIED}), S.CLOSED, ("closed",)),
    Action("reopen", _("Reopen"), _DONE, S.ACKNOWLEDGED, permission="tickets.view_ticket",
           clears=("restored", "resolved", "report_submitted", "verified", "closed")),
]}


def allowed_actions(state: str) -> list[str]:
    return [code for code, action in ACTIONS.items() if state in action.sources]
