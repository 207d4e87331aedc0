"""PLT-01 for every calendar page: who may open it (200), who may not (403), to whom another
contract's calendar does not exist (404); anonymous visitors are sent to /login/."""

from __future__ import annotations

import pytest

from weibao.calendars.choices import DayType
from weibao.calendars.models import CalendarDay, WorkCalendar
from weibao.conftest import World, login

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
EVERYONE = {*PARTY_ROLES, "admin", "outsider", "outsider_manager"}
PARTIES_OF_A = {*PARTY_ROLES, "admin"}
KEEPERS = {"purchaser", "manager", "outsider", "outsider_manager", "admin"}
KEEPERS_OF_A = {"purchaser", "manager", "admin"}
ADMIN = {"admin"}

# (url, roles that get 200, roles that get 404; every other role gets 403)
PAGES: list[tuple[str, set[str], set[str]]] = [
    ("/calendars/", EVERYONE, set()),
    ("/calendars/?scope=national&q=cn", EVERYONE, set()),
    ("/calendars/cn-0830-1730/", EVERYONE, set()),
    ("/calendars/cn-0830-1730/?year=2025", EVERYONE, set()),
    ("/calendars/7x24/", EVERYONE, set()),
    ("/calendars/cn-0830-1730/history/", EVERYONE, set()),
    ("/calendars/cn-0830-1730/edit/", ADMIN, set()),
    ("/calendars/cn-0830-1730/days/new/", ADMIN, set()),
    ("/calendars/a-hours/", PARTIES_OF_A, {"outsider", "outsider_manager"}),
    ("/calendars/a-hours/history/", PARTIES_OF_A, {"outsider", "outsider_manager"}),
    ("/calendars/a-hours/edit/", KEEPERS_OF_A, {"outsider", "outsider_manager"}),
    ("/calendars/a-hours/days/new/", KEEPERS_OF_A, {"outsider", "outsider_manager"}),
    ("/calendars/a-hours/days/2025-10-09/", KEEPERS_OF_A, {"outsider", "outsider_manager"}),
    ("/calendars/b-hours/", {"admin", "outsider", "outsider_manager"}, set(PARTY_ROLES)),
    ("/calendars/new/", KEEPERS, set()),
    ("/calendars/holidays/", EVERYONE, set()),
    ("/calendars/holidays/cn/", EVERYONE, set()),
    ("/calendars/holidays/cn/history/", EVERYONE, set()),
    ("/calendars/holidays/cn/years/2025/", EVERYONE, set()),
    ("/calendars/holidays/cn/years/new/", ADMIN, set()),
    ("/calendars/holidays/cn/days/2025-10-01/", ADMIN, set()),
]


@pytest.fixture
def data(cal_world: World) -> World:
    CalendarDay.objects.create(calendar=WorkCalendar.objects.get(code="a-hours"),
                               date="2025-10-09", kind=DayType.HOLIDAY, name="搬迁")
    return cal_world


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_plt01_page_matrix(client, data: World, role: str):
    login(client, data.users[role])
    wrong = []
    for url, allowed, hidden in PAGES:
        want = 200 if role in allowed else 404 if role in hidden else 403
        got = client.get(url).status_code
        if got != want:
            wrong.append(f"{url}: got {got}, expected {want}")
    assert wrong == []


def test_plt01_anonymous_is_sent_to_login(client, data: World):
    for url, _allowed, _hidden in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_list_shows_national_and_own_calendars_only(client, data: World):
    login(client, data.users["engineer"])
    body = client.get("/calendars/").content.decode()
    assert 'data-calendar="a-hours"' in body and 'data-calendar="cn-0830-1730"' in body
    assert 'data-calendar="b-hours"' not in body
    login(client, data.users["admin"])
    assert 'data-calendar="b-hours"' in client.get("/calendars/").content.decode()


def test_nav_has_calendars_for_those_who_use_them(client, data: World):
    """Issue 16: the vendor manager's menu has the calendars; site staff have no use for
    them (the page itself stays open to every role that may view calendars)."""
    login(client, data.users["manager"])
    assert 'href="/calendars/"' in client.get("/").content.decode()
    login(client, data.users["site"])
    assert 'href="/calendars/"' not in client.get("/").content.decode()


