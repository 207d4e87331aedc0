"""The roster page and the permission matrix (STF-01)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from weibao.staff.models import Member
from weibao.testing.examples import example_setup


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "can_view", "can_add"), [
    ("purchaser", True, False),
    ("manager", True, True),
    ("engineer", True, False),
    ("outsider", True, True),  # a vendor manager of another vendor: scoped by contract below
])
def test_permission_matrix_stf01(role: str, can_view: bool, can_add: bool) -> None:
    s = example_setup("004-qingpu-egov-cloud.yaml", "p")
    user = s.people[role]
    assert user.has_perm("staff.view_member") is can_view
    assert user.has_perm("staff.add_member") is can_add
    assert not user.has_perm("staff.delete_member")


@pytest.mark.django_db
def test_roster_shows_compliance_to_the_purchaser_stf01(client: Client) -> None:
    s = example_setup("004-qingpu-egov-cloud.yaml", "v")
    client.force_login(s.people["purchaser"])
    url = reverse("staff:roster") + f"?contract={s.contract.pk}"
    body = client.get(url).content.decode()
    assert "常驻现场工程师" in body and "bg-red-lt" in body
    Member.objects.create(contract=s.contract, name="张驻场", resident=True,
                          starts_on=datetime.date(2020, 1, 1))
    body = client.get(url).content.decode()
    assert "张驻场" in body and "bg-green-lt" in body


@pytest.mark.django_db
def test_outsider_does_not_see_the_team_plt01(client: Client) -> None:
    s = example_setup("004-qingpu-egov-cloud.yaml", "o")
    Member.objects.create(contract=s.contract, name="张驻场", resident=True,
                          starts_on=datetime.date(2020, 1, 1))
    client.force_login(s.people["outsider"])
    body = client.get(reverse("staff:roster") + f"?contract={s.contract.pk}").content.decode()
    assert "张驻场" not in body
