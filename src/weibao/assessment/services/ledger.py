"""The breach ledger (违约记录, ASM-03/04, SLA-10, PM-09, RPT-05, EMG-02).

``sync_ledger`` enters every breach the records prove — an SLA alert of kind breach, a visit
whose breach was recorded, a report whose breach was recorded, a drill whose breach was
recorded — exactly once, however often
and however many workers run it. A penalty by clause is applied by the purchaser
(``apply_penalty``). Statuses::

    action          who                      from                       to
    dispute_breach  vendor's manager         recorded                   disputed
    confirm_breach  purchaser                recorded (disputed only    confirmed
                                             without a supervisor)
    waive_breach    purchaser (with reason)  recorded, disputed         waived
    decide_breach   supervisor               disputed                   confirmed / waived

A waived breach stays in the ledger; it neither counts nor costs. Every action locks the
breach, checks the caller's ``expected_version``, bumps ``version``; the audit log keeps each
change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assessment.choices import BreachSource, BreachStatus
from weibao.assessment.models import AssessmentScheme, Breach, PenaltyRule
from weibao.assessment.services.errors import AssessmentConflict, lock_current
from weibao.contracts.choices import PartyRole
from weibao.contracts.models import Contract
from weibao.core.errors import ServiceError
from weibao.emergency.models import Drill
from weibao.maintenance.models import Visit
from weibao.maintenance.schedule import day_bounds
from weibao.reports.models import Submission
from weibao.tickets.choices import AlertKind
from weibao.tickets.models import SlaAlert
from weibao.utils.money import share_of

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["COUNTING", "LedgerSummary", "apply_penalty", "confirm_breach", "decide_breach",
           "dispute_breach", "has_supervisor", "ledger_summary", "period_bounds", "sync_ledger",
           "waive_breach"]

#: The statuses that count and cost (a waived breach does neither).
COUNTING = (BreachStatus.RECORDED, BreachStatus.DISPUTED, BreachStatus.CONFIRMED)


def period_bounds(start: datetime.date,
                  end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """A period of whole local days, ``[start 00:00, the day after end 00:00)``."""
    return day_bounds(start)[0], day_bounds(end)[1]


def _penalty(amount: Decimal, percent: Decimal | None) -> Decimal:
    return share_of(amount, percent) if percent else Decimal("0.00")


def _missing(contracts: list[int] | None) -> list[Breach]:
    """The breaches the records prove that the ledger does not hold yet (four queries)."""
    def scoped(queryset: Any) -> Any:
        return queryset if contracts is None else queryset.filter(contract_id__in=contracts)

    rows: list[Breach] = []
    alerts = scoped(SlaAlert.objects.filter(kind=AlertKind.BREACH, ledger_entry__isnull=True))
    for pk, contract_id, amount, at, percent, stage, number in alerts.values_list(
            "pk", "contract_id", "contract__amount", "at", "penalty_percent", "stage",
            "ticket__number"):
        rows.append(Breach(
            contract_id=contract_id, source=BreachSource.SLA, sla_alert_id=pk, occurred_at=at,
            penalty_percent=percent, penalty_amount=_penalty(amount, percent),
            description=(_("Ticket %(number)s: stage %(stage)s missed")
                         % {"number": number, "stage": stage})[:300]))
    visits = scoped(Visit.objects.filter(breach_recorded_at__isnull=False,
                                         ledger_entry__isnull=True))
    for pk, contract_id, amount, end, percent, plan, site in visits.values_list(
            "pk", "contract_id", "contract__amount", "window_end", "penalty_percent",
            "plan__name", "site__name"):
        where = f"{plan} · {site}" if site else plan
        rows.append(Breach(
            contract_id=contract_id, source=BreachSource.INSPECTION, visit_id=pk,
            occurred_at=end, penalty_percent=percent, penalty_amount=_penalty(amount, percent),
            description=(_("Inspection missed: %(visit)s") % {"visit": where})[:300]))
    submissions = scoped(Submission.objects.filter(breach_recorded_at__isnull=False,
                                                   ledger_entry__isnull=True))
    for pk, contract_id, amount, due, percent, name, key in submissions.values_list(
            "pk", "contract_id", "contract__amount", "due_at", "penalty_percent",
            "deliverable__name", "key"):
        rows.append(Breach(
            contract_id=contract_id, source=BreachSource.DELIVERABLE, submission_id=pk,
            occurred_at=due, penalty_percent=percent, penalty_amount=_penalty(amount, percent),
            description=(_("Report late or missing: %(report)s %(key)s")
                         % {"report": name, "key": key})[:300]))
    drills = scoped(Drill.objects.filter(breach_recorded_at__isnull=False,
                                         ledger_entry__isnull=True))
    for pk, contract_id, amount, end, percent, rule, system, sequence in drills.values_list(
            "pk", "contract_id", "contract__amount", "window_end", "penalty_percent",
            "rule__name", "system__name", "sequence"):
        rows.append(Breach(
            contract_id=contract_id, source=BreachSource.DRILL, drill_id=pk,
            occurred_at=end, penalty_percent=percent, penalty_amount=_penalty(amount, percent),
            description=(_("Drill missed: %(rule)s · %(system)s #%(number)s")
                         % {"rule": rule, "system": system, "number": sequence})[:300]))
    return rows


def sync_ledger(contract: Contract | None = None) -> int:
    """Enter the breaches the records prove (of one contract, or of all); returns how many
    were entered. Set-based: a fixed number of queries whatever the number of records.
    Idempotent, also for two workers at once: each locks the contracts it enters breaches of
    (in id order) and looks again; the one-to-one links refuse a second row anyway."""
    scope = None if contract is None else [contract.pk]
    with transaction.atomic():
        found = _missing(scope)
        if not found:
            return 0
        ids = sorted({row.contract_id for row in found})
        list(Contract.objects.select_for_update().filter(pk__in=ids).order_by("pk")
             .values_list("pk", flat=True))
        rows = _missing(ids)
        Breach.objects.bulk_create(rows, ignore_conflicts=True)
        # bulk_create sends no post_save: the cockpits of these contracts recompute.
        from weibao.assessment.cockpit import invalidate  # the cockpit reads this module


        def _invalidate() -> None:
            for pk in ids:
                invalidate(pk)

        transaction.on_commit(_invalidate)
    return len(rows)


@dataclass(frozen=True)
class LedgerSummary:
    """A period's breaches: how many count, what they cost, how many were waived, and whether
    the purchaser may terminate (ASM-03) with the termination penalty it would claim."""

    count: int
    penalties: Decimal
    waived: int
    termination_breaches: int | None
    termination_right: bool
    termination_penalty: Decimal | None


def ledger_summary(contract: Contract, start: datetime.date | None = None,
                   end: datetime.date | None = None) -> LedgerSummary:
    """Counting breaches (recorded, disputed, confirmed) whose time falls in the period (the
    whole ledger without one), the sum of their penalties, and the termination right when
    the count reaches the scheme's threshold. The termination penalty is a right, never added
    to the penalties."""
    rows = Breach.objects.filter(contract=contract)
    if start is not None and end is not None:
        since, until = period_bounds(start, end)
        rows = rows.filter(occurred_at__gte=since, occurred_at__lt=until)
    figures = rows.aggregate(
        count=Count("id", filter=Q(status__in=COUNTING)),
        penalties=Sum("penalty_amount", filter=Q(status__in=COUNTING)),
        waived=Count("id", filter=Q(status=BreachStatus.WAIVED)))
    scheme = AssessmentScheme.objects.filter(contract=contract).first()
    threshold = scheme.termination_breaches if scheme else None
    right = threshold is not None and threshold > 0 and figures["count"] >= threshold
    percent = scheme.termination_penalty_percent if scheme else None
    return LedgerSummary(
        count=figures["count"], penalties=figures["penalties"] or Decimal("0.00"),
        waived=figures["waived"], termination_breaches=threshold, termination_right=right,
        termination_penalty=share_of(contract.amount, percent) if percent is not None else None)


# -- actions on one breach ---------------------------------------------------------------


def _locked(breach: Breach | int, expected_version: int | None) -> Breach:
    return lock_current(Breach, breach, expected_version, _(
        "Someone changed this breach in the meantime (version %(current)s, you had "
        "%(expected)s); reload it and try again."))


def _require(user: User, perm: str, contract: Contract, message: str) -> None:
    if not user.has_perm(perm, contract):
        raise PermissionDenied(message)


def _reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ServiceError({"reason": [message]})
    return text


def _state(breach: Breach, allowed: tuple[str, ...], message: str) -> None:
    if breach.status not in allowed:
        raise AssessmentConflict(message % {"status": BreachStatus(breach.status).label},
                                 version=breach.version)


def _save(breach: Breach, user: User, status: str, reason: str, *, decided: bool) -> Breach:
    breach.status, breach.reason = status, reason
    fields = ["status", "reason", "version", "updated_at"]
    if decided:
        breach.decided_by, breach.decided_at = user, timezone.now()
        fields += ["decided_by", "decided_at"]
    breach.version += 1
    breach.save(update_fields=fields)
    return breach


def has_supervisor(contract: Contract) -> bool:
    return contract.parties.filter(role=PartyRole.SUPERVISOR).exists()


@transaction.atomic
def dispute_breach(breach: Breach | int, user: User, reason: str, *,
                   expected_version: int | None = None) -> Breach:
    """The vendor's manager disputes a recorded breach, saying why (ASM-06)."""
    locked = _locked(breach, expected_version)
    _require(user, "assessment.dispute_breach", locked.contract,
             _("Your role may not dispute breaches of this contract."))
    text = _reason(reason, _("Say why the breach is disputed."))
    _state(locked, (BreachStatus.RECORDED,),
           _("Only a recorded breach can be disputed; this one is %(status)s."))
    return _save(locked, user, BreachStatus.DISPUTED, text, decided=False)


