"""The ticket (工单) and what hangs off its lifecycle: timeline, pauses, SLA stages and alerts.

TKT-01..05, SLA-09, SLA-10. Writes go through ``weibao.tickets.services``; the legal moves are
the table in ``weibao.tickets.workflow``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.fields import EncryptedCharField
from weibao.core.models import Organisation, TimestampedModel
from weibao.sla.choices import FaultScope, StageStatus
from weibao.tickets.choices import (
    AlertKind,
    Channel,
    ClaimStatus,
    Priority,
    TicketCategory,
    TicketState,
)

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = [
    "IdempotencyRecord",
    "SlaAlert",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "TicketPause",
    "TicketQuerySet",
    "TicketSequence",
    "TicketStage",
    "TicketType",
    "TicketVendor",
]

# The ticket fields holding the time of each SLA clock event (sla.choices.ClockEvent).
EVENT_FIELDS = {
    "reported": "reported_at", "responded": "responded_at",
    "onsite_requested": "onsite_requested_at", "arrived": "arrived_at",
    "contained": "contained_at", "restored": "restored_at", "resolved": "resolved_at",
    "report_submitted": "report_submitted_at", "verified": "verified_at", "closed": "closed_at",
}


class TicketType(TimestampedModel):
    """工单类型 (TKT-02): data per contract, from the spec's ``tickets.types``."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="ticket_types")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=30, choices=TicketCategory.choices,
                                default=TicketCategory.FAULT)
    fault_report_required = models.BooleanField(
        _("fault report required"), default=False,
        help_text=_("TKT-06: the ticket closes only after the purchaser verified its report."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "code"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [models.UniqueConstraint(fields=["contract", "code"],
                                               name="ticket_type_unique")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user: Any) -> TicketQuerySet:
        """PLT-01: tickets of the user's contracts; site staff only their own sites' tickets
        and the ones they reported."""
        from weibao.contracts.selectors import scope_to_user
        from weibao.core.choices import Role

        scoped: TicketQuerySet = scope_to_user(self, user)
        if (user.is_authenticated and not user.is_administrator
                and user.role == Role.SITE_STAFF):
            scoped = scoped.filter(models.Q(site__organisation_id=user.organisation_id)
                                   | models.Q(reporter=user))
        return scoped


class Ticket(TimestampedModel):
    """工单: a fault report or service request under a contract's service levels."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="tickets")
    number = models.CharField(_("number"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ticket_type = models.ForeignKey(TicketType, verbose_name=_("ticket type"),
                                    on_delete=models.PROTECT, related_name="tickets")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices,
                               default=Channel.PHONE)
    scope = models.CharField(_("scope"), max_length=20, choices=FaultScope.choices,
                             default=FaultScope.SMALL)
    site = models.ForeignKey("sites.Site", verbose_name=_("site"), on_delete=models.PROTECT,
                             related_name="tickets", null=True, blank=True)
    assets = models.ManyToManyField("assets.Asset", verbose_name=_("assets"), blank=True,
                                    related_name="tickets")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reporter"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reported_tickets")
    reporter_name = models.CharField(_("reporter name"), max_length=60, blank=True)
    reporter_phone = EncryptedCharField(_("reporter phone"), max_length=40, blank=True)
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices,
                                default=Priority.NORMAL)
    priority_reason = models.CharField(_("reason for the priority"), max_length=300,
                                       blank=True)
    fault_level = models.CharField(_("fault level"), max_length=20, blank=True)
    fault_level_override = models.CharField(
        _("fault level set by the purchaser"), max_length=20, blank=True,
        help_text=_("TKT-03: wins over the level classified from time and scope."))
    fault_level_reason = models.CharField(_("fault level reason"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=30, choices=TicketState.choices,
                             default=TicketState.REPORTED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assigned_tickets")
    version = models.PositiveIntegerField(
        _("version"), default=1,
        help_text=_("Raised by every change; a stale update is refused, never overwritten."))
    # Times of the SLA clock events (TKT-04); EVENT_FIELDS maps clock events to them.
    reported_at = models.DateTimeField(_("reported at"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    onsite_requested_at = models.DateTimeField(_("on-site requested at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrival_location = models.CharField(_("check-in location"), max_length=200, blank=True)
    contained_at = models.DateTimeField(_("spread contained at"), null=True, blank=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paused_state = models.CharField(
        _("paused in"), max_length=40, blank=True,
        help_text=_("SLA-09: the pause state while the clocks are paused; empty otherwise."))
    # Denormalised from the SLA evaluation so lists can filter and sort without evaluating.
    sla_status = models.CharField(_("SLA status"), max_length=20, choices=StageStatus.choices,
                                  default=StageStatus.NOT_STARTED)
    next_due_at = models.DateTimeField(_("next due at"), null=True, blank=True)
    sla_provisional = models.BooleanField(_("provisional calendar"), default=False)
    sla_error = models.CharField(_("SLA error"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [
            ("work_ticket", _("Can work tickets (acknowledge, arrive, restore …)")),
            ("assign_ticket", _("Can dispatch tickets to engineers")),
            ("verify_ticket", _("Can verify fault reports")),
            ("prioritise_ticket", _("Can raise priority and override the fault level")),
        ]
        constraints = [models.UniqueConstraint(fields=["contract", "number"],
                                               name="ticket_number_unique")]
        indexes = [
            models.Index(fields=["contract", "state", "next_due_at"]),
            models.Index(fields=["assignee", "state", "next_due_at"]),
            models.Index(fields=["contract", "reported_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def reporter_phone_for(self, user: Any) -> str:
        """PLT-02: the reporter's phone in full for who handles or verifies the ticket and the
        reporter themselves; masked (138****5678) for anyone else who sees the ticket."""
        phone = self.reporter_phone
        if (len(phone) < 7 or user.has_perm("tickets.work_ticket")
                or user.has_perm("tickets.verify_ticket") or self.reporter_id == user.pk):
            return phone
        return f"{phone[:3]}****{phone[-4:]}"

    def is_visible_to(self, user: User) -> bool:
        return Ticket.objects.visible_to(user).filter(pk=self.pk).exists()

    @property
    def effective_level(self) -> str:
        return self.fault_level_override or self.fault_level

    @property
    def is_paused(self) -> bool:
        return bool(self.paused_state)

    def remember_stages(self, stages: list[TicketStage]) -> None:
        """Keep the stages just stored as this ticket's ``stages.all()``, exactly as
        ``prefetch_related("stages")`` would, so presenting the ticket right after a write
        needs no query. Filtering ``stages`` still asks the database."""
        queryset = TicketStage.objects.filter(ticket=self)
        queryset._result_cache = sorted(stages, key=lambda stage: stage.order)
        queryset._prefetch_done = True  # type: ignore[attr-defined]
        cache: dict[str, Any] | None = getattr(self, "_prefetched_objects_cache", None)
        if cache is None:
            cache = {}
            self._prefetched_objects_cache = cache
        cache["stages"] = queryset

    def event_times(self) -> dict[str, Any]:
        return {event: getattr(self, name) for event, name in EVENT_FIELDS.items()
                if getattr(self, name) is not None}


class TicketSequence(models.Model):
    """The last ticket number given out per contract. One statement raises it for each new
    ticket; its row lock serialises concurrent reports of the same contract.

    Tickets are numbered only by ``services.tickets.create_ticket``. Whatever writes ticket
    rows by other means (a bulk load) deletes the contract's row afterwards: the next number
    then continues after the highest one stored."""

    contract = models.OneToOneField(Contract, verbose_name=_("contract"), primary_key=True,
                                    on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("ticket number sequence")
        verbose_name_plural = _("ticket number sequences")

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.last_number}"


class TicketEvent(models.Model):
    """The ticket's timeline: every transition with actor, claimed time and comment.

    ``occurred_at`` is the time the step happened; ``recorded_at`` when it was entered. A step
    entered after the fact (a phone report logged later) is marked ``backdated``. A vendor's
    step claimed earlier than ``WEIBAO_BACKDATE_TOLERANCE_MINUTES`` is a *claim*
    (``claim_status`` pending): the ticket's clock counts ``recorded_at`` until the purchaser
    confirms it, then ``occurred_at``."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                              on_delete=models.SET_NULL, null=True, related_name="+")
    occurred_at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)
    backdated = models.BooleanField(_("entered after the fact"), default=False)
    claim_status = models.CharField(_("claimed time"), max_length=20, blank=True,
                                    choices=ClaimStatus.choices, default=ClaimStatus.NONE)
    claim_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                         verbose_name=_("claim decided by"),
                                         on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+")
    claim_decided_at = models.DateTimeField(_("claim decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["ticket", "occurred_at", "pk"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        permissions = [("confirm_ticketevent",
                        _("Can confirm or reject times claimed after the fact"))]
        indexes = [models.Index(fields=["ticket", "claim_status"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} @ {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def counted_at(self) -> Any:
        """The time the SLA counts for this step: the entry time while a claim is pending or
        after it was rejected."""
        if self.claim_status in (ClaimStatus.PENDING, ClaimStatus.REJECTED):
            return self.recorded_at
        return self.occurred_at


class TicketPause(models.Model):
    """SLA-09: a pause of the clocks in a state the contract allows, with its reason."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pauses")
    state = models.CharField(_("pause state"), max_length=40)
    reason = models.CharField(_("reason"), max_length=300)
    started_at = models.DateTimeField(_("paused from"))
    ended_at = models.DateTimeField(_("paused until"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["ticket", "started_at"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")

    def __str__(self) -> str:
        return f"{self.state} {self.started_at:%Y-%m-%d %H:%M}"


class TicketStage(models.Model):
    """One SLA clock of a ticket as last evaluated (due time, status, explanation)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("stage"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    status = models.CharField(_("status"), max_length=20, choices=StageStatus.choices)
    target = models.CharField(_("target"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    used = models.FloatField(_("used"), null=True, blank=True)
    left = models.FloatField(_("left"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    share = models.FloatField(_("share used"), default=0)
    provisional = models.BooleanField(_("provisional calendar"), default=False)
    penalty_percent = models.DecimalField(_("penalty per breach (percent of amount)"),
                                          max_digits=5, decimal_places=2, null=True, blank=True)
    target_index = models.PositiveSmallIntegerField(
        _("target number"), null=True, blank=True,
        help_text=_("Which of the contract's targets applied (its index in the policy)."))
    recurring = models.BooleanField(
        _("recurring"), default=False,
        help_text=_("An obligation repeated while the ticket is open (progress every 30 "
                    "minutes): each missed interval is a breach of its own."))
    counts_breach = models.BooleanField(
        _("a miss is a breach"), default=True,
        help_text=_("SLA-05: false for a KPI target — a late ticket counts toward the period's "
                    "rate, it is no breach and carries no penalty."))
    missed = models.PositiveIntegerField(
        _("missed updates"), default=0,
        help_text=_("A recurring stage (e.g. progress every 30 minutes): intervals without an "
                    "update so far."))
    missed_due = models.JSONField(_("missed update due times"), default=list, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)

    class Meta:
        ordering = ["ticket", "order"]
        verbose_name = _("ticket SLA stage")
        verbose_name_plural = _("ticket SLA stages")
        constraints = [models.UniqueConstraint(fields=["ticket", "code"],
                                               name="ticket_stage_unique")]
        indexes = [models.Index(fields=["status", "due_at"]),
                   models.Index(fields=["status", "warn_at"]),
                   # The scan's recurring stages (few among millions of stages).
                   models.Index(fields=["due_at"], condition=models.Q(recurring=True),
                                name="ticket_stage_recurring")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.code} {self.status}"


class SlaAlert(models.Model):
    """SLA-10: a warning or a breach of one stage of one ticket, recorded exactly once.

    A breach links later to the breach/penalty ledger of the assessment (ASM-03)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="alerts")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    # 0 for a stage's one warning or breach; 1, 2, … for each missed interval of a recurring
    # stage (progress every 30 minutes), so every missed update is recorded exactly once.
    occurrence = models.PositiveIntegerField(_("occurrence"), default=0)
    at = models.DateTimeField(_("threshold time"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    penalty_percent = models.DecimalField(_("penalty per breach (percent of amount)"),
                                          max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("SLA alert")
        verbose_name_plural = _("SLA alerts")
        constraints = [models.UniqueConstraint(fields=["ticket", "stage", "kind", "occurrence"],
                                               name="sla_alert_once")]
        indexes = [models.Index(fields=["contract", "at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.stage} {self.kind}"


class TicketVendor(models.Model):
    """TKT-05 无推诿: another vendor involved in the fault, recorded on the ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="vendors")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("involvement"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["ticket", "recorded_at"]
        verbose_name = _("other vendor involved")
        verbose_name_plural = _("other vendors involved")

    def __str__(self) -> str:
        return self.name or str(self.organisation)


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="tickets/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["ticket", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The answer given to a request with an ``Idempotency-Key``: a retry gets it again
    instead of creating a second ticket or repeating a transition."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=100)
    request = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_once")]

    def __str__(self) -> str:
        return self.key
