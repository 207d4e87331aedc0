"""The ticket lifecycle as an explicit transition table (TKT-04).

Each action moves a ticket from one of its ``sources`` to ``target`` and stamps the SLA clock
``events`` with the step's time. ``weibao.tickets.services.transition`` is the only place that
applies it; the API and UI ask ``allowed_for`` (or ``allowed_actions``) what to offer.

The purchaser or site staff may request on-site support before the vendor acknowledges (seed
001 L104, seed 002 L7228–7230: the clocks run from the report). Acknowledging is then still
possible, as a milestone that leaves the ticket in ``onsite_requested``; a vendor that departs,
arrives, contains or restores without acknowledging has responded by that step (``fills``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from weibao.tickets.choices import TicketState as S

__all__ = ["ACTIONS", "DONE_STATES", "OTHER_EVENTS", "Action", "allowed_actions", "allowed_for",
           "permitted", "target_of"]


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
    # Sources in which the step is a milestone: the state stays (acknowledge after an on-site
    # request made before the vendor acknowledged).
    stays: frozenset[str] = frozenset()
    # Clock events stamped too when not stamped yet (arriving without acknowledging responds).
    fills: tuple[str, ...] = ()
    # Allowed only while this clock event is not stamped (acknowledge once).
    once: str = ""
    # The step's time is the vendor's claim: earlier than the backdating tolerance, the
    # purchaser confirms it before the clock uses it (a step that stops a clock).
    claim: bool = False
    # Sources from which only the requesting side may take the step, not whoever works
    # tickets (before acknowledging, the vendor acknowledges rather than requests on-site).
    requester_only: frozenset[str] = frozenset()


WORK_PERMISSION = "tickets.work_ticket"
_WORKING = frozenset({S.ACKNOWLEDGED, S.REMOTE, S.ONSITE_REQUESTED, S.EN_ROUTE, S.ARRIVED})
#: Restored and after: no clock runs, nothing to pause or report progress on.
DONE_STATES = frozenset({S.RESTORED, S.REPORT_SUBMITTED, S.VERIFIED, S.CLOSED})

_RESPONDS = ("responded",)

ACTIONS: dict[str, Action] = {a.code: a for a in [
    Action("acknowledge", _("Acknowledge"), frozenset({S.REPORTED, S.ONSITE_REQUESTED}),
           S.ACKNOWLEDGED, ("responded",), stays=frozenset({S.ONSITE_REQUESTED}),
           once="responded", claim=True),
    Action("start_remote", _("Start remote attempt"), frozenset({S.ACKNOWLEDGED}), S.REMOTE),
    Action("request_onsite", _("Request on-site support"),
           frozenset({S.REPORTED, S.ACKNOWLEDGED, S.REMOTE}), S.ONSITE_REQUESTED,
           ("onsite_requested",), permission="tickets.view_ticket",
           requester_only=frozenset({S.REPORTED})),
    Action("depart", _("Engineer en route"), frozenset({S.ONSITE_REQUESTED}), S.EN_ROUTE,
           fills=_RESPONDS, claim=True),
    Action("arrive", _("Arrived on site"), frozenset({S.ONSITE_REQUESTED, S.EN_ROUTE}),
           S.ARRIVED, ("arrived",), fills=_RESPONDS, claim=True),
    Action("contain", _("Spread contained"), _WORKING, None, ("contained",), fills=_RESPONDS,
           claim=True),
    Action("restore", _("Service restored"), _WORKING, S.RESTORED, ("restored", "resolved"),
           fills=_RESPONDS, claim=True),
    Action("submit_report", _("Submit fault report"), frozenset({S.RESTORED}),
           S.REPORT_SUBMITTED, ("report_submitted",), claim=True),
    Action("verify", _("Verify fault report"), frozenset({S.REPORT_SUBMITTED}), S.VERIFIED,
           ("verified",), permission="tickets.verify_ticket"),
    Action("reject_report", _("Reject fault report"), frozenset({S.REPORT_SUBMITTED}),
           S.RESTORED, permission="tickets.verify_ticket", clears=("report_submitted",)),
    Action("close", _("Close"), frozenset({S.RESTORED, S.VERIFIED}), S.CLOSED, ("closed",),
           claim=True),
    Action("reopen", _("Reopen"), DONE_STATES, S.ACKNOWLEDGED, permission="tickets.view_ticket",
           clears=("restored", "resolved", "report_submitted", "verified", "closed")),
]}


# Timeline entries that are no lifecycle step.
OTHER_EVENTS = {
    "report": _("Reported"), "pause": _("Clocks paused"), "resume": _("Clocks resumed"),
    "assign": _("Assigned"), "accept": _("Taken by the engineer"),
    "raise_priority": _("Priority raised"), "override_level": _("Fault level set"),
    "progress": _("Progress update"), "confirm_time": _("Claimed time confirmed"),
    "reject_time": _("Claimed time rejected"),
}


def allowed_actions(state: str, stamped: Collection[str] | None = None) -> list[str]:
    """The steps allowed from ``state``; with ``stamped`` (the clock events the ticket has),
    a step allowed only once (acknowledge) is left out when its event is stamped. Without it
    the answer names every step the state may allow."""
    return [code for code, action in ACTIONS.items() if state in action.sources
            and not (stamped is not None and action.once and action.once in stamped)]


def allowed_for(ticket: Any) -> list[str]:
    """The steps allowed on ``ticket`` now (its state and the clock events it has)."""
    return allowed_actions(ticket.state, ticket.event_times())


def permitted(action: Action, state: str, user: Any, obj: Any = None) -> bool:
    """Whether ``user``'s role may take ``action`` from ``state``."""
    if not user.has_perm(action.permission, obj):
        return False
    return not (state in action.requester_only and user.has_perm(WORK_PERMISSION, obj))


def target_of(action: Action, state: str) -> str | None:
    """The state ``action`` leads to from ``state`` (None: it stays)."""
    return None if state in action.stays else action.target
