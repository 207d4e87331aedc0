"""Backdated vendor steps (issue 15 item 6, TKT-04, SLA-01..10).

A vendor may claim an earlier time for its own step; claimed more than
``WEIBAO_BACKDATE_TOLERANCE_MINUTES`` (10) before it was entered, the clock counts the entry
time until the purchaser confirms the claim. Seed 002 §6.1(5) L8021: response within 15
minutes — exactly where a claimed minute decides met or breached.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from weibao.core.models import User
from weibao.testing.factories import PASSWORD
from weibao.tickets import services
from weibao.tickets.choices import ClaimStatus
from weibao.tickets.models import Ticket, TicketEvent
from weibao.tickets.services import TicketConflict
from weibao.tickets.services.tickets import needs_confirmation
from weibao.tickets.tests.conftest import Setup, at


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def respond(ticket: Ticket) -> object:
    return Ticket.objects.get(pk=ticket.pk).stages.get(code="respond")


def claimed_acknowledgement(ca: Setup) -> tuple[Ticket, TicketEvent]:
    """Reported 10:00; the engineer enters at 10:30 that he acknowledged at 10:10."""
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 at=at("2025-10-10 10:10"), now=at("2025-10-10 10:30"))
    return ticket, ticket.events.get(action="acknowledge")


def test_item6_a_backdated_vendor_step_does_not_count_until_confirmed(ca: Setup):
    """Seed 002 L8021 (15 min): claimed 10:10, entered 10:30 — the clock stops at 10:30
    (breached) until the purchaser confirms; confirmed, it stops at 10:10 (met)."""
    ticket, event = claimed_acknowledgement(ca)
    assert event.claim_status == ClaimStatus.PENDING and event.backdated
    assert event.occurred_at == at("2025-10-10 10:10")
    assert event.recorded_at == at("2025-10-10 10:30")
    assert event.counted_at == at("2025-10-10 10:30")
    assert ticket.responded_at == at("2025-10-10 10:30")
    assert respond(ticket).status == "breached"

    ticket = services.decide_claim(event, True, ca.people["purchaser"],
                                   now=at("2025-10-10 11:00"))
    assert ticket.responded_at == at("2025-10-10 10:10")
    stage = respond(ticket)
    assert stage.status == "met" and stage.stopped_at == at("2025-10-10 10:10")
    event.refresh_from_db()
    assert event.claim_status == ClaimStatus.CONFIRMED
    assert event.claim_decided_by == ca.people["purchaser"]
    assert event.counted_at == at("2025-10-10 10:10")
    decision = ticket.events.get(action="confirm_time")
    assert decision.actor == ca.people["purchaser"] and decision.data["event"] == event.pk


def test_item6_rejection_keeps_the_entry_time(ca: Setup):
    ticket, event = claimed_acknowledgement(ca)
    with pytest.raises(ValidationError):
        services.decide_claim(event, False, ca.people["purchaser"])  # a reason is needed
    ticket = services.decide_claim(event, False, ca.people["purchaser"],
                                   comment="电话记录显示 10:28 才回复", now=at("2025-10-10 11:00"))
    assert ticket.responded_at == at("2025-10-10 10:30")
    assert respond(ticket).status == "breached"
    event.refresh_from_db()
    assert event.claim_status == ClaimStatus.REJECTED
    assert event.counted_at == at("2025-10-10 10:30")
    with pytest.raises(TicketConflict):
        services.decide_claim(event, True, ca.people["purchaser"])  # decided once


def test_item6_within_the_tolerance_the_claimed_time_counts_at_once(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 at=at("2025-10-10 10:12"), now=at("2025-10-10 10:20"))
    event = ticket.events.get(action="acknowledge")
    assert event.claim_status == ClaimStatus.NONE and event.backdated
    assert ticket.responded_at == at("2025-10-10 10:12")
    assert respond(ticket).status == "met"


@override_settings(WEIBAO_BACKDATE_TOLERANCE_MINUTES=60)
def test_item6_the_tolerance_is_a_setting(ca: Setup):
    ticket, event = claimed_acknowledgement(ca)
    assert event.claim_status == ClaimStatus.NONE
    assert ticket.responded_at == at("2025-10-10 10:10")


def test_item6_who_confirms_whose_claims(ca: Setup):
    """The vendor's claims wait for the purchaser; the purchaser's own entries need nobody;
    only the purchaser decides (not the vendor, not the supervisor's read-only role)."""
    ticket, event = claimed_acknowledgement(ca)
    ten, half_past = at("2025-10-10 10:00"), at("2025-10-10 10:30")
    assert needs_confirmation(ca.people["engineer"], ticket, ten, half_past)
    assert needs_confirmation(ca.people["manager"], ticket, ten, half_past)
    assert not needs_confirmation(ca.people["purchaser"], ticket, ten, half_past)
    for who in ("engineer", "manager"):
        with pytest.raises(PermissionDenied):
            services.decide_claim(event, True, ca.people[who])
    # Steps that only start a clock are no claims: an early on-site request counts as given.
    other = ca.report("2025-10-10 10:00")
    other = services.transition(other, "request_onsite", ca.people["purchaser"],
                                at=at("2025-10-10 10:01"), now=at("2025-10-10 10:40"))
    assert other.events.get(action="request_onsite").claim_status == ClaimStatus.NONE
    assert other.onsite_requested_at == at("2025-10-10 10:01")


def test_item6_a_backdated_pause_counts_from_its_entry_until_confirmed(ca_pausing: Setup):
    """SLA-09 with item 6: a pause claimed to have started earlier stops the clocks in the
    vendor's favour, so it too waits for the purchaser."""
    ca = ca_pausing
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.pause(ticket, "awaiting_purchaser", "等待甲方开门", ca.people["engineer"],
                            at=at("2025-10-10 10:05"), now=at("2025-10-10 10:25"))
    pause = ticket.pauses.get()
    assert pause.started_at == at("2025-10-10 10:25")
    event = ticket.events.get(action="pause")
    assert event.claim_status == ClaimStatus.PENDING
    services.decide_claim(event, True, ca.people["purchaser"], now=at("2025-10-10 10:30"))
    pause.refresh_from_db()
    assert pause.started_at == at("2025-10-10 10:05")


def test_item6_a_confirmation_does_not_revive_a_time_a_later_step_replaced(ca: Setup):
    """Claimed restoration, then reopened: confirming the old claim sets no restored time."""
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 at=at("2025-10-10 10:05"), now=at("2025-10-10 10:05"))
    ticket = services.transition(ticket, "restore", ca.people["engineer"],
                                 at=at("2025-10-10 10:30"), now=at("2025-10-10 11:30"))
    claim = ticket.events.get(action="restore")
    ticket = services.transition(ticket, "reopen", ca.people["purchaser"],
                                 now=at("2025-10-10 11:40"))
    ticket = services.decide_claim(claim, True, ca.people["purchaser"],
                                   now=at("2025-10-10 11:45"))
    assert ticket.restored_at is None


