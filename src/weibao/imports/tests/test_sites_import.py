"""AST-10 with the real sites importer (SITE-01): an .xlsx of sites, headers by key or Chinese
label, one bad row reported, valid rows written, re-import writes nothing, template download."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from weibao.conftest import World, login
from weibao.imports import services
from weibao.imports.choices import ImportMode, ImportStatus
from weibao.imports.registry import get_importer
from weibao.imports.tests.conftest import csv_bytes, upload, xlsx_bytes
from weibao.sites.models import District, Site, SiteType

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(world: World) -> World:
    SiteType.objects.create(contract=world.a, code="outlet", name="社保卡受理网点")
    District.objects.create(contract=world.a, code="pd", name="浦东新区")
    SiteType.objects.create(contract=world.b, code="outlet", name="社保卡受理网点")
    return world


ROWS = [
    ["code", "name", "site_type", "district", "address"],
    ["S001", "示例网点001", "outlet", "pd", "示例路1号"],
    ["S002", "示例网点002", "社保卡受理网点", "", ""],
    ["S003", "示例网点003", "no-such-type", "pd", ""],  # row 4: unknown site type
]


def test_ast10_site1_sites_from_xlsx_valid_rows(kinds: World) -> None:
    job = services.upload(kinds.a, "sites", upload("sites.xlsx", xlsx_bytes(ROWS)),
                          kinds.users["manager"])
    assert job.status == ImportStatus.VALIDATED
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "site_type")]
    with pytest.raises(services.ServiceError):
        services.commit(job, ImportMode.ALL_OR_NOTHING, kinds.users["manager"])
    assert not Site.objects.exists()
    job = services.commit(job, ImportMode.VALID_ROWS, kinds.users["manager"])
    assert job.status == ImportStatus.DONE and job.written == 2
    assert set(Site.objects.filter(contract=kinds.a).values_list("code", flat=True)) == {
        "S001", "S002"}
    assert Site.objects.get(code="S001").district.code == "pd"
    assert not Site.objects.filter(contract=kinds.b).exists()
    again = services.upload(kinds.a, "sites", upload("sites.xlsx", xlsx_bytes(ROWS[:3])), None)
    again = services.commit(again, ImportMode.ALL_OR_NOTHING, None)
    assert again.status == ImportStatus.DONE and again.written == 0  # idempotent


def test_ast10_site1_chinese_labels_in_a_gbk_csv(kinds: World) -> None:
    importer = get_importer("sites")
    with translation.override("zh-hans"):
        labels = {c.key: str(c.label) for c in importer.columns}
    header = [labels[k] for k in ROWS[0]]
    job = services.upload(kinds.a, "sites",
                          upload("网点.csv", csv_bytes([header, *ROWS[1:3]], "gbk")), None)
    assert job.errors == [] and job.valid_rows == 2


def test_ast10_site1_template_and_sites_list(kinds: World, client: Client) -> None:
    login(client, kinds.users["purchaser"])
    book = load_workbook(io.BytesIO(client.get("/imports/template/sites.xlsx").content))
    keys = [c.value for c in book.worksheets[0][1]]
    assert keys[:3] == ["code", "name", "site_type"]
    response = client.post(f"/imports/{kinds.a.pk}/", {
        "importer": "sites", "file": upload("sites.xlsx", xlsx_bytes(ROWS))})
    assert response.status_code == 302
    job_url = response["Location"]
    response = client.post(job_url + "commit/", {"mode": "valid_rows"})
    assert response.status_code == 302
    summary = client.get(job_url).content.decode()
    assert 'href="/sites/"' in summary
    listing = client.get("/sites/").content.decode()
    assert "示例网点001" in listing and "示例网点003" not in listing
    export = client.get("/sites/?export=xlsx")
    cells = {c for r in load_workbook(io.BytesIO(export.content)).worksheets[0]
             .iter_rows(values_only=True) for c in r}
    assert "示例网点001" in cells


def test_plt01_ast10_sites_export_scoped(kinds: World, client: Client) -> None:
    job = services.upload(kinds.a, "sites", upload("s.xlsx", xlsx_bytes(ROWS[:3])), None)
    services.commit(job, ImportMode.ALL_OR_NOTHING, None)
    login(client, kinds.users["outsider"])
    export = client.get("/sites/?export=xlsx")
    assert export.status_code == 200
    cells: set[Any] = {c for r in load_workbook(io.BytesIO(export.content)).worksheets[0]
                       .iter_rows(values_only=True) for c in r}
    assert "示例网点001" not in cells and "S001" not in cells
