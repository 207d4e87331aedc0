"""SITE-01..03 services: validation, one transaction, bulk edit, protected deletes."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from weibao.sites import services
from weibao.sites.models import AreaClass, District, Site
from weibao.sites.services import BulkEdit, SiteInput
from weibao.sites.tests.conftest import SitesWorld


def test_site01_save_site_creates_and_updates(sw: SitesWorld):
    a = sw.world.a
    site = services.save_site(a, SiteInput(code="xh-001", name=" 徐汇示例 ", site_type=sw.sbk,
                                           district=sw.huangpu, contact_phone="13800000002"))
    assert site.pk and site.name == "徐汇示例" and site.area_class == sw.urban
    services.save_site(a, SiteInput(code="xh-001", name="徐汇示例", site_type=sw.sbk,
                                    district=sw.minhang, status="closed"), site=site)
    site.refresh_from_db()
    assert site.district == sw.minhang and site.status == "closed"
    assert site.area_class == sw.suburban


@pytest.mark.parametrize(("changes", "field"), [
    ({"code": "hp-001"}, "code"),
    ({"code": "有 空格"}, "code"),
    ({"name": "  "}, "name"),
    ({"site_type": None}, "site_type"),
    ({"status": "gone"}, "status"),
    ({"address": "x" * 301}, "address"),
])
def test_site01_save_site_rejects_bad_fields(sw: SitesWorld, changes, field):
    values = {"code": "new-1", "name": "新", "site_type": sw.sbk, **changes}
    with pytest.raises(ValidationError) as excinfo:
        services.save_site(sw.world.a, SiteInput(**values))
    assert field in excinfo.value.message_dict
    assert not Site.objects.filter(code="new-1").exists()


def test_plt01_save_site_refuses_records_of_another_contract(sw: SitesWorld):
    b_type = sw.b1.site_type
    with pytest.raises(ValidationError) as excinfo:
        services.save_site(sw.world.a, SiteInput(code="x", name="x", site_type=b_type))
    assert "site_type" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.save_site(sw.world.a, SiteInput(code="x", name="x", site_type=sw.sbk,
                                                 organisation=sw.world.orgs["P2"]))
    assert "organisation" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        services.save_site(sw.world.b, SiteInput(code="x", name="x", site_type=b_type),
                           site=sw.s1)


def test_site02_area_class_district_and_type_services(sw: SitesWorld):
    a = sw.world.a
    rural = services.save_area_class(a, code="rural", name="农村")
    assert rural.order == 3
    xuhui = services.save_district(a, code="xuhui", name="徐汇区", area_class=rural)
    assert xuhui.area_class == rural and xuhui.order == 4
    services.save_district(a, code="xuhui", name="徐汇区", area_class=sw.urban, district=xuhui)
    xuhui.refresh_from_db()
    assert xuhui.area_class == sw.urban
    room = services.save_site_type(a, code="machine-room", name="机房")
    assert room.contract == a
    with pytest.raises(ValidationError) as excinfo:
        services.save_area_class(a, code="urban", name="重复")
    assert "already used" in excinfo.value.message_dict["code"][0]
    b_class = AreaClass.objects.create(contract=sw.world.b, code="x", name="x")
    with pytest.raises(ValidationError):
        services.save_district(a, code="d", name="d", area_class=b_class)


def test_site02_delete_explains_what_still_refers(sw: SitesWorld):
    with pytest.raises(ValidationError) as excinfo:
        services.delete_object(sw.urban)
    text = " ".join(excinfo.value.messages)
    assert "cannot be deleted" in text and "districts" in text
    assert AreaClass.objects.filter(pk=sw.urban.pk).exists()
    with pytest.raises(ValidationError) as excinfo:
        services.delete_object(sw.sbk)
    assert "2 sites" in " ".join(excinfo.value.messages)
    services.delete_object(sw.s2)
    services.delete_object(sw.rp)
    assert not Site.objects.filter(pk=sw.s2.pk).exists()


def test_site01_bulk_edit_changes_only_what_differs(sw: SitesWorld):
    before = LogEntry.objects.count()
    changed = services.bulk_edit_sites(sw.world.a, [sw.s1, sw.s2, sw.s3],
                                       BulkEdit(district=sw.minhang, status="suspended"))
    assert changed == 3
    assert set(Site.objects.filter(district=sw.minhang).values_list("code", flat=True)) == {
        "hp-001", "mh-001", "nh-001"}
    assert LogEntry.objects.count() == before + 3  # one audit entry per changed site
    assert services.bulk_edit_sites(sw.world.a, [sw.s1], BulkEdit(status="suspended")) == 0
    services.bulk_edit_sites(sw.world.a, [sw.s1], BulkEdit(site_type=sw.rp))
    assert Site.objects.get(pk=sw.s1.pk).site_type == sw.rp


@pytest.mark.parametrize("change", [
    BulkEdit(),
    BulkEdit(status="gone"),
])
def test_site01_bulk_edit_rejects_empty_or_bad_changes(sw: SitesWorld, change):
    with pytest.raises(ValidationError):
        services.bulk_edit_sites(sw.world.a, [sw.s1], change)


def test_plt01_bulk_edit_is_all_or_nothing_across_contracts(sw: SitesWorld):
    with pytest.raises(ValidationError):
        services.bulk_edit_sites(sw.world.a, [sw.s1, sw.b1], BulkEdit(status="closed"))
    assert not Site.objects.filter(status="closed").exists()
    other = District.objects.create(contract=sw.world.b, code="d", name="d")
    with pytest.raises(ValidationError):
        services.bulk_edit_sites(sw.world.a, [sw.s1], BulkEdit(district=other))
