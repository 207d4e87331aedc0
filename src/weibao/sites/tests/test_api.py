"""SITE-01..03 through the REST API: PLT-01 scoping (site staff: own sites only), CRUD through
the services, the error format, bulk edit, and a query count independent of page size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.sites.tests.conftest import SitesWorld

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
OUTSIDERS = ["outsider", "outsider_manager"]
WRITERS = {"purchaser", "manager", "admin"}


def as_user(api: Any, sw: SitesWorld, role: str) -> Any:
    api.force_authenticate(sw.users[role])
    return api


def assert_error_format(response: Any, code: str | None = None) -> None:
    body = response.json()
    assert set(body) >= {"message", "code", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body


def codes(response: Any) -> set[str]:
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(("role", "expected"), [
    ("purchaser", {"hp-001", "mh-001", "nh-001"}),
    ("manager", {"hp-001", "mh-001", "nh-001"}),
    ("engineer", {"hp-001", "mh-001", "nh-001"}),
    ("supervisor", {"hp-001", "mh-001", "nh-001"}),
    ("site", {"hp-001"}),
    ("outsider", {"b-001"}),
    ("outsider_manager", {"b-001"}),
    ("admin", {"hp-001", "mh-001", "nh-001", "b-001"}),
])
def test_plt01_site_list_is_scoped(api, sw: SitesWorld, role, expected):
    response = as_user(api, sw, role).get("/api/sites/")
    assert response.status_code == 200
    assert codes(response) == expected


def test_plt01_anonymous_gets_401_or_403(api, sw: SitesWorld):
    for url in ("/api/sites/", f"/api/sites/{sw.s1.pk}/", "/api/site-districts/",
                "/api/site-area-classes/", "/api/site-types/"):
        response = api.get(url)
        assert response.status_code in (401, 403), url
        assert_error_format(response)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_plt01_outsider_gets_404_for_a_records(api, sw: SitesWorld, role):
    as_user(api, sw, role)
    for url in (f"/api/sites/{sw.s1.pk}/", f"/api/site-districts/{sw.huangpu.pk}/",
                f"/api/site-area-classes/{sw.urban.pk}/", f"/api/site-types/{sw.sbk.pk}/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert_error_format(response, "not_found")
    assert api.patch(f"/api/sites/{sw.s1.pk}/", {"name": "x"}).status_code == 404
    assert api.delete(f"/api/sites/{sw.s1.pk}/").status_code == 404


def test_plt01_site_staff_sees_only_its_own_site(api, sw: SitesWorld):
    as_user(api, sw, "site")
    assert api.get(f"/api/sites/{sw.s1.pk}/").status_code == 200
    assert api.get(f"/api/sites/{sw.s2.pk}/").status_code == 404
    # Districts and types of the contract are reference data: visible.
    assert api.get("/api/site-districts/").json()["count"] == 3


@pytest.mark.parametrize("role", [*PARTY_ROLES, "admin"])
def test_plt01_writes_need_the_keeper_role(api, sw: SitesWorld, role):
    as_user(api, sw, role)
    created = api.post("/api/sites/", {
        "contract": sw.world.a.pk, "code": f"new-{role}", "name": "新网点",
        "site_type": sw.sbk.pk, "district": sw.minhang.pk})
    changed = api.patch(f"/api/sites/{sw.s1.pk}/", {"contact_phone": "13800000099"})
    district = api.post("/api/site-districts/", {"contract": sw.world.a.pk, "code": "xuhui",
                                                 "name": "徐汇区", "area_class": sw.urban.pk})
    if role in WRITERS:
        assert created.status_code == 201, created.json()
        assert created.json()["area_class"] == "suburban"
        assert changed.status_code == 200 and changed.json()["contact_phone"] == "13800000099"
        assert district.status_code == 201, district.json()
    else:
        for response in (created, changed, district):
            assert response.status_code == 403
            assert_error_format(response)
        assert not Site.objects.filter(code=f"new-{role}").exists()


def test_site01_create_validates_through_the_service(api, sw: SitesWorld):
    as_user(api, sw, "manager")
    duplicate = api.post("/api/sites/", {"contract": sw.world.a.pk, "code": "hp-001",
                                         "name": "重复", "site_type": sw.sbk.pk})
    assert duplicate.status_code == 400
    assert_error_format(duplicate, "invalid")
    assert "code" in duplicate.json()["errors"]
    # A district of another contract is not even a valid choice (PLT-01).
    b_type = SiteType.objects.get(contract=sw.world.b)
    foreign = api.post("/api/sites/", {"contract": sw.world.a.pk, "code": "x-1", "name": "x",
                                       "site_type": b_type.pk})
    assert foreign.status_code == 400 and "site_type" in foreign.json()["errors"]
    # Contract B is not the manager's: not a valid choice.
    other = api.post("/api/sites/", {"contract": sw.world.b.pk, "code": "x-2", "name": "x",
                                     "site_type": b_type.pk})
    assert other.status_code == 400 and "contract" in other.json()["errors"]


def test_site02_district_of_own_contract_with_area_class_of_other_contract(api, sw):
    b_class = AreaClass.objects.create(contract=sw.world.b, code="urban", name="乙市内")
    as_user(api, sw, "admin")
    response = api.post("/api/site-districts/", {"contract": sw.world.a.pk, "code": "xh",
                                                 "name": "徐汇区", "area_class": b_class.pk})
    assert response.status_code == 400
    assert "area_class" in response.json()["errors"]


def test_site02_delete_protected_district_explains(api, sw: SitesWorld):
    as_user(api, sw, "manager")
    response = api.delete(f"/api/site-districts/{sw.huangpu.pk}/")
    assert response.status_code == 400
    assert_error_format(response, "invalid")
    assert "cannot be deleted" in response.json()["message"]
    assert District.objects.filter(pk=sw.huangpu.pk).exists()
    assert api.delete(f"/api/sites/{sw.s1.pk}/").status_code == 204
    assert api.delete(f"/api/site-districts/{sw.huangpu.pk}/").status_code == 204


def test_site01_filters_on_the_api(api, sw: SitesWorld):
    as_user(api, sw, "engineer")
    assert codes(api.get(f"/api/sites/?area_class={sw.urban.pk}")) == {"hp-001", "nh-001"}
    assert codes(api.get(f"/api/sites/?area_class={sw.suburban.pk}")) == {"mh-001"}
    assert codes(api.get(f"/api/sites/?district={sw.minhang.pk}")) == {"mh-001"}
    assert codes(api.get(f"/api/sites/?site_type={sw.rp.pk}")) == {"mh-001"}
    assert codes(api.get("/api/sites/?q=示例路1")) == {"hp-001"}
    # A filter value of another contract is rejected, not silently applied.
    b_type = SiteType.objects.get(contract=sw.world.b)
    response = api.get(f"/api/sites/?site_type={b_type.pk}")
    assert response.status_code == 400
    assert_error_format(response)


def test_site01_bulk_edit_endpoint(api, sw: SitesWorld):
    as_user(api, sw, "purchaser")
    response = api.post("/api/sites/bulk-edit/", {
        "contract": sw.world.a.pk, "sites": [sw.s1.pk, sw.s2.pk], "status": "suspended",
        "district": sw.minhang.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"changed": 2}
    assert set(Site.objects.filter(status="suspended").values_list("code", flat=True)) == {
        "hp-001", "mh-001"}
    again = api.post("/api/sites/bulk-edit/", {
        "contract": sw.world.a.pk, "sites": [sw.s1.pk, sw.s2.pk], "status": "suspended"},
        format="json")
    assert again.json() == {"changed": 0}
    foreign = api.post("/api/sites/bulk-edit/", {
        "contract": sw.world.a.pk, "sites": [sw.s1.pk, sw.b1.pk], "status": "closed"},
        format="json")
    assert foreign.status_code == 400
    assert_error_format(foreign)
    as_user(api, sw, "engineer")
    assert api.post("/api/sites/bulk-edit/", {"contract": sw.world.a.pk, "sites": [sw.s1.pk],
                                              "status": "closed"}, format="json"
                    ).status_code == 403


def _many_sites(sw: SitesWorld, count: int) -> None:
    Site.objects.bulk_create([
        Site(contract=sw.world.a, code=f"bulk-{i:03d}", name=f"示例网点{i:03d}",
             site_type=sw.sbk if i % 2 else sw.rp,
             district=(sw.huangpu, sw.minhang, sw.pudong_nanhui)[i % 3],
             area_class_override=sw.urban if i % 7 == 0 else None)
        for i in range(count)])


def test_site01_list_endpoint_query_count_does_not_grow_with_page_size(api, sw: SitesWorld):
    _many_sites(sw, 60)
    as_user(api, sw, "manager")
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/sites/?page_size={size}")
        assert response.status_code == 200 and len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_site01_list_page_query_count_does_not_grow_with_rows(client, sw: SitesWorld):
    from weibao.conftest import login

    login(client, sw.users["manager"])
    client.get("/sites/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sites/").status_code == 200
    _many_sites(sw, 60)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/sites/").status_code == 200
    assert len(many) == len(few), (len(few), len(many))
