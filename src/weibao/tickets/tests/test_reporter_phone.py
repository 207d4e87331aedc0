"""PLT-02: the reporter's phone is stored encrypted and shown in full only to who handles or
verifies the ticket (and the reporter); anyone else who may see the ticket gets it masked."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from weibao.contracts.choices import PartyRole
from weibao.contracts.models import ContractParty
from weibao.core.choices import OrganisationKind, Role
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.test_views import client_for, report


def test_plt02_reporter_phone_encrypted_and_masked_for_the_supervisor(ca: Setup) -> None:
    ticket = report(ca)
    ticket.reporter_phone = "13812345678"
    ticket.save(update_fields=["reporter_phone"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM tickets_ticket WHERE id = %s", [ticket.pk])
        assert "13812345678" not in cursor.fetchone()[0]
    org = OrganisationFactory(kind=OrganisationKind.SUPERVISOR)
    ContractParty.objects.create(contract=ca.contract, organisation=org,
                                 role=PartyRole.SUPERVISOR)
    supervisor = UserFactory(username="ph-supervisor", organisation=org, role=Role.SUPERVISOR)
    url = reverse("tickets:detail", args=[ticket.pk])
    for user, shown in ((ca.people["engineer"], "13812345678"),
                        (ca.people["purchaser"], "13812345678"),
                        (supervisor, "138****5678")):
        body = client_for(user).get(url).content.decode()
        assert shown in body, user.username
        if shown.count("*"):
            assert "13812345678" not in body
