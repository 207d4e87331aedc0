"""The staff API (STF-01…05, PLT-01/02): members with personal data masked per caller,
compliance, check-in, monthly attendance, corrections, personnel changes and duty shifts;
another vendor's caller gets 404s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from weibao.staff.choices import AttendanceStatus, Education
from weibao.staff.models import AttendanceDay, PersonalData
from weibao.staff.services import add_member
from weibao.testing.examples import Setup, example_setup

ID = "11010519491231002X"


@pytest.fixture
def onsite(db: object) -> Setup:
    return example_setup("001-changzhou-hrss-onsite.yaml", "api")


def _client(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_members_are_masked_per_caller_and_scoped(onsite: Setup) -> None:
    member = add_member(onsite.contract, "王驻场", starts_on=datetime.date(2024, 9, 1),
                        resident=True)
    PersonalData.objects.create(member=member, id_number=ID, phone="13812345678",
                                education=Education.BACHELOR)
    number = onsite.contract.number
    full = _client(onsite.people["purchaser"]).get(f"/api/staff/members/?contract={number}")
    assert full.status_code == 200
    row = full.json()["results"][0] if "results" in full.json() else full.json()[0]
    assert (row["phone"], row["id_number"], row["masked"]) == ("13812345678", ID, False)
    masked = _client(onsite.people["engineer"]).get(f"/api/staff/members/{member.pk}/").json()
    assert (masked["phone"], masked["id_number"], masked["masked"]) == (
        "138****5678", "1101**********002X", True)
    outsider = _client(onsite.people["outsider"])
    assert outsider.get(f"/api/staff/members/{member.pk}/").status_code == 404
    assert outsider.get(f"/api/staff/members/compliance/?contract={number}").status_code == 404
    rules = _client(onsite.people["engineer"]).get(
        f"/api/staff/members/compliance/?contract={number}").json()
    assert rules[0] == {"label": "驻场服务人员", "minimum": 2, "count": 1, "shortfall": 1,
                        "ok": False}


def test_check_in_then_monthly_attendance_and_a_correction(onsite: Setup) -> None:
    engineer, manager, purchaser = (onsite.people[r] for r in ("engineer", "manager",
                                                                "purchaser"))
    member = add_member(onsite.contract, "王驻场", starts_on=datetime.date(2020, 1, 1),
                        resident=True, user=engineer)
    answer = _client(engineer).post(f"/api/staff/members/{member.pk}/check-in/",
                                    {"location": "机房"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "present"
    assert _client(engineer).post(f"/api/staff/members/{member.pk}/check-out/").status_code == 200
    month = timezone.localdate().strftime("%Y-%m")
    number = onsite.contract.number
    report = _client(purchaser).get(
        f"/api/staff/attendance/monthly/?contract={number}&month={month}").json()
    assert report["contract"] == number and report["members"][0]["name"] == "王驻场"
    bad = _client(purchaser).get(f"/api/staff/attendance/monthly/?contract={number}&month=13")
    assert bad.status_code == 400
    day = AttendanceDay.objects.create(member=member, day=datetime.date(2024, 10, 8),
                                       status=AttendanceStatus.ABSENT)
    denied = _client(engineer).post(f"/api/staff/attendance/{day.pk}/correct/",
                                    {"status_to": "present", "reason": "门禁"}, format="json")
    assert denied.status_code == 403
    made = _client(manager).post(f"/api/staff/attendance/{day.pk}/correct/",
                                 {"status_to": "present", "reason": "门禁"}, format="json")
    assert made.status_code == 201
    decided = _client(purchaser).post(f"/api/staff/corrections/{made.json()['id']}/decide/",
                                      {"approve": True}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    day.refresh_from_db()
    assert day.status == AttendanceStatus.PRESENT


def test_a_change_refused_for_qualification_is_a_400_with_the_reason(onsite: Setup) -> None:
    leaving = add_member(onsite.contract, "王本科", starts_on=datetime.date(2024, 9, 1),
                         resident=True)
    college = add_member(onsite.contract, "李大专", starts_on=datetime.date(2024, 9, 1),
                         resident=True)
    PersonalData.objects.create(member=leaving, education=Education.BACHELOR)
    PersonalData.objects.create(member=college, education=Education.COLLEGE)
    answer = _client(onsite.people["manager"]).post("/api/staff/changes/", {
        "contract": onsite.contract.number, "leaving": leaving.pk, "replacement": college.pk,
        "reason": "离职", "effective_on": "2024-11-30"}, format="json")
    assert answer.status_code == 400 and "lower education" in str(answer.json())


def test_duty_shifts_and_who_is_on_duty_now(onsite: Setup) -> None:
    engineer = onsite.people["engineer"]
    add_member(onsite.contract, "王驻场", starts_on=datetime.date(2020, 1, 1), user=engineer)
    now = timezone.now()
    made = _client(onsite.people["manager"]).post("/api/staff/duty/", {
        "contract": onsite.contract.number, "user": engineer.username,
        "starts_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "ends_at": (now + datetime.timedelta(hours=1)).isoformat()}, format="json")
    assert made.status_code == 201
    assert _client(onsite.people["engineer"]).post("/api/staff/duty/", {}).status_code == 403
    on = _client(onsite.people["purchaser"]).get(
        f"/api/staff/duty/now/?contract={onsite.contract.number}").json()
    assert [row["username"] for row in on] == [engineer.username]


def test_openapi_schema_has_the_staff_endpoints_without_warnings(db: None) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [message for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
            if "staff" in message.lower() or "Member" in message or "Change" in message]
    assert ours == []
    for path in ["/api/staff/members/", "/api/staff/members/compliance/",
                 "/api/staff/members/{id}/check-in/", "/api/staff/attendance/monthly/",
                 "/api/staff/attendance/{id}/correct/", "/api/staff/corrections/{id}/decide/",
                 "/api/staff/changes/", "/api/staff/changes/{id}/decide/",
                 "/api/staff/duty/", "/api/staff/duty/now/"]:
        assert path in schema["paths"], path
