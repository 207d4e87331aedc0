"""AST-10 exports: xlsx_response and ExcelExportMixin on a list view — every filtered row (not
just the page), visible columns with translated headers, scoped to the user (PLT-01)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import django_tables2 as tables
import pytest
from django.db.models import QuerySet
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from openpyxl import load_workbook

from weibao.conftest import World
from weibao.imports.exports import ExcelExportMixin, xlsx_response
from weibao.sites.models import Site, SiteType
from weibao.utils.views import PermissionMixin

pytestmark = pytest.mark.django_db


class SiteTable(tables.Table):
    code = tables.Column()
    name = tables.Column(verbose_name=_("name"))
    site_type = tables.Column()
    link = tables.Column(empty_values=(), exclude_from_export=True)
    secret = tables.Column(accessor="notes", visible=False)

    class Meta:
        model = Site
        fields = ["code", "name", "site_type"]

    def render_link(self) -> str:
        return '<a href="#">open</a>'


class SiteList(ExcelExportMixin, PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "sites.view_site"
    table_class = SiteTable
    filterset_fields = ["site_type__code"]
    paginate_by = 2
    template_name = "core/object_list.html"
    model = Site

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.visible_to(self.request.user).select_related("site_type")


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0]
                .iter_rows(values_only=True))


@pytest.fixture
def sites(world: World) -> World:
    for contract, prefix in ((world.a, "A"), (world.b, "B")):
        kinds = [SiteType.objects.create(contract=contract, code=c, name=c) for c in ("k1", "k2")]
        for i in range(5):
            Site.objects.create(contract=contract, code=f"{prefix}{i}", name=f"网点{prefix}{i}",
                                site_type=kinds[i % 2], notes="secret")
    return world


def get(user: Any, query: str) -> Any:
    request = RequestFactory().get(f"/sites/?{query}")
    request.user = user
    return SiteList.as_view()(request)


def test_ast10_export_holds_every_filtered_row_not_just_the_page(sites: World,
                                                                 settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"  # headers come in the user's language
    rows = rows_of(get(sites.users["manager"], "export=xlsx"))
    with translation.override("zh-hans"):
        assert rows[0][1] == str(_("name"))
    assert [r[0] for r in rows[1:]] == ["A0", "A1", "A2", "A3", "A4"]
    assert len(rows[0]) == 3  # no link column (excluded), no hidden column
    assert "secret" not in {c for r in rows for c in r}
    rows = rows_of(get(sites.users["manager"], "export=xlsx&site_type__code=k2"))
    assert [r[0] for r in rows[1:]] == ["A1", "A3"]


def test_ast10_export_keeps_the_table_order(sites: World) -> None:
    rows = rows_of(get(sites.users["manager"], "export=xlsx&sort=-code"))
    assert [r[0] for r in rows[1:]] == ["A4", "A3", "A2", "A1", "A0"]


def test_plt01_ast10_export_is_scoped(sites: World) -> None:
    codes = [r[0] for r in rows_of(get(sites.users["outsider"], "export=xlsx"))[1:]]
    assert codes == ["B0", "B1", "B2", "B3", "B4"]
    admin = [r[0] for r in rows_of(get(sites.users["admin"], "export=xlsx"))[1:]]
    assert len(admin) == 10


def test_ast10_without_export_the_page_renders(sites: World) -> None:
    response = get(sites.users["manager"], "")
    response.render()
    assert response.status_code == 200 and b"A0" in response.content


def test_ast10_xlsx_response_types_and_formula_safety() -> None:
    response = xlsx_response("报表", ["文本", "数", "日期"], [
        ["=1+1", 3, datetime.date(2025, 3, 1)],
        ["a\x01b", Decimal("1.50"), None],
    ])
    assert "filename*=utf-8''%E6%8A%A5%E8%A1%A8.xlsx" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ("文本", "数", "日期")
    assert rows[1][0] == "=1+1"  # kept as text, not a formula
    assert rows[1][1] == 3
    assert rows[1][2] == datetime.datetime(2025, 3, 1)
    assert rows[2][0] == "ab"
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0]["A2"].data_type == "s"