def test_detail_shows_the_year_grid_with_day_types(client, data: World):
    login(client, data.users["engineer"])
    body = client.get("/calendars/a-hours/?year=2025").content.decode()
    assert 'data-date="2025-10-01" data-kind="holiday"' in body
    assert 'data-date="2025-09-28" data-kind="adjusted_workday"' in body
    assert 'data-date="2025-10-09" data-kind="holiday"' in body  # own day wins
    assert 'data-date="2025-10-10" data-kind="workday"' in body
    assert 'data-date="2025-10-12" data-kind="weekend"' in body
    assert 'data-testid="provisional"' not in body
    assert "table-responsive" in body and "08:30-17:30" in body
    partial = client.get("/calendars/a-hours/?year=2030", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="year-grid"')
    assert 'data-testid="no-data"' in partial.content.decode()


# --- writes ---------------------------------------------------------------------------------

def test_plt01_own_day_post_matrix(client, data: World):
    for role in sorted(EVERYONE):
        login(client, data.users[role])
        response = client.post("/calendars/a-hours/days/new/",
                               {"date": "2025-11-03", "kind": "holiday", "name": role})
        created = CalendarDay.objects.filter(calendar__code="a-hours", name=role).exists()
        if role in KEEPERS_OF_A:
            assert response.status_code == 302, role
            assert created
            CalendarDay.objects.filter(calendar__code="a-hours", date="2025-11-03").delete()
        else:
            assert response.status_code == (404 if role.startswith("outsider") else 403), role
            assert not created, role


def test_plt01_day_delete_and_national_edits_are_refused(client, data: World):
    login(client, data.users["manager"])
    assert client.post("/calendars/cn-0830-1730/edit/",
                       {"name": "x", "mon": "00:00-24:00"}).status_code == 403
    assert client.post("/calendars/holidays/cn/days/2025-10-01/",
                       {"kind": ""}).status_code == 403
    login(client, data.users["outsider"])
    assert client.post("/calendars/a-hours/days/2025-10-09/delete/").status_code == 404
    assert CalendarDay.objects.filter(calendar__code="a-hours").exists()
    login(client, data.users["purchaser"])
    response = client.post("/calendars/a-hours/days/2025-10-09/delete/")
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(calendar__code="a-hours").exists()


def test_manager_creates_and_edits_a_calendar_of_own_contract_only(client, data: World):
    login(client, data.users["manager"])
    base = WorkCalendar.objects.get(code="cn-0830-1730").pk
    refused = client.post("/calendars/new/", {"code": "b-x", "name": "x",
                                              "contract": data.b.pk, "based_on": base})
    assert refused.status_code == 400 and not WorkCalendar.objects.filter(code="b-x").exists()
    national = client.post("/calendars/new/", {"code": "n-x", "name": "x", "based_on": base})
    assert national.status_code == 400  # a contract is required
    response = client.post("/calendars/new/", {"code": "a-lunch", "name": "午休",
                                               "contract": data.a.pk, "based_on": base})
    assert response.status_code == 302 and response["Location"] == "/calendars/a-lunch/edit/"
    calendar = WorkCalendar.objects.get(code="a-lunch")
    assert calendar.contract == data.a and calendar.holiday_set.code == "cn"
    response = client.post("/calendars/a-lunch/edit/", {
        "name": "午休", "mon": "08:30-12:00, 13:00-17:30", "tue": "08:30-12:00，13:00-17:30",
        "sat": "09:00-12:00"})
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.weekly_hours["tue"] == ["08:30-12:00", "13:00-17:30"]
    assert calendar.weekly_hours["wed"] == [] and calendar.weekly_hours["sat"] == ["09:00-12:00"]
    bad = client.post("/calendars/a-lunch/edit/",
                      {"name": "午休", "mon": "08:30-12:00, 11:00-13:00"})
    assert bad.status_code == 400 and "overlapping" in bad.content.decode()


def test_admin_edits_a_national_calendar(client, data: World):
    login(client, data.users["admin"])
    response = client.post("/calendars/cn-0830-1730-lunch/edit/", {
        "name": "午休", "kind": "standard", "timezone": "Asia/Shanghai",
        "holiday_set": WorkCalendar.objects.get(code="cn-0830-1730").holiday_set_id,
        "mon": "08:30-12:00 13:00-17:00"})
    assert response.status_code == 302
    assert WorkCalendar.objects.get(code="cn-0830-1730-lunch").weekly_hours["mon"] == [
        "08:30-12:00", "13:00-17:00"]
    bad = client.post("/calendars/cn-0830-1730-lunch/edit/", {
        "name": "x", "kind": "standard", "timezone": "Mars/Olympus"})
    assert bad.status_code == 400
