"""Models of the tickets domain."""

from weibao.tickets.models.tickets import (
    EVENT_FIELDS,
    IdempotencyRecord,
    SlaAlert,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketPause,
    TicketQuerySet,
    TicketSequence,
    TicketStage,
    TicketType,
    TicketVendor,
)
from weibao.tickets.models.work import (
    Article,
    ChangeBudget,
    FaultReport,
    RequirementChange,
    ReturnVisit,
    Satisfaction,
    TicketPolicy,
)

__all__ = [
    "EVENT_FIELDS",
    "Article",
    "ChangeBudget",
    "FaultReport",
    "IdempotencyRecord",
    "RequirementChange",
    "ReturnVisit",
    "Satisfaction",
    "SlaAlert",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "TicketPause",
    "TicketPolicy",
    "TicketQuerySet",
    "TicketSequence",
    "TicketStage",
    "TicketType",
    "TicketVendor",
]