@transaction.atomic
def waive_breach(breach: Breach | int, user: User, reason: str, *,
                 expected_version: int | None = None) -> Breach:
    """The purchaser waives a recorded or disputed breach with a reason: the row stays, its
    penalty and its count drop."""
    locked = _locked(breach, expected_version)
    _require(user, "assessment.waive_breach", locked.contract,
             _("Your role may not waive breaches of this contract."))
    text = _reason(reason, _("Say why the breach is waived."))
    _state(locked, (BreachStatus.RECORDED, BreachStatus.DISPUTED),
           _("Only a recorded or disputed breach can be waived; this one is %(status)s."))
    return _save(locked, user, BreachStatus.WAIVED, text, decided=True)


@transaction.atomic
def confirm_breach(breach: Breach | int, user: User, reason: str = "", *,
                   expected_version: int | None = None) -> Breach:
    """The purchaser confirms a recorded breach; a disputed one only when the contract has no
    supervisor to decide it."""
    locked = _locked(breach, expected_version)
    _require(user, "assessment.waive_breach", locked.contract,
             _("Your role may not confirm breaches of this contract."))
    allowed: tuple[str, ...] = (BreachStatus.RECORDED,)
    if not has_supervisor(locked.contract):
        allowed += (BreachStatus.DISPUTED,)
    elif locked.status == BreachStatus.DISPUTED:
        raise AssessmentConflict(_("The supervisor decides a disputed breach."),
                                 version=locked.version)
    _state(locked, allowed,
           _("Only a recorded breach can be confirmed; this one is %(status)s."))
    text = (reason or "").strip() or locked.reason
    return _save(locked, user, BreachStatus.CONFIRMED, text, decided=True)


