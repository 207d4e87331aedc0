"""The ticket lifecycle (TKT-04): every legal step, every illegal one, stale versions, times
entered after the fact, pauses (SLA-09) and dispatch (TKT-05)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.assets.models import Asset
from weibao.tickets import services
from weibao.tickets.choices import TicketState
from weibao.tickets.models import Ticket
from weibao.tickets.services import IllegalTransition, StaleTicket, TicketConflict
from weibao.tickets.tests.conftest import Setup, at
from weibao.tickets.workflow import ACTIONS, allowed_actions

FULL_PATH = [
    ("acknowledge", "engineer", TicketState.ACKNOWLEDGED, "responded_at"),
    ("start_remote", "engineer", TicketState.REMOTE, None),
    ("request_onsite", "purchaser", TicketState.ONSITE_REQUESTED, "onsite_requested_at"),
    ("depart", "engineer", TicketState.EN_ROUTE, None),
    ("arrive", "engineer", TicketState.ARRIVED, "arrived_at"),
    ("restore", "engineer", TicketState.RESTORED, "restored_at"),
    ("submit_report", "engineer", TicketState.REPORT_SUBMITTED, "report_submitted_at"),
    ("verify", "purchaser", TicketState.VERIFIED, "verified_at"),
    ("close", "manager", TicketState.CLOSED, "closed_at"),
]


def test_tkt04_the_whole_lifecycle_stamps_each_event(ca: Setup):
    ticket = ca.report("2025-10-10 10:00", scope="large")
    minute = 1
    for action, who, state, stamp in FULL_PATH:
        when = at(f"2025-10-10 10:{minute:02d}")
        ticket = services.transition(ticket, action, ca.people[who], at=when, now=when,
                                     location="1号楼" if action == "arrive" else "")
        assert ticket.state == state
        if stamp:
            assert getattr(ticket, stamp) == when
        minute += 5
    ticket.refresh_from_db()
    assert ticket.arrival_location == "1号楼"
    assert [e.action for e in ticket.events.all()] == ["report", *[a for a, *_ in FULL_PATH]]
    assert ticket.version == 1 + len(FULL_PATH)


@pytest.mark.parametrize("state", list(TicketState.values))
def test_tkt04_every_illegal_step_is_refused_with_the_allowed_ones(ca: Setup, state: str):
    ticket = ca.report("2025-10-10 10:00")
    Ticket.objects.filter(pk=ticket.pk).update(state=state)
    for code in ACTIONS:
        if code in allowed_actions(state):
            continue
        with pytest.raises(IllegalTransition) as caught:
            services.transition(ticket, code, ca.people["manager"], now=at("2025-10-10 11:00"))
        assert caught.value.allowed == allowed_actions(state)
    assert Ticket.objects.get(pk=ticket.pk).state == state


def test_tkt06_a_type_needing_a_report_closes_only_after_verification(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    for action in ("acknowledge", "restore"):
        ticket = services.transition(ticket, action, ca.people["engineer"],
                                     now=at("2025-10-10 10:30"))
    with pytest.raises(IllegalTransition, match="fault report"):
        services.transition(ticket, "close", ca.people["manager"], now=at("2025-10-10 10:40"))
    request = ca.report("2025-10-10 10:00", code="service_request")
    for action in ("acknowledge", "restore", "close"):
        request = services.transition(request, action, ca.people["engineer"],
                                      now=at("2025-10-10 10:30"))
    assert request.state == TicketState.CLOSED


def test_a_stale_version_is_refused_not_overwritten(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    services.transition(ticket, "acknowledge", ca.people["engineer"], expected_version=1,
                        now=at("2025-10-10 10:05"))
    with pytest.raises(StaleTicket) as caught:
        services.transition(ticket, "start_remote", ca.people["engineer2"], expected_version=1,
                            now=at("2025-10-10 10:06"))
    assert caught.value.version == 2
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.ACKNOWLEDGED


def test_tkt04_times_entered_after_the_fact_are_marked(ca: Setup):
    ticket = ca.report("2025-10-10 09:00", now="2025-10-10 11:00")
    assert ticket.events.get().backdated
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 at=at("2025-10-10 09:10"), now=at("2025-10-10 11:00"))
    event = ticket.events.get(action="acknowledge")
    assert event.backdated and event.occurred_at == at("2025-10-10 09:10")
    with pytest.raises(ValidationError, match="previous step"):
        services.transition(ticket, "restore", ca.people["engineer"],
                            at=at("2025-10-10 09:05"), now=at("2025-10-10 11:00"))
    with pytest.raises(ValidationError, match="future"):
        services.transition(ticket, "restore", ca.people["engineer"],
                            at=at("2025-10-10 12:00"), now=at("2025-10-10 11:00"))


def test_reopen_clears_the_restoration(ca: Setup):
    ticket = ca.report("2025-10-10 10:00", code="service_request")
    for action in ("acknowledge", "restore"):
        ticket = services.transition(ticket, action, ca.people["engineer"],
                                     now=at("2025-10-10 10:30"))
    ticket = services.transition(ticket, "reopen", ca.people["purchaser"],
                                 comment="又坏了", now=at("2025-10-10 11:00"))
    assert ticket.state == TicketState.ACKNOWLEDGED
    assert ticket.restored_at is None and ticket.resolved_at is None


def test_roles_act_only_within_their_permissions(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    with pytest.raises(PermissionDenied):
        services.transition(ticket, "acknowledge", ca.people["purchaser"],
                            now=at("2025-10-10 10:05"))
    with pytest.raises(PermissionDenied):
        services.transition(ticket, "acknowledge", ca.people["outsider"],
                            now=at("2025-10-10 10:05"))


def test_sla09_the_seeds_allow_no_pause(ca: Setup):
    """SLA-09: seed 002 has no clause that stops a clock (and promises 无推诿, L7520), so its
    example lists no pause states and every pause is refused."""
    ticket = ca.report("2025-10-10 10:00")
    with pytest.raises(ValidationError, match="does not pause"):
        services.pause(ticket, "awaiting_third_party", "等待运营商", ca.people["engineer"],
                       now=at("2025-10-10 10:10"))


def test_sla09_pause_only_in_allowed_states_with_a_reason(ca_pausing: Setup):
    ca = ca_pausing
    ups = Asset.objects.get(contract=ca.contract, code="ups-imv-s6")
    ticket = ca.report("2025-10-10 10:00", assets=[ups])
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"],
                                 now=at("2025-10-10 10:05"))
    with pytest.raises(ValidationError, match="does not pause"):
        services.pause(ticket, "lunch", "午饭", ca.people["engineer"], now=at("2025-10-10 10:10"))
    with pytest.raises(ValidationError, match="reason"):
        services.pause(ticket, "awaiting_purchaser", " ", ca.people["engineer"],
                       now=at("2025-10-10 10:10"))
    ticket = services.pause(ticket, "awaiting_purchaser", "等待甲方提供日志",
                            ca.people["engineer"], now=at("2025-10-10 10:10"))
    assert ticket.paused_state == "awaiting_purchaser"
    with pytest.raises(TicketConflict, match="already paused"):
        services.pause(ticket, "awaiting_purchaser", "x", ca.people["engineer"],
                       now=at("2025-10-10 10:11"))
    onsite = ticket.stages.get(code="hw-onsite")
    assert onsite.status == "paused" and onsite.due_at is None
    ticket = services.resume(ticket, ca.people["engineer"], now=at("2025-10-10 10:40"))
    # Hardware (seed 002 §4.2(3), L7319): on site within 2 h of the report, 30 min paused.
    assert ticket.stages.get(code="hw-onsite").due_at == at("2025-10-10 12:30")
    assert ticket.pauses.get().ended_at == at("2025-10-10 10:40")


def test_tkt05_dispatch_and_other_vendors(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    ticket = services.assign(ticket, ca.people["engineer"], ca.people["manager"])
    assert ticket.assignee == ca.people["engineer"]
    with pytest.raises(ValidationError, match="not an engineer"):
        services.assign(ticket, ca.people["outsider"], ca.people["manager"])
    with pytest.raises(TicketConflict, match="already taken"):
        services.accept(ticket, ca.people["engineer2"])
    services.add_vendor(ticket, ca.people["engineer"], name="某运营商", role="专线中断")
    assert ticket.vendors.get().name == "某运营商"
    assert ticket.state == TicketState.REPORTED  # the vendor keeps the ticket (无推诿)


def test_tkt03_purchaser_raises_priority_and_overrides_the_level(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    assert ticket.fault_level == "III"
    with pytest.raises(PermissionDenied):
        services.raise_priority(ticket, ca.people["engineer"], "急")
    ticket = services.raise_priority(ticket, ca.people["purchaser"], "窗口排长队")
    assert ticket.priority == "high"
    with pytest.raises(ValidationError, match="Unknown fault level"):
        services.override_level(ticket, ca.people["purchaser"], "V", "x")
    ticket = services.override_level(ticket, ca.people["purchaser"], "I", "全区业务中断")
    ticket.refresh_from_db()
    assert ticket.effective_level == "I"
    # Level I: on site within 2 h of the purchaser's request (seed 002 §9.1.2 a, L8390–8392).
    assert ticket.stages.get(code="onsite").target == "2 hours (7x24)"


def test_tkt01_numbers_run_per_contract_and_continue_after_loaded_tickets(ca: Setup,
                                                                          outlets: Setup):
    """TKT-01: each contract numbers its tickets 1, 2, 3 …; tickets loaded without the
    sequence (an import, a restore) are continued after, never reused."""
    from weibao.tickets.models import TicketSequence

    first = ca.report("2025-10-10 10:00")
    other = outlets.report("2025-10-10 10:00")
    assert first.number.endswith("-00000001") and other.number.endswith("-00000001")
    assert ca.report("2025-10-10 10:01").number.endswith("-00000002")
    TicketSequence.objects.filter(contract=ca.contract).delete()
    Ticket.objects.filter(pk=first.pk).update(number=f"{ca.contract.pk:03d}-00000041")
    assert ca.report("2025-10-10 10:02").number.endswith("-00000042")
    assert ca.report("2025-10-10 10:03").number.endswith("-00000043")
    assert TicketSequence.objects.get(contract=ca.contract).last_number == 43
