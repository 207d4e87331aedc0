"""Concurrent writers on PostgreSQL (TKT-05, TKT-01): two engineers accepting the same ticket
at the same moment — exactly one wins, the other gets a conflict (409 through the API) — and
two creations with the same ``Idempotency-Key`` make one ticket.

Each thread has its own database connection (Django connections are per thread) and waits at a
barrier so both requests hit the database together. SQLite serialises all writers on one file
lock, so it cannot show the race: these tests run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from weibao.tickets import services
from weibao.tickets.models import Ticket, TicketEvent
from weibao.tickets.tests.conftest import Setup

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent transactions need PostgreSQL; SQLite "
                              "serialises writers on a file lock"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once, one thread and one connection each; return each result or the
    exception it raised, in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_two_engineers_accept_at_once_exactly_one_wins(ca: Setup):
    """TKT-05: the ticket row is locked; the second engineer sees the first one's name."""
    ticket = ca.report("2025-10-10 10:00")
    engineers = [ca.people["engineer"], ca.people["engineer2"]]
    results = race(*[lambda e=e: services.accept(ticket.pk, e) for e in engineers])
    winners = [r for r in results if isinstance(r, Ticket)]
    losers = [r for r in results if isinstance(r, services.TicketConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    ticket.refresh_from_db()
    assert ticket.assignee_id == winners[0].assignee_id
    assert ticket.version == 2
    assert TicketEvent.objects.filter(ticket=ticket, action="accept").count() == 1


def test_two_engineers_accept_through_the_api_one_200_one_409(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    clients = [client_for(ca.people["engineer"]), client_for(ca.people["engineer2"])]
    responses = race(*[lambda c=c: c.post(f"/api/tickets/{ticket.pk}/accept/", {},
                                          format="json") for c in clients])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [getattr(r, "data", r) for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["version"] == 2
    ticket.refresh_from_db()
    assert ticket.assignee is not None
    assert TicketEvent.objects.filter(ticket=ticket, action="accept").count() == 1


def test_two_creates_with_the_same_idempotency_key_make_one_ticket(ca: Setup):
    """TKT-01: a phone's retry racing its own first attempt still makes one ticket; both get
    the same answer."""
    body = {"contract": ca.contract.number, "ticket_type": "fault", "title": "OA 无法登录",
            "scope": "small", "channel": "phone"}
    clients = [client_for(ca.people["purchaser"]), client_for(ca.people["purchaser"])]
    responses = race(*[lambda c=c: c.post("/api/tickets/", body, format="json",
                                          HTTP_IDEMPOTENCY_KEY="retry-race-1")
                       for c in clients])
    assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Ticket.objects.filter(contract=ca.contract).count() == 1
    assert sum(r.get("Idempotent-Replayed") == "true" for r in responses) == 1


def test_two_creates_without_a_key_get_distinct_numbers(ca: Setup):
    """TKT-01: concurrent creations on one contract never share a ticket number."""
    body = {"contract": ca.contract.number, "ticket_type": "fault", "title": "打印机卡纸",
            "scope": "small", "channel": "phone"}
    clients = [client_for(ca.people["purchaser"]) for _ in range(3)]
    responses = race(*[lambda c=c: c.post("/api/tickets/", body, format="json")
                       for c in clients])
    assert [r.status_code for r in responses] == [201, 201, 201]
    numbers = {r.json()["number"] for r in responses}
    assert len(numbers) == 3


@pytest.fixture(autouse=True)
def national_calendars(transactional_db: None) -> None:
    """The flush of an earlier transactional test removed the seeded calendars."""
    from weibao.testing.calendars import ensure_national_calendars

    ensure_national_calendars()
