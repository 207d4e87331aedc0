"""The calendars API: scoping (PLT-01), days of a year, holiday years, the compute helper."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from weibao.calendars.models import HolidayYear
from weibao.conftest import World

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
EVERYONE = [*PARTY_ROLES, "admin", "outsider", "outsider_manager"]


def as_user(api: APIClient, world: World, role: str) -> APIClient:
    api.force_authenticate(world.users[role])
    return api


def assert_error_format(response, code: str | None = None) -> dict:
    body = response.json()
    assert set(body) >= {"message", "code", "errors"}, body
    if code is not None:
        assert body["code"] == code, body
    return body


# (method, url, body, roles allowed, roles that get 404; everyone else 403)
ENDPOINTS = [
    ("get", "/api/calendars/", None, set(EVERYONE), set()),
    ("get", "/api/calendars/cn-0830-1730/", None, set(EVERYONE), set()),
    ("get", "/api/calendars/cn-0830-1730/days/?year=2025", None, set(EVERYONE), set()),
    ("post", "/api/calendars/cn-0830-1730/compute/",
     {"start": "2025-09-30T16:45:00+08:00", "amount": 3, "unit": "working_hours"},
     set(EVERYONE), set()),
    ("get", "/api/calendars/a-hours/", None, {*PARTY_ROLES, "admin"},
     {"outsider", "outsider_manager"}),
    ("post", "/api/calendars/a-hours/compute/",
     {"start": "2025-09-30T16:45:00+08:00", "amount": 1, "unit": "working_days"},
     {*PARTY_ROLES, "admin"}, {"outsider", "outsider_manager"}),
    ("get", "/api/calendars/b-hours/days/?year=2025", None,
     {"admin", "outsider", "outsider_manager"}, set(PARTY_ROLES)),
    ("get", "/api/holiday-sets/", None, set(EVERYONE), set()),
    ("get", "/api/holiday-sets/cn/", None, set(EVERYONE), set()),
    ("get", "/api/holiday-sets/cn/years/", None, set(EVERYONE), set()),
    ("get", "/api/holiday-sets/cn/days/?year=2025", None, set(EVERYONE), set()),
    ("post", "/api/holiday-sets/cn/years/",
     {"year": 2027, "status": "provisional", "text": "2027-01-01 holiday 元旦"},
     {"admin"}, set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", EVERYONE)
def test_plt01_endpoint_matrix(api, cal_world: World, role: str):
    as_user(api, cal_world, role)
    wrong = []
    for method, url, body, allowed, hidden in ENDPOINTS:
        HolidayYear.objects.filter(year=2027).delete()
        response = getattr(api, method)(url, body, format="json")
        want = (201 if method == "post" and "years" in url else 200) if role in allowed \
            else 404 if role in hidden else 403
        if response.status_code != want:
            wrong.append(f"{method} {url}: got {response.status_code}, expected {want}")
        elif want >= 400:
            assert_error_format(response)
    assert wrong == []


@pytest.mark.django_db
def test_anonymous_gets_401_or_403(api, cal_world: World):
    for method, url, body, _allowed, _hidden in ENDPOINTS:
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code in (401, 403), url
        assert_error_format(response)


@pytest.mark.django_db
def test_list_is_scoped_and_detail_has_weekly_hours(api, cal_world: World):
    codes = [c["code"] for c in as_user(api, cal_world, "engineer").get(
        "/api/calendars/").json()["results"]]
    assert codes == ["7x24", "a-hours", "cn-0830-1730", "cn-0830-1730-lunch"]
    scoped = api.get("/api/calendars/", {"scope": "contract"}).json()["results"]
    assert [c["code"] for c in scoped] == ["a-hours"]
    detail = api.get("/api/calendars/cn-0830-1730-lunch/").json()
    assert detail["weekly_hours"]["mon"] == ["08:30-12:00", "13:00-17:30"]
    assert detail["weekly_hours"]["sun"] == [] and detail["holiday_set"] == "cn"
    assert api.get("/api/calendars/a-hours/").json()["contract_number"] == cal_world.a.number


@pytest.mark.django_db
def test_days_of_a_year(api, cal_world: World):
    body = as_user(api, cal_world, "site").get(
        "/api/calendars/cn-0830-1730-lunch/days/", {"year": 2025}).json()
    assert body["year"] == 2025 and body["provisional"] is False and len(body["days"]) == 365
    days = {d["date"]: d for d in body["days"]}
    assert days["2025-10-01"]["type"] == "holiday" and "国庆节" in days["2025-10-01"]["name"]
    assert days["2025-09-28"]["type"] == "adjusted_workday"
    assert days["2025-09-28"]["segments"] == ["08:30-12:00", "13:00-17:30"]
    assert days["2025-10-12"]["type"] == "weekend" and days["2025-10-12"]["segments"] == []
    always = api.get("/api/calendars/7x24/days/", {"year": 2025}).json()
    assert always["days"][0]["segments"] == ["00:00-24:00"]
    response = api.get("/api/calendars/cn-0830-1730/days/", {"year": 2040})
    assert response.status_code == 400
    assert "2040" in assert_error_format(response, "calendar_error")["message"]
    assert_error_format(api.get("/api/calendars/cn-0830-1730/days/", {"year": "x"}), "invalid")


@pytest.mark.django_db
def test_compute_due_time_with_explanation(api, cal_world: World):
    response = as_user(api, cal_world, "engineer").post(
        "/api/calendars/cn-0830-1730/compute/",
        {"start": "2025-09-30T16:45:00+08:00", "amount": 3, "unit": "working_hours"},
        format="json")
    body = response.json()
    assert body["due"] == "2025-10-09T10:45:00+08:00" and body["provisional"] is False
    assert [n["date"] for n in body["explanation"]][:2] == ["2025-10-01", "2025-10-02"]
    assert body["explanation"][0]["kind"] == "holiday"
    naive = api.post("/api/calendars/cn-0830-1730/compute/",
                     {"start": "2025-09-30T16:45", "amount": "0.5", "unit": "working_hours"},
                     format="json").json()
    assert naive["due"] == "2025-09-30T17:15:00+08:00"


@pytest.mark.django_db
def test_compute_elapsed(api, cal_world: World):
    body = as_user(api, cal_world, "engineer").post(
        "/api/calendars/cn-0830-1730/compute/",
        {"start": "2026-02-13T10:00:00+08:00", "end": "2026-02-24T13:00:00+08:00",
         "unit": "working_days"}, format="json").json()
    assert body["elapsed_exact"] == "3/2" and body["elapsed"] == 1.5


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "code"), [
    ({"start": "2025-09-30T16:45", "amount": 1, "unit": "fortnights"}, "invalid"),
    ({"start": "yesterday", "amount": 1, "unit": "hours"}, "invalid"),
    ({"start": "2025-09-30T16:45", "unit": "hours"}, "invalid"),
    ({"start": "2025-09-30T16:45", "amount": 1, "end": "2025-10-01T00:00",
      "unit": "hours"}, "invalid"),
    ({"start": "2025-09-30T16:45", "amount": -1, "unit": "hours"}, "invalid"),
    ({"start": "2026-12-31T16:45", "amount": 2, "unit": "working_hours"}, "calendar_error"),
    ({"start": "2025-09-30T16:45", "amount": "1.5", "unit": "months"}, "calendar_error"),
])
def test_compute_errors_use_the_shared_format(api, cal_world: World, body, code):
    response = as_user(api, cal_world, "engineer").post(
        "/api/calendars/cn-0830-1730/compute/", body, format="json")
    assert response.status_code == 400
    assert_error_format(response, code)


@pytest.mark.django_db
def test_enter_a_year_through_the_api(api, cal_world: World):
    as_user(api, cal_world, "admin")
    bad = api.post("/api/holiday-sets/cn/years/", {
        "year": 2027, "text": "2027-01-01 holiday 元旦\n2027-01-01 holiday 元旦\n"},
        format="json")
    body = assert_error_format(bad, "year_invalid")
    [error] = body["line_errors"]
    assert error["line"] == 2 and error["code"] == "duplicate"
    assert error["message_en"] == "line 2: 2027-01-01 is already given on line 1"
    assert not HolidayYear.objects.filter(year=2027).exists()
    good = api.post("/api/holiday-sets/cn/years/", {
        "year": 2027, "status": "official", "source": "国办发明电〔2026〕1号",
        "file_format": "csv", "text": "date,kind,name\n2027-01-01,holiday,元旦\n"},
        format="json")
    assert good.status_code == 201
    assert good.json() == {"year": 2027, "status": "official", "source": "国办发明电〔2026〕1号",
                           "updated_at": good.json()["updated_at"], "days": 1}
    again = api.post("/api/holiday-sets/cn/years/", {"year": 2027, "text": ""}, format="json")
    assert again.status_code == 400 and "year" in assert_error_format(again)["errors"]
    years = api.get("/api/holiday-sets/cn/years/").json()
    assert years[-1]["year"] == 2027 and years[-1]["days"] == 1
    days = api.get("/api/holiday-sets/cn/days/", {"year": 2027}).json()
    assert days == [{"date": "2027-01-01", "kind": "holiday", "name": "元旦", "segments": None}]
    assert api.get("/api/holiday-sets/cn/days/", {"year": 2099}).status_code == 404


@pytest.mark.django_db
def test_openapi_schema_builds(client, cal_world: World):
    from weibao.conftest import login

    login(client, cal_world.users["admin"])
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/calendars/{code}/compute/" in paths and "/api/holiday-sets/{code}/years/" in paths
