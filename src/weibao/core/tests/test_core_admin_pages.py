"""Organisation and user management (administrators only, PLT-01), role/kind fit, password
policy (PLT-04), masked phones (PLT-02), /healthz, and the admin back office on trusted
networks only (PLT-08)."""

from __future__ import annotations

import re

import pytest

from weibao.conftest import World, login
from weibao.core.choices import Role
from weibao.core.models import Organisation, User
from weibao.core.services import record_heartbeat, save_user
from weibao.testing.factories import PASSWORD

GOOD_PASSWORD = "Kq7!vendor-ops-2025"

MANAGEMENT_PAGES = [
    "/manage/users/",
    "/manage/users/new/",
    "/manage/users/{user}/",
    "/manage/organisations/new/",
    "/manage/organisations/{org}/",
]


def _user_form(world: World, **changes: str) -> dict[str, str]:
    data = {"username": "zhang.san", "first_name": "三", "last_name": "张",
            "email": "zhang@example.com", "phone": "13812345678",
            "organisation": str(world.orgs["V1"].pk), "role": Role.VENDOR_ENGINEER,
            "is_active": "on", "password": GOOD_PASSWORD}
    data.update(changes)
    return data


# --- access ------------------------------------------------------------------------------------

def test_plt01_administrator_opens_every_management_page(client, world: World):
    login(client, world.users["admin"])
    for url in [*MANAGEMENT_PAGES, "/manage/organisations/"]:
        url = url.format(user=world.users["engineer"].pk, org=world.orgs["P1"].pk)
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["purchaser", "manager", "engineer", "supervisor", "site",
                                  "outsider"])
def test_plt01_non_administrators_get_403_and_change_nothing(client, world: World, role: str):
    login(client, world.users[role])
    for url in MANAGEMENT_PAGES:
        url = url.format(user=world.users["engineer"].pk, org=world.orgs["P1"].pk)
        assert client.get(url).status_code == 403, url
    assert client.post("/manage/users/new/", _user_form(world)).status_code == 403
    assert client.post(f"/manage/organisations/{world.orgs['P1'].pk}/", {
        "name": "改名", "code": "p1", "kind": "purchaser"}).status_code == 403
    assert not User.objects.filter(username="zhang.san").exists()
    assert Organisation.objects.get(code="p1").name == "甲方一"


def test_plt01_management_pages_need_login(client, world: World):
    for url in [*MANAGEMENT_PAGES, "/manage/organisations/"]:
        url = url.format(user=world.users["engineer"].pk, org=world.orgs["P1"].pk)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def _org_names(html: str) -> set[str]:
    return set(re.findall(r'/manage/organisations/\d+/">([^<]+)</a>', html))


@pytest.mark.parametrize(("role", "expected"), [
    ("purchaser", {"甲方一", "乙方一", "监理一", "网点一"}),
    ("supervisor", {"甲方一", "乙方一", "监理一", "网点一"}),
    ("outsider", {"甲方二", "乙方二"}),
    ("admin", {"甲方一", "乙方一", "监理一", "网点一", "甲方二", "乙方二", "平台运维"}),
])
def test_plt01_organisation_list_is_scoped_to_my_contracts(client, world: World, role: str,
                                                           expected: set[str]):
    login(client, world.users[role])
    response = client.get("/manage/organisations/")
    assert response.status_code == 200
    assert _org_names(response.content.decode()) == expected


@pytest.mark.parametrize("role", ["engineer", "site"])
def test_plt01_organisation_list_needs_view_permission(client, world: World, role: str):
    login(client, world.users[role])
    assert client.get("/manage/organisations/").status_code == 403


# --- creating users ----------------------------------------------------------------------------

def test_admin_creates_a_user(client, world: World):
    login(client, world.users["admin"])
    response = client.post("/manage/users/new/", _user_form(world))
    assert response.status_code == 302
    user = User.objects.get(username="zhang.san")
    assert (user.organisation, user.role, user.is_staff) == (world.orgs["V1"],
                                                             Role.VENDOR_ENGINEER, False)
    assert user.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(("org", "role"), [
    ("V1", Role.PURCHASER_STAFF),
    ("P1", Role.VENDOR_MANAGER),
    ("S1", Role.SITE_STAFF),
    ("O1", Role.ADMINISTRATOR),
    ("OPS", Role.VENDOR_ENGINEER),
])
def test_role_must_fit_the_organisation_kind(client, world: World, org: str, role: str):
    login(client, world.users["admin"])
    response = client.post("/manage/users/new/", _user_form(
        world, organisation=str(world.orgs[org].pk), role=role))
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert "role" in form.errors, form.errors
    assert not User.objects.filter(username="zhang.san").exists()


