"""AST-10 / SITE-01: the "sites" importer — row checks (never writes) and the upsert by code."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from weibao.imports.registry import get_importer
from weibao.sites.importers import SiteImporter
from weibao.sites.models import Site
from weibao.sites.tests.conftest import SitesWorld


def row(**values: str) -> dict[str, str]:
    base = {"code": "", "name": "", "site_type": "", "district": "", "area_class": "",
            "address": "", "contact_name": "", "contact_phone": "", "status": ""}
    return {**base, **values}


def test_ast10_importer_is_registered():
    importer = get_importer("sites")
    assert isinstance(importer, SiteImporter) and importer.permission == "sites.add_site"
    assert [c.key for c in importer.columns if c.required] == ["code", "name", "site_type"]


def test_ast10_clean_row_accepts_codes_and_names(sw: SitesWorld):
    importer = SiteImporter()
    context = importer.prepare(sw.world.a)
    cleaned, errors = importer.clean_row(sw.world.a, row(
        code="xh-1", name="徐汇示例", site_type="社保卡受理网点", district="minhang",
        area_class="市内", status="suspended"), 2, context)
    assert errors == []
    assert cleaned["site_type"] == sw.sbk and cleaned["district"] == sw.minhang
    assert cleaned["area_class"] == sw.urban and cleaned["status"] == "suspended"
    cleaned, errors = importer.clean_row(sw.world.a, row(
        code="xh-2", name="x", site_type="rp-outlet", district="黄浦区"), 3, context)
    assert errors == [] and cleaned["district"] == sw.huangpu and cleaned["status"] == "active"
    assert not Site.objects.filter(code__startswith="xh-").exists()  # never writes


@pytest.mark.parametrize(("values", "columns"), [
    (row(name="x", site_type="sbk-outlet"), {"code"}),
    (row(code="x", site_type="sbk-outlet"), {"name"}),
    (row(code="x", name="x"), {"site_type"}),
    (row(code="x", name="x", site_type="机房"), {"site_type"}),
    (row(code="x", name="x", site_type="sbk-outlet", district="徐汇区"), {"district"}),
    (row(code="x", name="x", site_type="sbk-outlet", area_class="rural"), {"area_class"}),
    (row(code="x", name="x", site_type="sbk-outlet", status="gone"), {"status"}),
    (row(code="x y", name="x", site_type="sbk-outlet"), {"code"}),
])
def test_ast10_clean_row_reports_errors_per_column(sw: SitesWorld, values, columns):
    importer = SiteImporter()
    cleaned, errors = importer.clean_row(sw.world.a, values, 7, importer.prepare(sw.world.a))
    assert cleaned is None
    assert {e.column for e in errors} == columns and {e.row for e in errors} == {7}
    assert all(e.message for e in errors)


def test_ast10_duplicate_code_within_the_file(sw: SitesWorld):
    importer = SiteImporter()
    context = importer.prepare(sw.world.a)
    first, _ = importer.clean_row(sw.world.a, row(code="d-1", name="x", site_type="sbk-outlet"),
                                  2, context)
    again, errors = importer.clean_row(sw.world.a, row(code="d-1", name="y",
                                                       site_type="sbk-outlet"), 5, context)
    assert first is not None and again is None
    assert errors[0].column == "code" and "row 2" in errors[0].message


def test_plt01_another_contracts_types_are_unknown(sw: SitesWorld):
    importer = SiteImporter()
    cleaned, errors = importer.clean_row(sw.world.b, row(code="x", name="x",
                                                         site_type="rp-outlet"), 2,
                                         importer.prepare(sw.world.b))
    assert cleaned is None and errors[0].column == "site_type"


def test_ast10_write_upserts_by_code_and_skips_unchanged_rows(sw: SitesWorld):
    importer = SiteImporter()
    a = sw.world.a
    context = importer.prepare(a)
    rows = [importer.clean_row(a, values, i, context)[0] for i, values in enumerate([
        row(code="hp-001", name="黄浦示例网点（改）", site_type="sbk-outlet", district="huangpu",
            address="示例路1号", contact_name="测试联系人", contact_phone="13800000001"),
        row(code="new-1", name="新网点", site_type="rp-outlet", district="minhang"),
    ], start=2)]
    assert importer.write(a, rows, actor=sw.users["manager"]) == 2
    sw.s1.refresh_from_db()
    assert sw.s1.name == "黄浦示例网点（改）" and sw.s1.organisation == sw.world.orgs["O1"]
    assert Site.objects.get(contract=a, code="new-1").area_class == sw.suburban
    before = LogEntry.objects.count()
    assert importer.write(a, rows, actor=sw.users["manager"]) == 0
    assert LogEntry.objects.count() == before
