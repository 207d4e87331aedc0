"""The staff pages per role (STF-01…05): who may open and act on which page; the phone
check-in; the purchaser confirming corrections and deciding changes; the duty roster."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weibao.staff.choices import AttendanceStatus, ChangeStatus, Education
from weibao.staff.models import AttendanceCorrection, AttendanceDay, DutyShift, PersonalData
from weibao.staff.services import add_member
from weibao.testing.examples import Setup, example_setup


@pytest.fixture
def onsite(db: object) -> Setup:
    return example_setup("001-changzhou-hrss-onsite.yaml", "pg", supervisor=True)


PAGES = ["staff:roster", "staff:check-in", "staff:attendance", "staff:duty", "staff:changes"]


@pytest.mark.parametrize("role", ["purchaser", "manager", "engineer", "supervisor"])
def test_every_staff_page_opens_for_every_role_on_the_contract(onsite: Setup, client: Client,
                                                               role: str) -> None:
    client.force_login(onsite.people[role])
    for name in PAGES:
        response = client.get(reverse(name) + f"?contract={onsite.contract.pk}")
        assert response.status_code == 200, (role, name)


@pytest.mark.parametrize(("role", "perms"), [
    ("purchaser", {"confirm_attendancecorrection", "decide_personnelchange",
                   "view_personaldata"}),
    ("manager", {"add_attendancecorrection", "add_personnelchange", "add_leave",
                 "view_personaldata", "add_dutyshift"}),
    ("engineer", set()),
    ("supervisor", set()),
])
def test_permission_matrix_stf02_to_stf05(onsite: Setup, role: str, perms: set[str]) -> None:
    user = onsite.people[role]
    every = {"confirm_attendancecorrection", "decide_personnelchange", "view_personaldata",
             "add_attendancecorrection", "add_personnelchange", "add_leave", "add_dutyshift"}
    assert {p for p in every if user.has_perm(f"staff.{p}")} == perms


def test_stf04_phone_check_in_page(onsite: Setup, client: Client) -> None:
    engineer = onsite.people["engineer"]
    member = add_member(onsite.contract, "王驻场", starts_on=datetime.date(2020, 1, 1),
                        resident=True, user=engineer)
    client.force_login(engineer)
    page = client.get(reverse("staff:check-in")).content.decode()
    assert 'data-testid="check-in"' in page
    client.post(reverse("staff:check-in"), {"member": member.pk, "do": "in",
                                             "location": "机房"})
    row = AttendanceDay.objects.get(member=member, day=timezone.localdate())
    assert row.status == AttendanceStatus.PRESENT and row.location == "机房"
    assert 'data-testid="check-out"' in client.get(reverse("staff:check-in")).content.decode()
    client.force_login(onsite.people["purchaser"])  # not the purchaser's post: 404
    assert client.post(reverse("staff:check-in"), {"member": member.pk}).status_code == 404


def test_stf04_the_manager_corrects_and_the_purchaser_confirms_on_the_page(onsite: Setup,
                                                                          client: Client):
    member = add_member(onsite.contract, "王驻场", starts_on=datetime.date(2024, 10, 8),
                        resident=True)
    day = AttendanceDay.objects.create(member=member, day=datetime.date(2024, 10, 8),
                                       status=AttendanceStatus.ABSENT)
    url = reverse("staff:attendance") + f"?contract={onsite.contract.pk}&month=2024-10"
    client.force_login(onsite.people["manager"])
    assert "王驻场" in client.get(url).content.decode()
    client.post(url, {"do": "correct", "day": day.pk, "status_to": "present",
                      "reason": "门禁记录"})
    correction = AttendanceCorrection.objects.get(day=day)
    client.force_login(onsite.people["engineer"])
    client.post(url, {"do": "confirm", "correction": correction.pk})
    day.refresh_from_db()
    assert day.status == AttendanceStatus.ABSENT  # an engineer cannot confirm
    client.force_login(onsite.people["purchaser"])
    client.post(url, {"do": "confirm", "correction": correction.pk})
    day.refresh_from_db()
    assert day.status == AttendanceStatus.PRESENT and day.corrected


def test_stf05_the_purchaser_approves_a_change_on_the_page(onsite: Setup, client: Client):
    leaving = add_member(onsite.contract, "王本科", starts_on=datetime.date(2024, 9, 1),
                         resident=True)
    replacement = add_member(onsite.contract, "孙本科", starts_on=datetime.date(2024, 10, 1),
                             resident=True)
    for m in (leaving, replacement):
        PersonalData.objects.create(member=m, education=Education.BACHELOR)
    client.force_login(onsite.people["manager"])
    url = reverse("staff:changes") + f"?contract={onsite.contract.pk}"
    response = client.post(url, {"contract": onsite.contract.pk, "leaving": leaving.pk,
                                 "replacement": replacement.pk, "effective_on": "2024-11-30",
                                 "reason": "调岗"})
    assert response.status_code == 302
    change = leaving.contract.personnel_changes.get()
    client.force_login(onsite.people["purchaser"])
    assert 'data-testid="approve-change"' in client.get(url).content.decode()
    client.post(reverse("staff:change", args=[change.pk]), {"do": "approve", "note": "同意"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED


def test_stf04_duty_roster_and_contacts_masked_for_an_engineer(onsite: Setup, client: Client):
    member = add_member(onsite.contract, "王驻场", starts_on=datetime.date(2020, 1, 1),
                        resident=True, user=onsite.people["engineer"])
    PersonalData.objects.create(member=member, phone="13812345678")
    client.force_login(onsite.people["manager"])
    url = reverse("staff:duty") + f"?contract={onsite.contract.pk}"
    now = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(url, {"contract": onsite.contract.pk,
                                 "user": onsite.people["engineer"].pk,
                                 "starts_at": (now - datetime.timedelta(hours=1))
                                 .strftime("%Y-%m-%dT%H:%M"),
                                 "ends_at": (now + datetime.timedelta(hours=8))
                                 .strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302 and DutyShift.objects.count() == 1
    assert "13812345678" in client.get(url).content.decode()
    client.force_login(onsite.people["supervisor"])
    body = client.get(url).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert str(onsite.people["engineer"]) in body.split('data-testid="now-on-duty"')[1][:200]


def test_stf02_the_roster_flags_certificates_expiring_soon(onsite: Setup, client: Client):
    today = timezone.localdate()
    add_member(onsite.contract, "王驻场", starts_on=datetime.date(2020, 1, 1), resident=True,
               certificates=[("将到期证书", today + datetime.timedelta(days=30)),
                             ("长期证书", today + datetime.timedelta(days=400)),
                             ("过期证书", today - datetime.timedelta(days=1))])
    client.force_login(onsite.people["purchaser"])
    body = client.get(reverse("staff:roster") + f"?contract={onsite.contract.pk}").content
    text = body.decode()
    assert text.count('data-testid="expiring"') == 1
    assert "bg-red-lt" in text.split("过期证书")[1][:200]


def test_plt02_masking_costs_one_check_per_contract_not_per_member(onsite: Setup,
                                                                  client: Client) -> None:
    """The roster and the members API decide who sees personal data once per contract: their
    query count does not grow with the team."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(onsite.people["purchaser"])
    url = reverse("staff:roster") + f"?contract={onsite.contract.pk}"
    api = f"/api/staff/members/?contract={onsite.contract.number}"

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    add_member(onsite.contract, "成员0", starts_on=datetime.date(2020, 1, 1))
    few = (queries(url), queries(api))
    for i in range(1, 8):
        add_member(onsite.contract, f"成员{i}", starts_on=datetime.date(2020, 1, 1))
    assert (queries(url), queries(api)) == few
