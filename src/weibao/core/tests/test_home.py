"""Role homes (issue 16): each role lands on its own home; every figure links to its list;
the page's queries do not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.conftest import login
from weibao.core import selectors

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 10_000))


def make_ticket(contract, **fields):
    """A bare ticket row: the home figures read only its columns."""
    from weibao.tickets.models import Ticket, TicketType

    ticket_type, _ = TicketType.objects.get_or_create(contract=contract, code="fault",
                                                      defaults={"name": "故障"})
    fields.setdefault("reported_at", timezone.now())
    fields.setdefault("title", "读卡机卡机")
    return Ticket.objects.create(contract=contract, number=f"T{next(_numbers):05d}",
                                 ticket_type=ticket_type, **fields)


@pytest.mark.parametrize("name,kind", [("purchaser", "purchaser"), ("manager", "manager"),
                                       ("engineer", "engineer"), ("site", "site"),
                                       ("supervisor", "supervisor"), ("admin", "manager")])
def test_each_role_lands_on_its_home(client, world, name, kind):
    login(client, world.users[name])
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["kind"] == kind
    assert f'data-testid="home-{kind}"' in response.content.decode()


def test_purchaser_home_counts_open_tickets_by_level(client, world):
    for level in ("L1", "L1", "L2"):
        make_ticket(contract=world.a, fault_level=level)
    make_ticket(contract=world.b, fault_level="L1")  # not the purchaser's contract
    levels = {s.label: s for s in selectors.open_by_level(world.users["purchaser"])}
    assert levels["L1"].value == 2 and levels["L2"].value == 1
    assert levels["L1"].url == reverse("tickets:list") + "?open=true&fault_level=L1"
    login(client, world.users["purchaser"])
    html = client.get("/").content.decode()
    assert 'data-testid="my-contracts"' in html
    assert 'data-stat="breaches"' in html


def test_manager_home_queries_do_not_grow_with_tickets(client, world,
                                                       django_assert_max_num_queries):
    login(client, world.users["manager"])
    for _ in range(3):
        make_ticket(contract=world.a, assignee=world.users["engineer"],
                      next_due_at=timezone.now() + datetime.timedelta(minutes=30))
    with django_assert_max_num_queries(30) as before:
        client.get("/")
    for _ in range(10):
        make_ticket(contract=world.a, assignee=world.users["engineer"],
                      next_due_at=timezone.now() + datetime.timedelta(minutes=30))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get("/")
    stats = {s.key: s.value for s in response.context["stats"]}
    assert stats["open"] == 13 and stats["at-risk"] == 13


def test_engineer_home_lists_own_tickets_soonest_due_first(client, world):
    now = timezone.now()
    late = make_ticket(contract=world.a, assignee=world.users["engineer"],
                         next_due_at=now + datetime.timedelta(hours=5))
    soon = make_ticket(contract=world.a, assignee=world.users["engineer"],
                         next_due_at=now + datetime.timedelta(hours=1))
    make_ticket(contract=world.a, assignee=world.users["manager"])
    data = selectors.engineer_home(world.users["engineer"], now)
    assert [t.pk for t in data["mine"]] == [soon.pk, late.pk]
