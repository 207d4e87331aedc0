"""SITE-01..03 pages: create/edit forms limited to the contract, bulk edit, districts page,
Excel export of the filtered list (AST-10), delete protection messages."""

from __future__ import annotations

import io

import pytest

from weibao.conftest import login
from weibao.sites.models import AreaClass, District, Site
from weibao.sites.tests.conftest import SitesWorld


def test_site01_create_form_offers_only_the_contracts_choices(client, sw: SitesWorld):
    login(client, sw.users["manager"])
    body = client.get(f"/sites/contracts/{sw.world.a.pk}/new/").content.decode()
    assert "社保卡受理网点" in body and "闵行区" in body
    assert "乙网点" not in body  # contract B's type
    response = client.post(f"/sites/contracts/{sw.world.a.pk}/new/", {
        "code": "xh-1", "name": "徐汇示例网点", "site_type": sw.sbk.pk,
        "district": sw.minhang.pk, "status": "active", "contact_name": "测试联系人"})
    assert response.status_code == 302
    site = Site.objects.get(code="xh-1")
    assert response["Location"] == f"/sites/{site.pk}/"
    assert site.area_class == sw.suburban
    b_type = sw.b1.site_type
    bad = client.post(f"/sites/contracts/{sw.world.a.pk}/new/", {
        "code": "xh-2", "name": "x", "site_type": b_type.pk, "status": "active"})
    assert bad.status_code == 400 and not Site.objects.filter(code="xh-2").exists()
    dup = client.post(f"/sites/contracts/{sw.world.a.pk}/new/", {
        "code": "hp-001", "name": "x", "site_type": sw.sbk.pk, "status": "active"})
    assert dup.status_code == 400 and "already used" in dup.content.decode()


def test_site01_edit_and_detail_show_the_area_class(client, sw: SitesWorld):
    login(client, sw.users["purchaser"])
    detail = client.get(f"/sites/{sw.s3.pk}/").content.decode()
    assert "市内" in detail and "override" in detail
    response = client.post(f"/sites/{sw.s1.pk}/edit/", {
        "code": "hp-001", "name": "黄浦示例网点", "site_type": sw.sbk.pk,
        "district": sw.minhang.pk, "status": "suspended", "organisation":
        sw.world.orgs["O1"].pk})
    assert response.status_code == 302
    sw.s1.refresh_from_db()
    assert sw.s1.district == sw.minhang and sw.s1.status == "suspended"
    assert sw.s1.organisation == sw.world.orgs["O1"]


def test_site01_bulk_edit_page(client, sw: SitesWorld):
    login(client, sw.users["manager"])
    page = client.get(f"/sites/bulk/?sites={sw.s1.pk}&sites={sw.s2.pk}")
    assert page.status_code == 200 and "hp-001" in page.content.decode()
    response = client.post("/sites/bulk/", {"sites": [sw.s1.pk, sw.s2.pk],
                                            "status": "closed", "site_type": sw.rp.pk})
    assert response.status_code == 302
    assert set(Site.objects.filter(status="closed", site_type=sw.rp)
               .values_list("code", flat=True)) == {"hp-001", "mh-001"}
    nothing = client.post("/sites/bulk/", {"sites": [sw.s1.pk]})
    assert nothing.status_code == 400
    assert "at least one field" in nothing.content.decode()


def test_site01_bulk_edit_refuses_sites_of_two_contracts(client, sw: SitesWorld):
    login(client, sw.users["admin"])
    response = client.post("/sites/bulk/", {"sites": [sw.s1.pk, sw.b1.pk], "status": "closed"})
    assert response.status_code == 302
    assert not Site.objects.filter(status="closed").exists()


def test_site02_districts_page_lists_and_edits(client, sw: SitesWorld):
    login(client, sw.users["purchaser"])
    a = sw.world.a.pk
    body = client.get(f"/sites/contracts/{a}/areas/").content.decode()
    for marker in ('data-area-class="urban"', 'data-district="pudong-nanhui"',
                   'data-site-type="rp-outlet"'):
        assert marker in body
    response = client.post(f"/sites/contracts/{a}/districts/{sw.pudong_nanhui.pk}/edit/", {
        "code": "pudong-nanhui", "name": "浦东新区（原南汇）", "area_class": sw.urban.pk})
    assert response.status_code == 302
    assert District.objects.get(pk=sw.pudong_nanhui.pk).area_class == sw.urban
    response = client.post(f"/sites/contracts/{a}/area-classes/new/",
                           {"code": "rural", "name": "农村"})
    assert response.status_code == 302
    assert AreaClass.objects.filter(contract_id=a, code="rural").exists()
    bad = client.post(f"/sites/contracts/{a}/districts/new/",
                      {"code": "huangpu", "name": "重复"})
    assert bad.status_code == 400
    protected = client.post(f"/sites/contracts/{a}/area-classes/{sw.urban.pk}/delete/",
                            follow=True)
    assert "cannot be deleted" in protected.content.decode()
    assert AreaClass.objects.filter(pk=sw.urban.pk).exists()
    assert client.get(f"/sites/contracts/{a}/nothing/new/").status_code == 404


def test_site01_delete_page(client, sw: SitesWorld):
    login(client, sw.users["manager"])
    response = client.post(f"/sites/{sw.s2.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/sites/"
    assert not Site.objects.filter(pk=sw.s2.pk).exists()


@pytest.mark.parametrize(("role", "expected"), [
    ("site", {"hp-001"}),
    ("manager", {"hp-001", "mh-001", "nh-001"}),
])
def test_ast10_site_list_exports_the_filtered_scoped_rows(client, sw: SitesWorld, role,
                                                          expected):
    from openpyxl import load_workbook

    login(client, sw.users[role])
    response = client.get("/sites/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert len(header) == 10 and header[0]  # the check box column is not exported
    codes = {row[0] for row in rows[1:]}
    assert codes == expected
    filtered = client.get(f"/sites/?export=xlsx&area_class={sw.urban.pk}")
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == expected & {"hp-001", "nh-001"}