def test_item6_a_later_step_never_counts_before_a_pending_earlier_one(ca: Setup):
    """Seed 002 §3.7.1.1.4 (L7228–7233): containment is measured from the response. The
    response is claimed 10:10 but entered 10:30 (pending); containment entered at 10:32 as
    10:25 (within the tolerance) counts from 10:30, never before the response counts — the
    clock stays coherent. Once the response is confirmed, both count as claimed."""
    ticket = ca.report("2025-10-10 10:00", code="security_incident")
    engineer = ca.people["engineer"]
    ticket = services.transition(ticket, "acknowledge", engineer, at=at("2025-10-10 10:10"),
                                 now=at("2025-10-10 10:30"))
    ticket = services.transition(ticket, "contain", engineer, at=at("2025-10-10 10:25"),
                                 now=at("2025-10-10 10:32"))
    assert ticket.contained_at == at("2025-10-10 10:30") and not ticket.sla_error
    claim = ticket.events.get(action="acknowledge")
    ticket = services.decide_claim(claim, True, ca.people["purchaser"],
                                   now=at("2025-10-10 10:40"))
    assert ticket.responded_at == at("2025-10-10 10:10")
    assert ticket.contained_at == at("2025-10-10 10:25")
    assert Ticket.objects.get(pk=ticket.pk).sla_error == ""


def test_item6_the_api_shows_both_times_and_takes_the_decision(ca: Setup):
    ticket, event = claimed_acknowledgement(ca)
    purchaser, engineer = api(ca.people["purchaser"]), api(ca.people["engineer"])
    body = purchaser.get(f"/api/tickets/{ticket.pk}/").json()
    shown = next(e for e in body["events"] if e["action"] == "acknowledge")
    assert shown["id"] == event.pk and shown["claim_status"] == "pending"
    assert shown["occurred_at"].startswith("2025-10-10T10:10")
    assert shown["recorded_at"].startswith("2025-10-10T10:30")
    assert shown["counted_at"].startswith("2025-10-10T10:30")

    url = f"/api/tickets/{ticket.pk}/events/{event.pk}"
    assert engineer.post(f"{url}/confirm/", {}, format="json").status_code == 403
    bad = purchaser.post(f"{url}/reject/", {}, format="json")
    assert bad.status_code == 400 and "comment" in bad.json()["errors"]
    confirmed = purchaser.post(f"{url}/confirm/", {"version": body["version"]}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    after = confirmed.json()
    shown = next(e for e in after["events"] if e["action"] == "acknowledge")
    assert shown["claim_status"] == "confirmed" and shown["claim_decided_by"] == "ca-purchaser"
    assert shown["counted_at"].startswith("2025-10-10T10:10")
    assert after["responded_at"].startswith("2025-10-10T10:10")
    assert purchaser.post(f"{url}/confirm/", {}, format="json").status_code == 409
    # PLT-01: an event of another ticket is not found under this one.
    other = ca.report("2025-10-10 10:00")
    assert purchaser.post(f"/api/tickets/{other.pk}/events/{event.pk}/confirm/", {},
                          format="json").status_code == 404
    outsider = api(ca.people["outsider"])
    assert outsider.post(f"{url}/confirm/", {}, format="json").status_code == 404


def test_item6_the_page_shows_the_claim_and_the_purchaser_confirms_it(ca: Setup):
    ticket, event = claimed_acknowledgement(ca)
    purchaser, engineer = Client(), Client()
    assert purchaser.login(username="ca-purchaser", password=PASSWORD)
    assert engineer.login(username="ca-engineer", password=PASSWORD)
    detail = reverse("tickets:detail", args=[ticket.pk])
    page = purchaser.get(detail).content.decode()
    assert 'data-claim="pending"' in page
    assert f'data-testid="confirm-time-{event.pk}"' in page
    assert f'data-testid="confirm-time-{event.pk}"' not in engineer.get(detail).content.decode()
    version = Ticket.objects.get(pk=ticket.pk).version
    response = purchaser.post(reverse("tickets:action", args=[ticket.pk, "reject_time"]),
                              {"reject_time-version": version, "reject_time-event": event.pk,
                               "reject_time-comment": "无通话记录"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.claim_status == ClaimStatus.REJECTED
    assert 'data-claim="rejected"' in purchaser.get(detail).content.decode()
