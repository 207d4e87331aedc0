"""Escalation after N minutes without acknowledgement (issue 13 item 2, TKT-01, SLA-10):
each step of the spec tells its recipients once per ticket; an acknowledged ticket is not
escalated; outsiders are never told (PLT-01)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from weibao.contracts.spec.exporter import export_data
from weibao.contracts.spec.importer import import_text
from weibao.contracts.spec.loader import dump_yaml, load_yaml
from weibao.notifications.models import Escalation, Notification
from weibao.notifications.sources import escalations_sweep
from weibao.testing.examples import EXAMPLES, Setup
from weibao.tickets import services as tickets
from weibao.tickets.models import TicketType

pytestmark = pytest.mark.django_db

STEPS = [{"after_minutes": 10, "roles": ["vendor_manager"], "people": ["on_duty"]},
         {"after_minutes": 60, "parties": ["purchaser"], "users": ["n-outsider"]}]


def _import(steps: list[dict[str, object]]) -> None:
    data = load_yaml((EXAMPLES / "002-shanghai-hrss-ca-integration.yaml").read_text("utf-8"))
    data["notifications"] = {"escalations": steps}
    import_text(dump_yaml(data))


def _told() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, user in Notification.objects.filter(kind="ticket.unacknowledged").values_list(
            "event_key", "recipient__username"):
        out.setdefault(key.rsplit("-", 1)[1], set()).add(user)
    return out


def test_unacknowledged_ticket_is_escalated_step_by_step_once(ca: Setup) -> None:
    _import(STEPS)
    assert Escalation.objects.filter(contract=ca.contract).count() == 2
    assert export_data(ca.contract)["notifications"]["escalations"] == STEPS
    reported = timezone.now() - datetime.timedelta(minutes=5)
    fault = TicketType.objects.get(contract=ca.contract, code="fault")
    waiting = tickets.create_ticket(tickets.TicketInput(
        contract=ca.contract, ticket_type=fault, title="无人受理", reported_at=reported),
        actor=ca.people["purchaser"], now=reported)
    answered = tickets.create_ticket(tickets.TicketInput(
        contract=ca.contract, ticket_type=fault, title="已受理", reported_at=reported),
        actor=ca.people["purchaser"], now=reported)
    tickets.transition(answered, "acknowledge", ca.people["engineer"], now=reported)
    assert escalations_sweep(reported + datetime.timedelta(minutes=9), deliver=False) \
        .notifications == 0
    escalations_sweep(reported + datetime.timedelta(minutes=11), deliver=False)
    escalations_sweep(reported + datetime.timedelta(minutes=12), deliver=False)
    assert _told() == {"10": {"n-manager"}}
    escalations_sweep(reported + datetime.timedelta(minutes=61), deliver=False)
    assert _told() == {"10": {"n-manager"}, "60": {"n-purchaser"}}  # never the outsider
    keys = set(Notification.objects.filter(kind="ticket.unacknowledged")
               .values_list("event_key", flat=True))
    assert all(f"ticket-{waiting.pk}-" in key for key in keys)


def test_spec_refuses_a_step_naming_nobody_or_twice_the_same_minutes(ca: Setup) -> None:
    from weibao.contracts.spec.errors import SpecInvalid

    with pytest.raises(SpecInvalid) as raised:
        _import([{"after_minutes": 30}, {"after_minutes": 30, "roles": ["supervisor"]}])
    paths = {error.path for error in raised.value.errors}
    assert {"notifications.escalations[0]",
            "notifications.escalations[1].after_minutes"} <= paths