@pytest.mark.parametrize(("password", "reason"), [
    ("Ab1!", "too short"),
    ("password1234", "too common"),
    ("12345678901234", "entirely numeric"),
    ("zhang.san", "too similar to the username"),
    ("", "a new user needs one"),
])
def test_plt04_password_validators_apply(client, world: World, password: str, reason: str):
    login(client, world.users["admin"])
    response = client.post("/manage/users/new/", _user_form(world, password=password))
    assert response.status_code in (200, 400), reason
    assert "password" in response.context["form"].errors, reason
    assert not User.objects.filter(username="zhang.san").exists()


def test_api_user_create_applies_role_fit_and_password_policy(api, world: World):
    api.force_authenticate(world.users["admin"])
    base = {"username": "li.si", "organisation": world.orgs["P1"].pk,
            "role": Role.PURCHASER_STAFF, "password": GOOD_PASSWORD}
    response = api.post("/api/users/", {**base, "role": Role.VENDOR_MANAGER})
    assert response.status_code == 400
    assert "role" in response.json()["errors"]
    response = api.post("/api/users/", {**base, "password": "password1234"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]
    assert not User.objects.filter(username="li.si").exists()
    response = api.post("/api/users/", {**base, "phone_number": "13812345678"})
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "138****5678"
    assert "password" not in response.json()


def test_api_organisation_kind_change_is_refused_when_roles_no_longer_fit(api, world: World):
    api.force_authenticate(world.users["admin"])
    response = api.patch(f"/api/organisations/{world.orgs['V1'].pk}/", {"kind": "purchaser"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    world.orgs["V1"].refresh_from_db()
    assert world.orgs["V1"].kind == "vendor"


# --- PLT-02: masked phones ---------------------------------------------------------------------

def test_plt02_phone_is_masked_in_the_user_list_and_api(client, api, world: World):
    engineer = world.users["engineer"]
    engineer.phone = "13812345678"
    engineer.save()
    login(client, world.users["admin"])
    html = client.get("/manage/users/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html
    api.force_authenticate(world.users["admin"])
    rows = api.get("/api/users/?q=engineer").json()["results"]
    assert [r["phone"] for r in rows] == ["138****5678"]
    assert "13812345678" not in api.get(f"/api/users/{engineer.pk}/").content.decode()


# --- /healthz ----------------------------------------------------------------------------------

def test_healthz_reports_database_and_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "worker": "stale", "worker_beat_at": None}
    beat = record_heartbeat()
    body = client.get("/healthz").json()
    assert body["worker"] == "ok"
    assert body["worker_beat_at"] == beat.beat_at.isoformat()


# --- PLT-08: admin back office on trusted networks only ----------------------------------------

@pytest.fixture
def staff_admin(world: World) -> User:
    """An administrator created through the service, as the management pages do."""
    return save_user({"username": "ops.admin", "organisation": world.orgs["OPS"],
                      "role": Role.ADMINISTRATOR}, password=PASSWORD)


@pytest.mark.parametrize("address", ["203.0.113.5", "8.8.8.8", "2001:db8::1", "bogus"])
def test_plt08_admin_is_refused_from_a_public_address(client, staff_admin: User, address: str):
    client.force_login(staff_admin)
    for url in ("/admin/", "/admin/login/", "/admin/core/user/"):
        assert client.get(url, REMOTE_ADDR=address).status_code == 403, url


def test_plt08_a_forwarded_for_header_does_not_open_the_admin(client, staff_admin: User):
    client.force_login(staff_admin)
    response = client.get("/admin/", REMOTE_ADDR="203.0.113.5",
                          HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.1.20", "::1"])
def test_plt08_admin_works_from_a_trusted_network_for_an_administrator(client,
                                                                       staff_admin: User,
                                                                       address: str):
    assert staff_admin.is_staff
    client.force_login(staff_admin)
    assert client.get("/admin/", REMOTE_ADDR=address).status_code == 200
    assert client.get("/admin/core/user/", REMOTE_ADDR=address).status_code == 200


def test_plt08_admin_refuses_non_administrators_even_from_127_0_0_1(client, world: World):
    login(client, world.users["purchaser"])
    response = client.get("/admin/", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_plt08_trusted_networks_come_from_settings(client, staff_admin: User):
    from django.test import override_settings

    client.force_login(staff_admin)
    with override_settings(WEIBAO_ADMIN_NETWORKS=["203.0.113.0/24"]):
        assert client.get("/admin/", REMOTE_ADDR="203.0.113.5").status_code == 200
        assert client.get("/admin/", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_organisation_list_is_ordered_by_name(client, world: World):
    login(client, world.users["admin"])
    response = client.get("/manage/organisations/")
    assert response.context["object_list"].ordered
    names = re.findall(r'/manage/organisations/\d+/">([^<]+)</a>', response.content.decode())
    assert names == sorted(names)
