"""Services of the tickets domain: every write goes through here."""

from weibao.tickets.services.errors import IllegalTransition, StaleTicket, TicketConflict
from weibao.tickets.services.sla import refresh_sla, scan_alerts, ticket_attributes
from weibao.tickets.services.tickets import (
    TicketInput,
    accept,
    add_vendor,
    assign,
    create_ticket,
    decide_claim,
    override_level,
    pause,
    progress_update,
    raise_priority,
    resume,
    transition,
)
from weibao.tickets.services.work import *  # noqa: F403 - the work a ticket produces
from weibao.tickets.services.work import __all__ as _work_all

__all__ = ["IllegalTransition", "StaleTicket", "TicketConflict", "TicketInput", "accept",
           "add_vendor", "assign", "create_ticket", "decide_claim", "override_level", "pause",
           "progress_update", "raise_priority", "refresh_sla", "resume", "scan_alerts",
           "ticket_attributes", "transition", *_work_all]
