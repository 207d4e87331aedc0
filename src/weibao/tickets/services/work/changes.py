"""需求变更 (TKT-08): a requirement change's design document and workload estimate, flagged at
or over the contract's threshold (seed 001: "少于2个人月的，纳入维保合同"), the budget it
consumes, a dispute by either party and the supervisor's decision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.tickets.choices import ChangeDecision, TicketCategory
from weibao.tickets.models import ChangeBudget, RequirementChange, Ticket, TicketEvent, TicketPolicy
from weibao.tickets.services.errors import TicketConflict
from weibao.tickets.services.tickets import _locked
from weibao.tickets.workflow import allowed_actions
from weibao.utils.files import remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.contracts.models import Contract
    from weibao.core.models import User

__all__ = ["BudgetUse", "budget_consumption", "decide_change", "dispute_change",
           "save_requirement_change"]

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _policy(contract: Contract) -> TicketPolicy | None:
    return TicketPolicy.objects.filter(contract=contract).first()


def _pending(change: RequirementChange, ticket: Ticket) -> None:
    if change.decision != ChangeDecision.PENDING:
        raise TicketConflict(
            _("The supervisor has decided on this change (%(decision)s); it cannot be changed.")
            % {"decision": ChangeDecision(change.decision).label},
            allowed=allowed_actions(ticket.state), version=ticket.version)


def save_requirement_change(ticket: Ticket | int, actor: User, *,
                            estimate_person_days: Decimal | str | float, budget: str = "",
                            design_document: UploadedFile | None = None) -> RequirementChange:
    """Record or update the estimate (person-days), the budget it draws on and the design
    document. The contract's threshold at this moment is kept with the change (TKT-08)."""
    with remove_files_on_error(), transaction.atomic():
        locked = _locked(ticket, None)
        change = RequirementChange.objects.select_for_update().filter(ticket=locked).first()
        perm = "tickets.change_requirementchange" if change else "tickets.add_requirementchange"
        if not actor.has_perm(perm, locked):
            raise PermissionDenied(_("Your role may not do this."))
        if locked.ticket_type.category != TicketCategory.REQUIREMENT_CHANGE:
            raise ValidationError({"ticket": _("Only tickets of a requirement-change type have "
                                               "a workload estimate.")})
        if change is not None:
            _pending(change, locked)
        errors: dict[str, str] = {}
        try:
            estimate = Decimal(str(estimate_person_days)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            estimate = Decimal(0)
        if not estimate.is_finite() or estimate <= 0 or estimate >= Decimal("10000000"):
            errors["estimate_person_days"] = _("Give the workload in person-days, above 0.")
        if budget and not ChangeBudget.objects.filter(contract=locked.contract,
                                                      code=budget).exists():
            errors["budget"] = _("%(value)s is not a change budget of this contract.") % {
                "value": budget}
        if design_document is not None and design_document.size \
                and design_document.size > MAX_DOCUMENT_BYTES:
            errors["design_document"] = _("The design document is larger than 20 MB.")
        if errors:
            raise ValidationError(errors)
        policy = _policy(locked.contract)
        change = change or RequirementChange(ticket=locked)
        change.estimate_person_days = estimate
        change.threshold_person_days = policy.threshold_person_days if policy else None
        change.budget = budget
        if design_document is not None:
            old = change.design_document.name if change.design_document else ""
            change.design_document.save(design_document.name or "design", design_document,
                                        save=False)
            track_new_file(change.design_document.storage, change.design_document.name or "")
            if old:
                storage = change.design_document.storage
                transaction.on_commit(lambda: storage.delete(old))
        change.save()
        TicketEvent.objects.create(
            ticket=locked, action="estimate", from_state=locked.state, to_state=locked.state,
            actor=actor, occurred_at=timezone.now(),
            data={"person_days": str(estimate), "budget": budget,
                  "over_threshold": change.over_threshold})
        return change


def _change_of(ticket: Ticket) -> RequirementChange:
    change = RequirementChange.objects.select_for_update().filter(ticket=ticket).first()
    if change is None:
        raise ValidationError({"estimate_person_days": _(
            "Record the workload estimate of the change first.")})
    return change


@transaction.atomic
def dispute_change(ticket: Ticket | int, actor: User, *, reason: str) -> RequirementChange:
    """Either party disputes whether the change is inside the contract (TKT-08)."""
    locked = _locked(ticket, None)
    if not actor.has_perm("tickets.add_requirementchange", locked):
        raise PermissionDenied(_("Your role may not do this."))
    change = _change_of(locked)
    _pending(change, locked)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is disputed.")})
    change.disputed, change.dispute_reason = True, reason.strip()
    change.save(update_fields=["disputed", "dispute_reason", "updated_at"])
    TicketEvent.objects.create(ticket=locked, action="dispute_change", from_state=locked.state,
                               to_state=locked.state, actor=actor, occurred_at=timezone.now(),
                               comment=reason.strip()[:500])
    return change


@transaction.atomic
def decide_change(ticket: Ticket | int, actor: User, *, decision: str,
                  note: str = "") -> RequirementChange:
    """The supervisor (监理) decides: included in the contract, extra cost, or rejected."""
    locked = _locked(ticket, None)
    if not actor.has_perm("tickets.decide_requirementchange", locked):
        raise PermissionDenied(_("Only the supervisor decides on requirement changes."))
    change = _change_of(locked)
    _pending(change, locked)
    if decision not in (ChangeDecision.INCLUDED, ChangeDecision.EXTRA, ChangeDecision.REJECTED):
        raise ValidationError({"decision": _("Decide: included, extra or rejected.")})
    if change.disputed and not note.strip():
        raise ValidationError({"note": _("Give the reasons for deciding a dispute.")})
    change.decision, change.supervisor_decision = decision, note.strip()
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save(update_fields=["decision", "supervisor_decision", "decided_by", "decided_at",
                               "updated_at"])
    TicketEvent.objects.create(ticket=locked, action="decide_change", from_state=locked.state,
                               to_state=locked.state, actor=actor, occurred_at=timezone.now(),
                               comment=note.strip()[:500], data={"decision": decision})
    return change


@dataclass(frozen=True)
class BudgetUse:
    """How much of a change budget the included changes consume, in person-days."""

    budget: ChangeBudget
    budget_days: Decimal
    used_days: Decimal
    pending_days: Decimal

    @property
    def left_days(self) -> Decimal:
        return self.budget_days - self.used_days

    @property
    def share(self) -> float:
        return float(self.used_days / self.budget_days) if self.budget_days else 0.0


def budget_consumption(contract: Contract) -> list[BudgetUse]:
    """Per budget: person-months × person-days per month, the estimates of the changes
    decided as included, and those still pending (TKT-08)."""
    policy = _policy(contract)
    per_month = policy.person_days_per_month if policy else Decimal("22.0")
    changes = RequirementChange.objects.filter(ticket__contract=contract).exclude(budget="")
    used = dict(changes.filter(decision=ChangeDecision.INCLUDED).values_list("budget")
                .annotate(s=Sum("estimate_person_days")))
    pending = dict(changes.filter(decision=ChangeDecision.PENDING).values_list("budget")
                   .annotate(s=Sum("estimate_person_days")))
    return [BudgetUse(b, (b.person_months * per_month).quantize(Decimal("0.1")),
                      used.get(b.code) or Decimal(0), pending.get(b.code) or Decimal(0))
            for b in ChangeBudget.objects.filter(contract=contract)]
