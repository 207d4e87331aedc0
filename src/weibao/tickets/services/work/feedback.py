"""满意度与回访 (TKT-07): the reporter's rating after restoration, once per ticket, and the
vendor's return visits; the satisfaction rate per contract is the share of 4–5 ratings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.choices import Role
from weibao.tickets.models import ReturnVisit, Satisfaction, Ticket
from weibao.tickets.services.errors import TicketConflict
from weibao.tickets.services.tickets import FUTURE_TOLERANCE, _locked
from weibao.tickets.workflow import allowed_actions

if TYPE_CHECKING:
    from weibao.contracts.models import Contract
    from weibao.core.models import User

__all__ = ["ContractSatisfaction", "rate_ticket", "record_return_visit",
           "satisfaction_summary"]

# A rating at or above this counts as satisfied (满意).
SATISFIED_FROM = 4


def _restored(ticket: Ticket) -> None:
    if ticket.restored_at is None:
        raise TicketConflict(_("This is possible once the service is restored."),
                             allowed=allowed_actions(ticket.state), version=ticket.version)


@transaction.atomic
def rate_ticket(ticket: Ticket | int, actor: User, *, rating: int,
                comment: str = "") -> Satisfaction:
    """The reporter, or the purchaser's staff, rates the work 1–5 once the service is
    restored; a ticket is rated once (TKT-07)."""
    locked = _locked(ticket, None)
    if not actor.has_perm("tickets.add_satisfaction", locked):
        raise PermissionDenied(_("Your role may not do this."))
    if actor.role != Role.PURCHASER_STAFF and not actor.is_administrator \
            and locked.reporter_id != actor.pk:
        raise PermissionDenied(_("Only the reporter or the purchaser rates a ticket."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    _restored(locked)
    if Satisfaction.objects.filter(ticket=locked).exists():
        raise TicketConflict(_("This ticket has already been rated."),
                             allowed=allowed_actions(locked.state), version=locked.version)
    try:
        with transaction.atomic():
            rated = Satisfaction.objects.create(ticket=locked, rating=rating,
                                                comment=comment.strip(), rated_by=actor)
    except IntegrityError:  # pragma: no cover - the ticket row lock serialises raters
        raise TicketConflict(_("This ticket has already been rated."),
                             version=locked.version) from None
    return rated


@transaction.atomic
def record_return_visit(ticket: Ticket | int, actor: User, *, visited_at: datetime.datetime,
                        method: str, notes: str) -> ReturnVisit:
    """回访: the vendor calls or visits the reporter after restoration (TKT-07)."""
    locked = _locked(ticket, None)
    if not actor.has_perm("tickets.add_returnvisit", locked):
        raise PermissionDenied(_("Your role may not do this."))
    _restored(locked)
    errors: dict[str, str] = {}
    if timezone.is_naive(visited_at):
        errors["visited_at"] = _("Give the time with its time zone.")
    elif visited_at > timezone.now() + FUTURE_TOLERANCE:
        errors["visited_at"] = _("The return visit cannot be in the future.")
    elif locked.restored_at and visited_at < locked.restored_at.replace(second=0,
                                                                     microsecond=0):
        errors["visited_at"] = _("The return visit comes after the restoration.")
    if not notes.strip():
        errors["notes"] = _("Write down what the reporter said.")
    if errors:
        raise ValidationError(errors)
    return ReturnVisit.objects.create(ticket=locked, visited_at=visited_at,
                                      method=method.strip()[:40], notes=notes.strip(),
                                      visited_by=actor)


@dataclass(frozen=True)
class ContractSatisfaction:
    contract: Contract
    rated: int
    satisfied: int
    average: float | None

    @property
    def rate(self) -> float | None:
        """Share of 4–5 ratings (0–1), None while nothing is rated."""
        return self.satisfied / self.rated if self.rated else None


def satisfaction_summary(contracts: QuerySet[Contract]) -> list[ContractSatisfaction]:
    """Satisfaction per contract (TKT-07): ratings, satisfied ones (4–5), average."""
    from django.db.models import Avg

    rows: dict[int, Any] = {
        row["ticket__contract"]: row for row in
        Satisfaction.objects.filter(ticket__contract__in=contracts)
        .values("ticket__contract")
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_FROM)),
                  average=Avg("rating"))}
    out = []
    for contract in contracts:
        row = rows.get(contract.pk, {})
        out.append(ContractSatisfaction(contract, row.get("rated", 0), row.get("satisfied", 0),
                                        row.get("average")))
    return out
