"""Sweeps that turn other apps' records into events: the SLA alerts the ticket scan
recorded (SLA-10) and the certificates about to expire (STF-02). Each is idempotent: a cursor
remembers how far it went, and the events' keys make a second run tell no one twice."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from weibao.notifications.events import Event
from weibao.notifications.models import SourceCursor
from weibao.notifications.publishers import (
    certificate_expiring,
    is_level_one,
    most_severe_level,
    sla_alert_event,
)
from weibao.notifications.services import FanOut, fan_out

__all__ = ["certificates_sweep", "digests_sweep", "escalations_sweep", "sla_alerts_sweep"]

SLA_CURSOR = "tickets.slaalert"
# On the first run only the alerts of the last hour are told: an upgrade does not flood
# everyone with the warnings of past years.
FIRST_RUN_LOOKBACK = datetime.timedelta(hours=1)
BATCH = 2000
# What an SLA event needs of the ticket (not its encrypted reporter phone).
ALERT_FIELDS = ("id", "ticket", "contract", "stage", "kind", "at", "recorded_at",
                "ticket__id", "ticket__number", "ticket__title", "ticket__priority",
                "ticket__fault_level", "ticket__fault_level_override", "ticket__assignee",
                "ticket__reporter", "ticket__contract")


def _start(name: str, now: datetime.datetime) -> SourceCursor:
    from weibao.tickets.models import SlaAlert

    cursor = SourceCursor.objects.select_for_update().filter(name=name).first()
    if cursor is None:
        older = (SlaAlert.objects.filter(recorded_at__lt=now - FIRST_RUN_LOOKBACK)
                 .order_by("-pk").values_list("pk", flat=True).first())
        SourceCursor.objects.get_or_create(name=name, defaults={"position": older or 0})
        cursor = SourceCursor.objects.select_for_update().get(name=name)
    return cursor


def sla_alerts_sweep(now: datetime.datetime | None = None,
                     deliver: bool = True) -> FanOut:
    """Fan out every SLA alert recorded since the last sweep, in batches. The cursor row is
    locked for the sweep, so two workers take turns instead of doing the work twice."""
    from weibao.contracts.models import Contract
    from weibao.tickets.models import SlaAlert, TicketStage

    now = now or timezone.now()
    total = FanOut()
    levels: dict[int, str] = {}
    while True:
        with transaction.atomic():
            cursor = _start(SLA_CURSOR, now)
            alerts = list(SlaAlert.objects.filter(pk__gt=cursor.position).order_by("pk")
                          .select_related("ticket").only(*ALERT_FIELDS)[:BATCH])
            if not alerts:
                break
            names = dict(((ticket, code), name) for ticket, code, name in
                         TicketStage.objects.filter(ticket_id__in={a.ticket_id for a in alerts})
                         .values_list("ticket_id", "code", "name"))
            urgent: dict[int, bool] = {}
            events: list[Event] = []
            for contract in Contract.objects.filter(
                    pk__in={a.contract_id for a in alerts} - set(levels)):
                levels[contract.pk] = most_severe_level(contract) or ""
            for alert in alerts:
                ticket = alert.ticket
                if ticket.pk not in urgent:
                    urgent[ticket.pk] = is_level_one(ticket, levels[alert.contract_id])
                events.append(sla_alert_event(alert, ticket,
                                              names.get((ticket.pk, alert.stage), alert.stage),
                                              urgent[ticket.pk]))
            result = fan_out(events, now)
            cursor.position = alerts[-1].pk
            cursor.save(update_fields=["position"])
        total.notifications += result.notifications
        total.deliveries += result.deliveries
        total.due.extend(result.due)
    if deliver:
        _enqueue(total.due)
    return total


# A step is not taken for tickets reported longer ago than this before it fell due: after an
# upgrade or a stopped worker, old tickets are not escalated all at once.
ESCALATION_LOOKBACK = datetime.timedelta(days=1)


def escalations_sweep(now: datetime.datetime | None = None, deliver: bool = True) -> FanOut:
    """The spec's escalation steps: each ticket still not acknowledged (no response time
    stamped, not restored or closed) ``after_minutes`` after its report is told to the step's
    recipients, once per ticket and step (the event's key)."""
    from weibao.notifications.models import Escalation, Notification
    from weibao.notifications.publishers import ticket_unacknowledged
    from weibao.notifications.recipients import rule_selectors
    from weibao.tickets.models import Ticket
    from weibao.tickets.workflow import DONE_STATES

    now = now or timezone.now()
    events: list[Event] = []
    levels: dict[int, str] = {}
    for step in Escalation.objects.select_related("contract").order_by("contract", "pk"):
        due = now - datetime.timedelta(minutes=step.after_minutes)
        tickets = list(Ticket.objects.filter(
            contract_id=step.contract_id, responded_at__isnull=True,
            reported_at__lte=due, reported_at__gt=due - ESCALATION_LOOKBACK)
            .exclude(state__in=DONE_STATES).only(*(f.split("__", 1)[1] for f in ALERT_FIELDS
                                                   if f.startswith("ticket__")))[:BATCH])
        if not tickets:
            continue
        if step.contract_id not in levels:
            levels[step.contract_id] = most_severe_level(step.contract) or ""
        keys = {f"ticket.unacknowledged:ticket-{t.pk}-after-{step.after_minutes}": t
                for t in tickets}
        told = set(Notification.objects.filter(event_key__in=list(keys))
                   .values_list("event_key", flat=True).distinct())
        selectors = rule_selectors(step)
        events.extend(ticket_unacknowledged(t, step.after_minutes, selectors,
                                            is_level_one(t, levels[step.contract_id]))
                      for key, t in keys.items() if key not in told)
    result = fan_out(events, now)
    if deliver:
        _enqueue(result.due)
    return result


def certificates_sweep(today: datetime.date | None = None, within_days: int = 30,
                       deliver: bool = True) -> FanOut:
    """Tell the vendor's managers (and the holder) of each certificate expiring within
    ``within_days``, once per certificate and expiry date."""
    from weibao.staff.selectors import certificates_expiring

    today = today or timezone.localdate()
    events = [certificate_expiring(c) for c in certificates_expiring(within_days, today)]
    result = fan_out(events)
    if deliver:
        _enqueue(result.due)
    return result


def _enqueue(ids: list[int]) -> None:
    from weibao.notifications.tasks import enqueue_deliveries

    enqueue_deliveries(ids)


DIGEST_LIMIT = 200


def digests_sweep(now: datetime.datetime | None = None, deliver: bool = True) -> int:
    """The daily digest (摘要): at each person's chosen hour, one e-mail listing their
    notifications since the last digest (urgent ones went out at once and are left out).
    Once a day per person (the delivery's key names the day). Returns digests queued."""
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from weibao.notifications.choices import ChannelKind
    from weibao.notifications.clients import absolute
    from weibao.notifications.models import Delivery, Notification, Preference

    now = now or timezone.now()
    local = timezone.localtime(now)
    made: list[int] = []
    for preference in Preference.objects.filter(digest_hour=local.hour).select_related("user"):
        user = preference.user
        key = f"digest|u{user.pk}|{local:%Y-%m-%d}"
        if not user.is_active or not user.email or Delivery.objects.filter(key=key).exists():
            continue
        since = preference.last_digest_at or now - datetime.timedelta(days=1)
        rows = list(Notification.objects.filter(recipient=user, created_at__gt=since,
                                                created_at__lte=now, urgent=False)
                    .order_by("created_at", "pk")[:DIGEST_LIMIT])
        with transaction.atomic():
            Preference.objects.filter(pk=preference.pk).update(last_digest_at=now)
            if not rows:
                continue
            from django.conf import settings

            with override(settings.LANGUAGE_CODE):
                subject = _("weibao: %(count)s notifications") % {"count": len(rows)}
            lines = [f"{timezone.localtime(n.created_at):%m-%d %H:%M} {n.subject}"
                     + (f"  {absolute(n.link)}" if n.link else "") for n in rows]
            delivery = Delivery.objects.create(
                key=key, kind=ChannelKind.EMAIL, address=user.email, event_kind="digest",
                subject=subject, body="\n".join(lines), next_attempt_at=now)
            made.append(delivery.pk)
    if deliver:
        _enqueue(made)
    return len(made)