@transaction.atomic
def decide_breach(breach: Breach | int, user: User, *, upheld: bool, reason: str,
                  expected_version: int | None = None) -> Breach:
    """The supervisor decides a disputed breach: upheld (confirmed) or waived, with the
    reason of the decision."""
    locked = _locked(breach, expected_version)
    _require(user, "assessment.decide_breach", locked.contract,
             _("Your role may not decide disputed breaches of this contract."))
    text = _reason(reason, _("Give the reason of the decision."))
    _state(locked, (BreachStatus.DISPUTED,),
           _("Only a disputed breach is decided; this one is %(status)s."))
    return _save(locked, user, BreachStatus.CONFIRMED if upheld else BreachStatus.WAIVED,
                 text, decided=True)


@transaction.atomic
def apply_penalty(contract: Contract, user: User, rule: PenaltyRule, percent: Decimal,
                  occurred_at: datetime.datetime, description: str, reason: str,
                  evidence: Any = None) -> Breach:
    """ASM-04: the purchaser applies a penalty by clause (未按时整改, 虚假承诺, 廉洁协议 1–5 %)
    within the rule's range, with a reason and optionally a proof."""
    _require(user, "assessment.add_breach", contract,
             _("Your role may not apply penalties on this contract."))
    Contract.objects.select_for_update().filter(pk=contract.pk).exists()
    errors: dict[str, list[str]] = {}
    if rule.contract_id != contract.pk:
        errors["rule"] = [_("The penalty rule belongs to another contract.")]
    try:
        value = Decimal(percent)
    except (ArithmeticError, TypeError, ValueError):
        value = None
    if value is None or not rule.min_percent <= value <= rule.max_percent:
        errors["percent"] = [_("The clause allows %(min)s%% to %(max)s%% of the contract.")
                             % {"min": rule.min_percent.normalize(),
                                "max": rule.max_percent.normalize()}]
    if occurred_at is None:
        errors["occurred_at"] = [_("Give the time of the breach.")]
    elif occurred_at > timezone.now():
        errors["occurred_at"] = [_("A breach is recorded once it has happened.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe the breach.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the penalty applies.")]
    if errors:
        raise ServiceError(errors)
    assert value is not None
    breach = Breach(contract=contract, source=BreachSource.OTHER, penalty_rule=rule,
                    occurred_at=occurred_at, description=description.strip()[:300],
                    penalty_percent=value, penalty_amount=share_of(contract.amount, value),
                    reason=reason.strip(), entered_by=user)
    if evidence:
        breach.evidence = evidence
    breach.save()
    return breach
