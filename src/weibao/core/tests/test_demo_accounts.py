"""``weibao demo`` gives every role a login (issue 16): a supervisor on every contract and a
site owner with sites of its own, both idempotent."""

from __future__ import annotations

import pytest

from weibao.contracts.choices import PartyRole
from weibao.core.choices import Role
from weibao.core.management.commands.demo import Command
from weibao.core.models import User
from weibao.sites.models import Site, SiteType
from weibao.testing.examples import example_setup


@pytest.mark.django_db
def test_demo_adds_a_supervisor_and_a_site_owner_with_logins():
    contract = example_setup("000-shanghai-sbk-outlets.yaml", "d").contract
    site_type = SiteType.objects.create(contract=contract, code="outlet", name="网点")
    for index in range(5):
        Site.objects.create(contract=contract, code=f"S{index}", name=f"网点{index}",
                            site_type=site_type)
    command = Command()
    for _ in range(2):
        command._observer_parties()
        accounts = {username: role for username, role, _org in command._accounts("pw-demo-1")}
    roles = set(contract.parties.values_list("role", flat=True))
    assert {PartyRole.SUPERVISOR, PartyRole.SITE_OWNER} <= roles
    assert contract.parties.filter(role=PartyRole.SUPERVISOR).count() == 1
    site_user = User.objects.get(username="wangdian-site")
    assert site_user.role == Role.SITE_STAFF
    assert Site.objects.visible_to(site_user).count() == 3
    assert User.objects.get(username="jianli-supervisor").role == Role.SUPERVISOR
    assert {"wangdian-site", "jianli-supervisor", "admin"} <= set(accounts)
