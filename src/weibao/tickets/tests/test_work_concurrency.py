"""Concurrent writers of the work a ticket produces, on PostgreSQL (TKT-06, TKT-07, SPR-02):
two purchasers approving the same report, two ratings of one ticket, two engineers taking the
last part for their tickets — exactly one wins, the other gets a conflict."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from weibao.core.choices import Role
from weibao.spares.models import StockBalance, StockMovement
from weibao.testing.factories import UserFactory
from weibao.tickets import services
from weibao.tickets.models import FaultReport, Satisfaction
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.test_concurrency import race
from weibao.tickets.tests.work_helpers import SIGNATURE, restored, stocked, submitted

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent transactions need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _second_purchaser(ca: Setup) -> object:
    return UserFactory(organisation=ca.people["purchaser"].organisation,
                       role=Role.PURCHASER_STAFF)


def test_tkt06_two_purchasers_approve_at_once_one_wins(ca: Setup):
    ticket = submitted(ca)
    purchasers = [ca.people["purchaser"], _second_purchaser(ca)]
    results = race(*[lambda p=p: services.approve_report(ticket.pk, p, signature=SIGNATURE)
                     for p in purchasers])
    winners = [r for r in results if isinstance(r, FaultReport)]
    losers = [r for r in results if isinstance(r, services.TicketConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert ticket.events.filter(action="verify").count() == 1


def test_tkt07_two_ratings_at_once_one_is_kept(ca: Setup):
    ticket = restored(ca)
    purchasers = [ca.people["purchaser"], _second_purchaser(ca)]
    results = race(*[lambda p=p: services.rate_ticket(ticket.pk, p, rating=5)
                     for p in purchasers])
    assert sum(isinstance(r, Satisfaction) for r in results) == 1, results
    assert sum(isinstance(r, services.TicketConflict) for r in results) == 1, results
    assert Satisfaction.objects.filter(ticket=ticket).count() == 1


def test_tkt06_two_tickets_take_the_last_part_one_gets_it(ca: Setup):
    warehouse, part = stocked(ca, quantity=1)
    tickets = [restored(ca), restored(ca)]
    results = race(*[lambda t=t: services.issue_parts(t.pk, ca.people["engineer"],
                                                      warehouse=warehouse, part_type=part,
                                                      quantity=1) for t in tickets])
    assert sum(isinstance(r, StockMovement) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert StockBalance.objects.get(warehouse=warehouse, part_type=part).on_hand == 0


@pytest.fixture(autouse=True)
def national_calendars(transactional_db: None) -> None:
    """The flush of an earlier transactional test removed the seeded calendars."""
    from weibao.testing.calendars import ensure_national_calendars

    ensure_national_calendars()
