"""Writes of the ticket lifecycle (TKT-01..05, SLA-09): each a typed function, one transaction,
the ticket row locked, its version checked and raised, the timeline written, the SLA
re-evaluated."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Max, When
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.core.choices import Role
from weibao.notifications import publishers as notify
from weibao.sla.choices import FaultScope
from weibao.tickets.choices import Channel, ClaimStatus, Priority, TicketState
from weibao.tickets.models import (
    EVENT_FIELDS,
    Ticket,
    TicketEvent,
    TicketPause,
    TicketSequence,
    TicketStage,
    TicketType,
    TicketVendor,
)
from weibao.tickets.services.errors import IllegalTransition, StaleTicket, TicketConflict
from weibao.tickets.services.sla import assess, refresh_sla
from weibao.tickets.workflow import ACTIONS, DONE_STATES, allowed_for, permitted, target_of

if TYPE_CHECKING:
    from weibao.core.models import Organisation, User
    from weibao.sites.models import Site

__all__ = ["CONFIRM_PERMISSION", "TicketInput", "accept", "add_vendor", "assign",
           "claim_tolerance", "create_ticket", "decide_claim", "needs_confirmation",
           "override_level", "pause", "progress_update", "raise_priority", "resume",
           "transition"]

# A step entered more than this after it happened is marked as entered after the fact.
BACKDATE_TOLERANCE = datetime.timedelta(minutes=2)
# Clocks of phones and servers differ a little; a time further ahead is refused.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
# Who confirms or rejects the times the vendor claims for its own steps (the purchaser).
CONFIRM_PERMISSION = "tickets.confirm_ticketevent"


def claim_tolerance() -> datetime.timedelta:
    """How far a vendor may backdate its own step without the purchaser's confirmation
    (``WEIBAO_BACKDATE_TOLERANCE_MINUTES``)."""
    return datetime.timedelta(minutes=settings.WEIBAO_BACKDATE_TOLERANCE_MINUTES)


def needs_confirmation(actor: User, ticket: Ticket, at: datetime.datetime,
                       now: datetime.datetime) -> bool:
    """A time claimed beyond the tolerance by someone who cannot confirm it themselves (the
    vendor's staff) waits for the purchaser; the purchaser's own entries need nobody."""
    return now - at > claim_tolerance() and not actor.has_perm(CONFIRM_PERMISSION, ticket)


@dataclass
class TicketInput:
    contract: Contract
    ticket_type: TicketType
    title: str
    description: str = ""
    channel: str = Channel.PHONE
    scope: str = FaultScope.SMALL
    site: Site | None = None
    assets: list[Any] = field(default_factory=list)
    reporter: User | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reported_at: datetime.datetime | None = None
    priority: str = Priority.NORMAL
    priority_reason: str = ""


def _check_time(at: datetime.datetime, now: datetime.datetime, name: str,
                not_before: datetime.datetime | None = None) -> None:
    if timezone.is_naive(at):
        raise ValidationError({name: _("Give the time with its time zone.")})
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError({name: _("The time %(time)s is in the future.")
                               % {"time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}})
    if not_before is not None and at < not_before:
        raise ValidationError({name: _("The time cannot be before the ticket's previous step "
                                       "(%(time)s).")
                               % {"time": timezone.localtime(not_before)
                                  .strftime("%Y-%m-%d %H:%M:%S")}})


def _validate_input(data: TicketInput) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the ticket a title.")
    if data.ticket_type.contract_id != data.contract.pk:
        errors["ticket_type"] = _("This ticket type belongs to another contract.")
    if data.site is not None and data.site.contract_id != data.contract.pk:
        errors["site"] = _("This site belongs to another contract.")
    for asset in data.assets:
        if asset.contract_id != data.contract.pk:
            errors["assets"] = _("Asset %(asset)s belongs to another contract.") % {
                "asset": asset}
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel %(value)s.") % {"value": data.channel}
    if data.scope not in FaultScope.values:
        errors["scope"] = _("Unknown scope %(value)s.") % {"value": data.scope}
    if data.priority == Priority.HIGH and not data.priority_reason.strip():
        errors["priority_reason"] = _("Say why the priority is raised.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_ticket(data: TicketInput, actor: User,
                  now: datetime.datetime | None = None) -> Ticket:
    """Open a ticket (TKT-01). ``reported_at`` earlier than now records a report taken by
    phone and entered later: allowed, marked as entered by whom and when."""
    now = now or timezone.now()
    _validate_input(data)
    reported_at = data.reported_at or now
    _check_time(reported_at, now, "reported_at")
    if actor.role == Role.SITE_STAFF and (data.site is None
                                          or data.site.organisation_id != actor.organisation_id):
        raise ValidationError({"site": _("Site staff report faults of their own site.")})
    sequence = _next_number(data.contract)
    reporter = data.reporter or actor
    ticket = Ticket(
        contract=data.contract, number=f"{data.contract.pk:03d}-{sequence:08d}",
        title=data.title.strip(), description=data.description, ticket_type=data.ticket_type,
        channel=data.channel, scope=data.scope, site=data.site, reporter=reporter,
        reporter_name=data.reporter_name or reporter.get_full_name(),
        reporter_phone=data.reporter_phone, priority=data.priority,
        priority_reason=data.priority_reason, reported_at=reported_at, created_by=actor)
    # The SLA is evaluated before the row is written, so the ticket is inserted with its
    # level, status and next due time, and its stages follow in one statement.
    # Assets in their model's order (name, pk), as ``ticket.assets.all()`` reads them on every
    # later evaluation: the first decides the asset type the targets select on.
    assets = sorted({asset.pk: asset for asset in data.assets}.values(),
                    key=lambda asset: (asset.name, asset.pk))
    assessment = assess(ticket, now, assets=assets, pauses=[])
    ticket.save(force_insert=True)
    if assets:
        Ticket.assets.through.objects.bulk_create(
            [Ticket.assets.through(ticket=ticket, asset=asset) for asset in assets])
    TicketEvent.objects.create(
        ticket=ticket, action="report", to_state=TicketState.REPORTED, actor=actor,
        occurred_at=reported_at, recorded_at=now,
        backdated=now - reported_at > BACKDATE_TOLERANCE,
        comment=data.description[:500])
    TicketStage.objects.bulk_create(assessment.stages)
    ticket.remember_stages(assessment.stages)
    notify.ticket_reported(ticket)  # after commit (TKT-01)
    return ticket


def _next_number(contract: Contract) -> int:
    """The contract's next ticket number, in one statement whose row lock serialises
    concurrent reports (call inside the creating transaction)."""
    quote = connection.ops.quote_name
    table, last, key = (quote(TicketSequence._meta.db_table), quote("last_number"),
                        quote("contract_id"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {last} = {last} + 1 WHERE {key} = %s "  # noqa: S608
                       f"RETURNING {last}", [contract.pk])
        row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        # The contract's first number since sequences exist (a new contract, or tickets
        # loaded by other means): continue after the highest number stored.
        Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk").first()
        highest = Ticket.objects.filter(contract=contract).aggregate(n=Max("number"))["n"]
        start = int(highest.rsplit("-", 1)[-1]) + 1 if highest else 1
        cursor.execute(f"INSERT INTO {table} ({key}, {last}) VALUES (%s, %s) "  # noqa: S608
                       f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 "
                       f"RETURNING {last}", [contract.pk, start])
        return int(cursor.fetchone()[0])


def _locked(ticket: Ticket | int, expected_version: int | None) -> Ticket:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    locked = (Ticket.objects.select_for_update().select_related("contract", "ticket_type")
              .get(pk=pk))
    if expected_version is not None and locked.version != expected_version:
        raise StaleTicket(
            _("Ticket %(number)s was changed by someone else meanwhile (version %(have)s, "
              "you had %(given)s); reload it and try again.")
            % {"number": locked.number, "have": locked.version, "given": expected_version},
            version=locked.version, allowed=allowed_for(locked))
    return locked


# The time a timeline entry counts for the SLA (``TicketEvent.counted_at`` in SQL).
_COUNTED = Case(When(claim_status__in=[ClaimStatus.PENDING, ClaimStatus.REJECTED],
                     then=F("recorded_at")), default=F("occurred_at"))
_STEPS = ("report", *ACTIONS)
# The entries a step's time may not precede: the lifecycle steps and the clocks' pauses and
# progress updates. Bookkeeping stamped when it is entered (taking or assigning the ticket,
# priority, fault level, the decision on a claimed time, the work records) is no step: an
# engineer who takes the ticket at 10:30 may still enter that he acknowledged at 10:10.
_ORDERED = (*_STEPS, "pause", "resume", "progress")


def _last_time(ticket: Ticket) -> datetime.datetime:
    last = ticket.events.filter(action__in=_ORDERED).aggregate(t=Max("occurred_at"))["t"]
    return last or ticket.reported_at


def _counted_floor(ticket: Ticket) -> datetime.datetime:
    """The latest time an earlier lifecycle step counts for: a step never counts before it,
    so the clock events stay in the order the steps happened even while an earlier step's
    claimed time waits (its entry time counts) — no stage stops before it starts."""
    last = ticket.events.filter(action__in=_STEPS).aggregate(t=Max(_COUNTED))["t"]
    return max(last, ticket.reported_at) if last else ticket.reported_at


def _replay_clock(ticket: Ticket) -> list[str]:
    """Set the ticket's clock events again from its timeline, each step at the time it
    counts (after a claimed time was decided). Returns the fields changed."""
    times: dict[str, datetime.datetime] = {"reported": ticket.reported_at}
    floor = ticket.reported_at
    steps = (ticket.events.filter(action__in=ACTIONS).annotate(counted=_COUNTED)
             .order_by("occurred_at", "pk").values_list("action", "counted"))
    for action, counted in steps:
        spec = ACTIONS[action]
        floor = max(floor, counted)
        for event in spec.clears:
            times.pop(event, None)
        for event in spec.events:
            times[event] = floor
        for event in spec.fills:
            times.setdefault(event, floor)
    changed = []
    for event, name in EVENT_FIELDS.items():
        value = times.get(event)
        if event != "reported" and getattr(ticket, name) != value:
            setattr(ticket, name, value)
            changed.append(name)
    return changed


def _bump(ticket: Ticket, fields: list[str]) -> None:
    ticket.version += 1
    ticket.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def transition(ticket: Ticket | int, action: str, actor: User, *,
               at: datetime.datetime | None = None, comment: str = "",
               expected_version: int | None = None, location: str = "",
               now: datetime.datetime | None = None) -> Ticket:
    """Apply one step of the lifecycle table (TKT-04) as ``actor``.

    Illegal from the current state → :class:`IllegalTransition` naming the allowed steps;
    a stale ``expected_version`` → :class:`StaleTicket`. ``at`` is when it happened (default
    now); earlier times are recorded as entered after the fact."""
    now = now or timezone.now()
    spec = ACTIONS.get(action)
    if spec is None:
        raise ValidationError({"action": _("Unknown action %(action)s.") % {"action": action}})
    locked = _locked(ticket, expected_version)
    if action not in allowed_for(locked):
        if locked.state in spec.sources:  # allowed once only (acknowledge): done already
            message = _("%(action)s was recorded already.") % {"action": spec.label}
        else:
            message = (_("%(action)s is not possible while the ticket is %(state)s.")
                       % {"action": spec.label, "state": TicketState(locked.state).label})
        raise IllegalTransition(message, allowed=allowed_for(locked), version=locked.version)
    if not permitted(spec, locked.state, actor, locked):
        raise PermissionDenied(_("Your role may not do this."))
    if action == "close" and locked.state == TicketState.RESTORED \
            and locked.ticket_type.fault_report_required:
        raise IllegalTransition(
            _("This ticket type needs a fault report verified by the purchaser before it "
              "closes (TKT-06)."), allowed=allowed_for(locked), version=locked.version)
    at = at or now
    _check_time(at, now, "at", not_before=_last_time(locked))
    # Item 6: a vendor's step claimed well before it was entered counts from its entry until
    # the purchaser confirms the claimed time (``decide_claim``).
    pending = spec.claim and needs_confirmation(actor, locked, at, now)
    counted = max(now if pending else at, _counted_floor(locked))
    fields = []
    from_state = locked.state
    target = target_of(spec, locked.state)
    if target is not None:
        locked.state = target
        fields.append("state")
    for event in spec.clears:
        setattr(locked, EVENT_FIELDS[event], None)
        fields.append(EVENT_FIELDS[event])
    stamped = [*spec.events,
               *(event for event in spec.fills if getattr(locked, EVENT_FIELDS[event]) is None)]
    for event in stamped:
        setattr(locked, EVENT_FIELDS[event], counted)
        fields.append(EVENT_FIELDS[event])
    if action == "arrive" and location:
        locked.arrival_location = location[:200]
        fields.append("arrival_location")
    if action in ("restore", "close") and locked.paused_state:
        _end_pause(locked, actor, at)
        fields.append("paused_state")
    _bump(locked, fields)
    data: dict[str, Any] = {"location": location} if location else {}
    TicketEvent.objects.create(ticket=locked, action=action, from_state=from_state,
                               to_state=locked.state, actor=actor, occurred_at=at,
                               recorded_at=now, backdated=now - at > BACKDATE_TOLERANCE,
                               claim_status=ClaimStatus.PENDING if pending
                               else ClaimStatus.NONE, comment=comment, data=data)
    refresh_sla(locked, now)
    if action == "restore":
        _archive_assets(locked, actor, at, comment)
    return locked


@transaction.atomic
def decide_claim(event: TicketEvent | int, confirm: bool, actor: User, *, comment: str = "",
                 expected_version: int | None = None,
                 now: datetime.datetime | None = None) -> Ticket:
    """The purchaser confirms or rejects a time the vendor claimed for its own step.

    Confirmed: the clock events that step stamped (or the pause) take the claimed time —
    never before an earlier step counts, and not where a later step cleared them (reopen) —
    and the SLA is evaluated again.
    Rejected: the entry time stays. Either way the decision is on the timeline, by whom and
    when, and the ticket change is in the audit log (PLT-03)."""
    now = now or timezone.now()
    pk = event.pk if isinstance(event, TicketEvent) else event
    ticket_id = TicketEvent.objects.values_list("ticket_id", flat=True).get(pk=pk)
    locked = _locked(ticket_id, expected_version)
    claim = TicketEvent.objects.select_for_update().get(pk=pk)
    if not actor.has_perm(CONFIRM_PERMISSION, locked):
        raise PermissionDenied(_("Only the purchaser confirms the times the vendor claims."))
    if claim.claim_status != ClaimStatus.PENDING:
        raise TicketConflict(_("This time was decided already."), version=locked.version,
                             allowed=allowed_for(locked))
    if not confirm and not comment.strip():
        raise ValidationError({"comment": _("Say why the claimed time is rejected.")})
    if confirm and claim.data.get("pause"):
        TicketPause.objects.filter(pk=claim.data["pause"], started_at=claim.recorded_at) \
            .update(started_at=claim.occurred_at)
    claim.claim_status = ClaimStatus.CONFIRMED if confirm else ClaimStatus.REJECTED
    claim.claim_decided_by, claim.claim_decided_at = actor, now
    claim.save(update_fields=["claim_status", "claim_decided_by", "claim_decided_at"])
    # Every clock event again from the timeline: the claimed time where confirmed, never
    # before an earlier step, and nothing a later step cleared (reopen) comes back.
    _bump(locked, _replay_clock(locked))
    TicketEvent.objects.create(
        ticket=locked, action="confirm_time" if confirm else "reject_time",
        from_state=locked.state, to_state=locked.state, actor=actor, occurred_at=now,
        recorded_at=now, comment=comment,
        data={"event": claim.pk, "action": claim.action,
              "claimed": claim.occurred_at.isoformat(),
              "entered": claim.recorded_at.isoformat()})
    refresh_sla(locked, now)
    return locked


@transaction.atomic
def progress_update(ticket: Ticket | int, actor: User, text: str, *,
                    at: datetime.datetime | None = None, expected_version: int | None = None,
                    now: datetime.datetime | None = None) -> Ticket:
    """处理期间通报进展: the vendor's engineer or manager reports progress on an open ticket.
    No state changes; the update is on the timeline and counts for a recurring stage ("every
    30 minutes while the ticket is open"). Backdated beyond the tolerance, it counts from its
    entry until the purchaser confirms it."""
    now = now or timezone.now()
    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.work_ticket", locked) \
            or actor.role not in (Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER):
        raise PermissionDenied(_("Only the vendor's engineers report progress."))
    if locked.state in DONE_STATES:
        raise TicketConflict(_("Progress is reported while the ticket is open; this one is "
                               "restored."), version=locked.version, allowed=allowed_for(locked))
    if not text.strip():
        raise ValidationError({"comment": _("Say what progress was made.")})
    at = at or now
    _check_time(at, now, "at", not_before=_last_time(locked))
    pending = needs_confirmation(actor, locked, at, now)
    _bump(locked, [])
    TicketEvent.objects.create(ticket=locked, action="progress", from_state=locked.state,
                               to_state=locked.state, actor=actor, occurred_at=at,
                               recorded_at=now, backdated=now - at > BACKDATE_TOLERANCE,
                               claim_status=ClaimStatus.PENDING if pending
                               else ClaimStatus.NONE, comment=text.strip())
    refresh_sla(locked, now)
    return locked


def _archive_assets(ticket: Ticket, actor: User, at: datetime.datetime, comment: str) -> None:
    """AST-03: a repair lands in each affected asset's device archive."""
    from weibao.assets.choices import EventKind
    from weibao.assets.services.archive import record_asset_event

    for asset in ticket.assets.all():
        record_asset_event(asset, EventKind.REPAIR, at, actor,
                           _("Ticket %(number)s restored: %(title)s")
                           % {"number": ticket.number, "title": ticket.title},
                           details={"comment": comment} if comment else None,
                           source_kind="ticket", source_id=str(ticket.pk))


def _end_pause(ticket: Ticket, actor: User, at: datetime.datetime) -> None:
    TicketPause.objects.filter(ticket=ticket, ended_at__isnull=True).update(
        ended_at=at, ended_by=actor)
    ticket.paused_state = ""


@transaction.atomic
def pause(ticket: Ticket | int, state: str, reason: str, actor: User, *,
          at: datetime.datetime | None = None, expected_version: int | None = None,
          now: datetime.datetime | None = None) -> Ticket:
    """SLA-09: pause the clocks in a state the contract allows, with a reason."""
    from weibao.sla.selectors import cached_contract_policy

    now = now or timezone.now()
    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.work_ticket", locked):
        raise PermissionDenied(_("Your role may not do this."))
    if locked.paused_state:
        raise TicketConflict(_("The ticket is already paused."), version=locked.version)
    if locked.state in DONE_STATES:
        raise TicketConflict(_("A restored ticket has no running clock to pause."),
                             version=locked.version)
    policy = cached_contract_policy(locked.contract)
    allowed = list(policy.pause_states) if policy else []
    if state not in allowed:
        raise ValidationError({"state": _(
            "State %(state)s does not pause the clocks under this contract (SLA-09); pausing "
            "states: %(allowed)s.") % {"state": state,
                                       "allowed": ", ".join(allowed) or _("none")}})
    if not reason.strip():
        raise ValidationError({"reason": _("Every pause needs its reason (SLA-09).")})
    at = at or now
    _check_time(at, now, "at", not_before=_last_time(locked))
    # A pause started earlier than claimed stops the clocks in the vendor's favour: beyond
    # the tolerance it counts from its entry until the purchaser confirms it.
    pending = needs_confirmation(actor, locked, at, now)
    record = TicketPause.objects.create(ticket=locked, state=state, reason=reason.strip(),
                                        started_at=now if pending else at, started_by=actor)
    locked.paused_state = state
    _bump(locked, ["paused_state"])
    TicketEvent.objects.create(ticket=locked, action="pause", from_state=locked.state,
                               to_state=locked.state, actor=actor, occurred_at=at,
                               recorded_at=now, backdated=now - at > BACKDATE_TOLERANCE,
                               claim_status=ClaimStatus.PENDING if pending
                               else ClaimStatus.NONE, comment=reason,
                               data={"pause_state": state, "pause": record.pk})
    refresh_sla(locked, now)
    return locked


@transaction.atomic
def resume(ticket: Ticket | int, actor: User, *, at: datetime.datetime | None = None,
           expected_version: int | None = None,
           now: datetime.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.work_ticket", locked):
        raise PermissionDenied(_("Your role may not do this."))
    if not locked.paused_state:
        raise TicketConflict(_("The ticket is not paused."), version=locked.version)
    at = at or now
    _check_time(at, now, "at", not_before=_last_time(locked))
    state = locked.paused_state
    _end_pause(locked, actor, at)
    _bump(locked, ["paused_state"])
    TicketEvent.objects.create(ticket=locked, action="resume", from_state=locked.state,
                               to_state=locked.state, actor=actor, occurred_at=at,
                               recorded_at=now, backdated=now - at > BACKDATE_TOLERANCE,
                               data={"pause_state": state})
    refresh_sla(locked, now)
    return locked


def _engineer_of(ticket: Ticket, engineer: User) -> None:
    vendor = ticket.contract.vendor
    if engineer.role not in (Role.VENDOR_ENGINEER, Role.VENDOR_MANAGER) or vendor is None \
            or engineer.organisation_id != vendor.organisation_id:
        raise ValidationError({"assignee": _("%(user)s is not an engineer of this contract's "
                                             "vendor.") % {"user": engineer}})


@transaction.atomic
def assign(ticket: Ticket | int, engineer: User | None, actor: User, *, comment: str = "",
           expected_version: int | None = None) -> Ticket:
    """Dispatch: assign or reassign an engineer (TKT-05: whatever the cause)."""
    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.assign_ticket", locked):
        raise PermissionDenied(_("Your role may not do this."))
    if engineer is not None:
        _engineer_of(locked, engineer)
    previous = locked.assignee
    locked.assignee = engineer
    _bump(locked, ["assignee"])
    event = TicketEvent.objects.create(
        ticket=locked, action="assign", from_state=locked.state, to_state=locked.state,
        actor=actor, occurred_at=timezone.now(), comment=comment,
        data={"from": previous.username if previous else "",
              "to": engineer.username if engineer else ""})
    notify.ticket_assigned(locked, event.pk)
    return locked


@transaction.atomic
def accept(ticket: Ticket | int, engineer: User, *,
           expected_version: int | None = None) -> Ticket:
    """An engineer takes an unassigned ticket; when two take it at once exactly one wins and
    the other gets a conflict."""
    locked = _locked(ticket, expected_version)
    if not engineer.has_perm("tickets.work_ticket", locked):
        raise PermissionDenied(_("Your role may not do this."))
    _engineer_of(locked, engineer)
    if locked.assignee_id is not None and locked.assignee_id != engineer.pk:
        raise TicketConflict(_("%(user)s has already taken this ticket.")
                             % {"user": locked.assignee}, version=locked.version,
                             allowed=allowed_for(locked))
    if locked.assignee_id == engineer.pk:
        return locked
    locked.assignee = engineer
    _bump(locked, ["assignee"])
    TicketEvent.objects.create(ticket=locked, action="accept", from_state=locked.state,
                               to_state=locked.state, actor=engineer,
                               occurred_at=timezone.now())
    return locked


@transaction.atomic
def raise_priority(ticket: Ticket | int, actor: User, reason: str, *,
                   expected_version: int | None = None) -> Ticket:
    """TKT-03: the purchaser raises the priority (高优先级用户), with a reason."""
    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.prioritise_ticket", locked):
        raise PermissionDenied(_("Only the purchaser raises the priority."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the priority is raised.")})
    locked.priority, locked.priority_reason = Priority.HIGH, reason.strip()[:300]
    _bump(locked, ["priority", "priority_reason"])
    event = TicketEvent.objects.create(
        ticket=locked, action="raise_priority", from_state=locked.state, to_state=locked.state,
        actor=actor, occurred_at=timezone.now(), comment=reason)
    refresh_sla(locked)
    notify.ticket_escalated(locked, event.pk, reason)
    return locked


@transaction.atomic
def override_level(ticket: Ticket | int, actor: User, level: str, reason: str, *,
                   expected_version: int | None = None) -> Ticket:
    """TKT-03: the purchaser sets the fault level, overriding the classification, with a
    reason; an empty level returns to the classified one."""
    from weibao.sla.selectors import cached_contract_policy

    locked = _locked(ticket, expected_version)
    if not actor.has_perm("tickets.prioritise_ticket", locked):
        raise PermissionDenied(_("Only the purchaser overrides the fault level."))
    policy = cached_contract_policy(locked.contract)
    levels = [lv.code for lv in policy.levels] if policy else []
    if level and level not in levels:
        raise ValidationError({"level": _("Unknown fault level %(level)s; this contract has: "
                                          "%(levels)s.")
                               % {"level": level, "levels": ", ".join(levels) or _("none")}})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the fault level is changed.")})
    locked.fault_level_override, locked.fault_level_reason = level, reason.strip()[:300]
    _bump(locked, ["fault_level_override", "fault_level_reason"])
    event = TicketEvent.objects.create(
        ticket=locked, action="override_level", from_state=locked.state,
        to_state=locked.state, actor=actor, occurred_at=timezone.now(), comment=reason,
        data={"level": level})
    refresh_sla(locked)
    notify.ticket_escalated(locked, event.pk, reason)
    return locked


@transaction.atomic
def add_vendor(ticket: Ticket | int, actor: User, *, organisation: Organisation | None = None,
               name: str = "", role: str = "") -> TicketVendor:
    """TKT-05 无推诿: record another vendor involved; the ticket stays with this vendor."""
    locked = _locked(ticket, None)
    if not actor.has_perm("tickets.work_ticket", locked):
        raise PermissionDenied(_("Your role may not do this."))
    if organisation is None and not name.strip():
        raise ValidationError({"name": _("Name the vendor involved.")})
    vendor = TicketVendor.objects.create(ticket=locked, organisation=organisation,
                                         name=name.strip() or str(organisation), role=role,
                                         recorded_by=actor)
    _bump(locked, [])
    return vendor
