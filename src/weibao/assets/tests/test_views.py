"""UI pages: asset list filters and export, detail with the archive, forms driven by the type,
bulk edit, types tree with kits, certificates with badges, verification, relocation list."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone

from weibao.assets.models import Asset, Certificate
from weibao.conftest import login


def test_ast02_list_filters_by_type_including_descendants(client, aw):
    ups = aw.setup.asset("大 UPS", aw.setup.ups, attributes={"capacity": 120})
    login(client, aw.world.users["manager"])
    body = client.get(reverse("assets:list"), {"type": aw.setup.hw.pk}).content.decode()
    assert "大 UPS" in body and "网点一 PC" in body
    body = client.get(reverse("assets:list"), {"type": aw.setup.ups.pk}).content.decode()
    assert "大 UPS" in body and "网点一 PC" not in body
    body = client.get(reverse("assets:list"), {"q": "SN-A2"}).content.decode()
    assert "网点二 PC" in body and "网点一 PC" not in body
    assert ups.pk


def test_ast02_list_warranty_filter(client, aw):
    today = timezone.localdate()
    aw.setup.asset("保内", warranty_until=today + datetime.timedelta(days=10))
    aw.setup.asset("出保", warranty_until=today - datetime.timedelta(days=1))
    aw.setup.asset("标记出保", warranty_state="out_of_warranty")
    login(client, aw.world.users["manager"])
    body = client.get(reverse("assets:list"), {"warranty": "out_of_warranty"}).content.decode()
    assert "出保" in body and "标记出保" in body and "保内" not in body


def test_ast10_list_exports_xlsx_in_scope(client, aw):
    from openpyxl import load_workbook

    login(client, aw.world.users["site"])
    response = client.get(reverse("assets:list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["网点一 PC"]


def test_ast03_detail_shows_the_archive_timeline(client, aw):
    login(client, aw.world.users["engineer"])
    url = reverse("assets:detail", args=[aw.own.pk])
    response = client.post(url, {"action": "event", "kind": "part_replacement",
                                 "occurred_at": "2025-06-01T09:30", "summary": "更换 SAM 卡"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "更换 SAM 卡" in body and 'data-testid="archive"' in body
    bad = client.post(url, {"action": "event", "kind": "repair", "occurred_at": "x",
                            "summary": ""})
    assert bad.status_code == 400


def test_ast04_relations_and_components_on_the_detail_page(client, aw):
    server = aw.setup.asset("服务器")
    part = aw.setup.asset("SAM 卡", parent=aw.own)
    login(client, aw.world.users["manager"])
    url = reverse("assets:detail", args=[aw.own.pk])
    assert client.post(url, {"action": "relation", "kind": "runs_on",
                             "target": server.pk}).status_code == 302
    body = client.get(url).content.decode()
    assert "服务器" in body and part.name in body


def test_ast02_create_form_has_the_type_attribute_fields(client, aw):
    login(client, aw.world.users["manager"])
    url = reverse("assets:create")
    assert "合同甲" in client.get(url).content.decode()  # contract chooser
    page = client.get(url, {"contract": aw.world.a.pk, "type": aw.setup.ups.pk})
    body = page.content.decode()
    assert 'name="attr_capacity"' in body and 'name="attr_room"' in body
    response = client.post(url, {"contract": aw.world.a.pk, "asset_type": aw.setup.ups.pk,
                                 "name": "新 UPS", "quantity": 1, "status": "in_service",
                                 "warranty_state": "unknown", "attr_capacity": ""})
    assert response.status_code == 400 and "capacity" in response.content.decode()
    response = client.post(url, {"contract": aw.world.a.pk, "asset_type": aw.setup.ups.pk,
                                 "name": "新 UPS", "quantity": 1, "status": "in_service",
                                 "warranty_state": "unknown", "attr_capacity": "20"})
    assert response.status_code == 302
    assert Asset.objects.get(name="新 UPS").attributes == {"capacity": "20"}


def test_ast02_bulk_edit(client, aw):
    login(client, aw.world.users["purchaser"])
    response = client.post(reverse("assets:bulk-edit"), {
        "assets": [aw.own.pk, aw.foreign.pk], "status": "spare"})
    assert response.status_code == 302
    assert set(Asset.objects.filter(pk__in=[aw.own.pk, aw.foreign.pk])
               .values_list("status", flat=True)) == {"spare"}


def test_ast01_types_tree_with_kits(client, aw):
    login(client, aw.world.users["supervisor"])
    body = client.get(reverse("assets:types"), {"contract": aw.world.a.pk}).content.decode()
    assert 'data-type="ups"' in body and "桌面计算机 × 2" in body


def test_ast07_certificate_page_badges_and_actions(client, aw):
    today = timezone.localdate()
    Certificate.objects.filter(pk=aw.certificate.pk).update(
        state="imported", expires_on=today + datetime.timedelta(days=20))
    login(client, aw.world.users["manager"])
    body = client.get(reverse("assets:certificates")).content.decode()
    assert 'data-testid="expiry-badge"' in body
    url = reverse("assets:certificate-detail", args=[aw.certificate.pk])
    assert client.post(url, {"transition": "renew"}).status_code == 400  # dates missing
    response = client.post(url, {"transition": "renew", "issued_on": today.isoformat(),
                                 "expires_on": (today + datetime.timedelta(days=365))
                                 .isoformat()})
    assert response.status_code == 302
    aw.certificate.refresh_from_db()
    assert aw.certificate.state == "renewed"


def test_ast08_verify_page_lists_missing(client, aw):
    login(client, aw.world.users["engineer"])
    url = reverse("assets:verify", args=[aw.setup.site1.pk])
    assert "网点一 PC" in client.get(url).content.decode()
    assets = Asset.objects.filter(site=aw.setup.site1).exclude(status="decommissioned")
    data = {f"result_{a.pk}": "present" for a in assets}
    data[f"result_{aw.own.pk}"] = "missing"
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'data-testid="missing"' in response.content.decode()
    aw.own.refresh_from_db()
    assert aw.own.status == "missing"


def test_ast09_relocation_register_exports(client, aw):
    from openpyxl import load_workbook

    login(client, aw.world.users["purchaser"])
    body = client.get(reverse("assets:relocations"), {"start": "2025-01-01",
                                                      "end": "2025-12-31"}).content.decode()
    assert "闵行设备1" in body
    response = client.get(reverse("assets:relocations"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any("闵行设备1" in [str(c) for c in row] for row in rows[1:])
    empty = client.get(reverse("assets:relocations"), {"start": "2026-01-01"}).content.decode()
    assert "闵行设备1" not in empty


def test_ast02_bulk_edit_site_by_code(client, aw):
    login(client, aw.world.users["manager"])
    response = client.post(reverse("assets:bulk-edit"), {
        "assets": [aw.own.pk], "site_code": aw.setup.site2.code, "set_site": "on"})
    assert response.status_code == 302
    aw.own.refresh_from_db()
    assert aw.own.site == aw.setup.site2
    client.post(reverse("assets:bulk-edit"), {"assets": [aw.own.pk], "site_code": "nope",
                                              "set_site": "on"})
    aw.own.refresh_from_db()
    assert aw.own.site == aw.setup.site2  # unknown code: nothing changed


def test_ast02_list_filters_by_site_code(client, aw):
    login(client, aw.world.users["manager"])
    body = client.get(reverse("assets:list"), {"site_q": aw.setup.site2.code}).content.decode()
    assert "网点二 PC" in body and "网点一 PC" not in body
