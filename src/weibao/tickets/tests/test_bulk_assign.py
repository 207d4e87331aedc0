"""Bulk dispatch from the ticket list (issue 16): ticked tickets go to one engineer through
the assign service; only who may assign sees the tick boxes; other contracts stay untouched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.conftest import login
from weibao.core.tests.test_home import make_ticket

pytestmark = pytest.mark.django_db


def test_the_manager_assigns_ticked_tickets(client, world):
    mine = [make_ticket(world.a) for _ in range(3)]
    foreign = make_ticket(world.b)
    login(client, world.users["manager"])
    page = client.get(reverse("tickets:list")).content.decode()
    assert 'data-testid="bulk-assign"' in page and 'form="bulk-assign"' in page
    response = client.post(reverse("tickets:bulk-assign"), {
        "ticket": [mine[0].pk, mine[1].pk, foreign.pk], "assignee": world.users["engineer"].pk,
        "next": "open=true"})
    assert response.status_code == 302 and response.url.endswith("/tickets/?open=true")
    for ticket in (*mine, foreign):
        ticket.refresh_from_db()
    assert [t.assignee for t in mine] == [world.users["engineer"]] * 2 + [None]
    assert foreign.assignee is None
    assert mine[0].events.filter(action="assign").count() == 1


def test_no_tick_boxes_and_no_bulk_assignment_without_the_permission(client, world):
    ticket = make_ticket(world.a)
    login(client, world.users["purchaser"])
    page = client.get(reverse("tickets:list")).content.decode()
    assert 'form="bulk-assign"' not in page
    response = client.post(reverse("tickets:bulk-assign"),
                           {"ticket": [ticket.pk], "assignee": world.users["engineer"].pk})
    assert response.status_code == 403


def test_an_engineer_of_another_organisation_is_refused(client, world):
    ticket = make_ticket(world.a)
    login(client, world.users["manager"])
    response = client.post(reverse("tickets:bulk-assign"), {
        "ticket": [ticket.pk], "assignee": world.users["outsider_manager"].pk})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.assignee is None
