"""AST-10 import pages and PLT-01 for each of them: party vendor managers and purchaser staff
import; other roles of the contract get 403; people of other organisations get 404; anonymous
visitors go to the login page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from weibao.conftest import World, login
from weibao.imports import services
from weibao.imports.choices import ImportStatus
from weibao.imports.exports import HELP_SHEET_TITLE
from weibao.imports.models import ImportJob
from weibao.imports.tests.conftest import BAD, GOOD, KEY, csv_bytes, upload, xlsx_bytes
from weibao.sites.models import SiteType

pytestmark = pytest.mark.django_db

ROLES = ["purchaser", "manager", "engineer", "supervisor", "site", "outsider",
         "outsider_manager", "admin"]
IMPORTERS = {"purchaser", "manager", "admin"}
OUTSIDERS = {"outsider", "outsider_manager"}


def expected(role: str, allowed: set[str], outsider_status: int = 404) -> int:
    if role in allowed:
        return 200
    return outsider_status if role in OUTSIDERS else 403


@pytest.fixture
def job(world: World, importer: Any) -> ImportJob:
    return services.upload(world.a, KEY, upload("bad.xlsx", xlsx_bytes(BAD)),
                           world.users["manager"])


def pages(world: World, job: ImportJob) -> list[tuple[str, set[str], int]]:
    a = world.a.pk
    return [
        ("/imports/", IMPORTERS, 200),  # outsiders may import into their own contracts
        (f"/imports/template/{KEY}.xlsx", IMPORTERS, 200),
        (f"/imports/{a}/", IMPORTERS, 404),
        (f"/imports/{a}/jobs/", IMPORTERS, 404),
        (f"/imports/{a}/jobs/?export=xlsx", IMPORTERS, 404),
        (f"/imports/{a}/jobs/{job.pk}/", IMPORTERS, 404),
        (f"/imports/{a}/jobs/{job.pk}/?export=xlsx", IMPORTERS, 404),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_plt01_ast10_page_matrix(world: World, job: ImportJob, client: Client,
                                 role: str) -> None:
    login(client, world.users[role])
    for url, allowed, outsider_status in pages(world, job):
        response = client.get(url)
        assert response.status_code == expected(role, allowed, outsider_status), (url, role)


def test_plt01_ast10_anonymous_sent_to_login(world: World, job: ImportJob,
                                             client: Client) -> None:
    for url, _allowed, _status in pages(world, job):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    response = client.post(f"/imports/{world.a.pk}/jobs/{job.pk}/commit/",
                           {"mode": "valid_rows"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_plt01_ast10_commit_matrix(world: World, job: ImportJob, client: Client,
                                   role: str) -> None:
    login(client, world.users[role])
    response = client.post(f"/imports/{world.a.pk}/jobs/{job.pk}/commit/",
                           {"mode": "valid_rows"})
    if role in IMPORTERS:
        assert response.status_code == 302
        assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    else:
        assert response.status_code == expected(role, IMPORTERS)
        assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED
        assert not SiteType.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_plt01_ast10_upload_matrix(world: World, importer: Any, client: Client,
                                   role: str) -> None:
    login(client, world.users[role])
    response = client.post(f"/imports/{world.a.pk}/", {
        "importer": KEY, "file": upload("good.csv", csv_bytes(GOOD))})
    if role in IMPORTERS:
        assert response.status_code == 302
        assert ImportJob.objects.filter(contract=world.a).count() == 1
    else:
        assert response.status_code == expected(role, IMPORTERS)
        assert not ImportJob.objects.exists()


def test_plt01_ast10_nav_link_only_for_importers(world: World, client: Client) -> None:
    login(client, world.users["manager"])
    assert 'href="/imports/"' in client.get("/").content.decode()
    login(client, world.users["engineer"])
    assert 'href="/imports/"' not in client.get("/").content.decode()


def test_ast10_index_lists_only_own_contracts(world: World, importer: Any,
                                              client: Client) -> None:
    login(client, world.users["manager"])
    html = client.get("/imports/").content.decode()
    assert world.a.number in html and world.b.number not in html
    assert f"/imports/template/{KEY}.xlsx" in html


def test_ast10_ui_flow_upload_preview_commit_summary(world: World, importer: Any,
                                                     client: Client) -> None:
    login(client, world.users["manager"])
    page = client.get(f"/imports/{world.a.pk}/")
    assert page.status_code == 200
    assert f'value="{KEY}"' in page.content.decode()
    response = client.post(f"/imports/{world.a.pk}/", {
        "importer": KEY, "file": upload("bad.xlsx", xlsx_bytes(BAD))})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    preview = client.get(response["Location"]).content.decode()
    for row, column in [(3, "code"), (3, "order"), (3, "since"), (4, "code")]:
        assert f'data-row="{row}" data-column="{column}"' in preview
    assert 'data-testid="commit-all"' in preview and "disabled" in preview
    assert 'data-testid="count-errors">2<' in preview
    refused = client.post(f"/imports/{world.a.pk}/jobs/{job.pk}/commit/",
                          {"mode": "all_or_nothing"})
    assert refused.status_code == 400
    assert 'data-testid="form-errors"' in refused.content.decode()
    assert not SiteType.objects.exists()
    done = client.post(f"/imports/{world.a.pk}/jobs/{job.pk}/commit/", {"mode": "valid_rows"})
    assert done.status_code == 302
    summary = client.get(done["Location"]).content.decode()
    assert 'data-testid="job-done"' in summary
    assert 'data-testid="result-link"' in summary
    assert 'hx-trigger="every 1s"' not in summary
    assert set(SiteType.objects.values_list("code", flat=True)) == {"t1", "t4"}
    again = client.post(f"/imports/{world.a.pk}/jobs/{job.pk}/commit/", {"mode": "valid_rows"})
    assert again.status_code == 400
    assert "data-testid=\"form-errors\"" in again.content.decode()


def test_ast10_upload_errors_shown_on_the_form(world: World, importer: Any,
                                               client: Client) -> None:
    login(client, world.users["purchaser"])
    response = client.post(f"/imports/{world.a.pk}/", {
        "importer": KEY, "file": upload("t.csv", csv_bytes([["colour"], ["red"]]))})
    assert response.status_code == 400
    assert "colour" in response.content.decode()
    response = client.post(f"/imports/{world.a.pk}/", {
        "importer": "not-registered", "file": upload("t.csv", csv_bytes(GOOD))})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_ast10_progress_polls_while_running(world: World, job: ImportJob,
                                            client: Client) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, progress=2,
                                               total_rows=4)
    login(client, world.users["manager"])
    url = f"/imports/{world.a.pk}/jobs/{job.pk}/"
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "width: 50%" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<div id=\"job-status\"")
    assert "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, written=2)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger' not in partial and 'data-testid="job-done"' in partial


def test_ast10_template_download(world: World, importer: Any, client: Client) -> None:
    login(client, world.users["manager"])
    response = client.get(f"/imports/template/{KEY}.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"{KEY}-template.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == ["code", "name", "order", "since"]
    help_rows = list(book[HELP_SHEET_TITLE].iter_rows(values_only=True))
    assert help_rows[1][0] == "code" and help_rows[1][2] in ("yes", "是")
    assert help_rows[4][0] == "since" and help_rows[4][3] == "YYYY-MM-DD"
    assert client.get("/imports/template/nope.xlsx").status_code == 404


def test_ast10_a_filled_template_imports(world: World, importer: Any, client: Client) -> None:
    login(client, world.users["manager"])
    book = load_workbook(io.BytesIO(client.get(f"/imports/template/{KEY}.xlsx").content))
    book.worksheets[0].append(["tpl", "模板行", 1, "2025-05-05"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = services.upload(world.a, KEY, upload("filled.xlsx", buffer.getvalue()), None)
    assert job.valid_rows == 1 and not job.errors


def test_ast10_job_history_export_is_scoped(world: World, importer: Any,
                                            client: Client) -> None:
    services.upload(world.a, KEY, upload("from-a.csv", csv_bytes(GOOD)), None)
    services.upload(world.b, KEY, upload("from-b.csv", csv_bytes(GOOD)), None)
    login(client, world.users["manager"])
    response = client.get(f"/imports/{world.a.pk}/jobs/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0]
                .iter_rows(values_only=True))
    names = [cell for row in rows for cell in row]
    assert "from-a.csv" in names and "from-b.csv" not in names


def test_ast10_contract_specific_columns(world: World, importer: Any, client: Client,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Importer.columns_for(contract): extra columns are accepted in files and templates."""
    from weibao.imports.registry import Column

    def columns_for(self: Any, contract: Any) -> tuple[Column, ...]:
        extra = (Column("attr:colour", "颜色"),) if contract == world.a else ()
        return (*self.columns, *extra)

    monkeypatch.setattr(type(importer), "columns_for", columns_for)
    rows = [[*GOOD[0], "颜色"], [*GOOD[1], "红"]]
    job = services.upload(world.a, KEY, upload("c.xlsx", xlsx_bytes(rows)), None)
    assert job.valid_rows == 1
    with pytest.raises(services.ServiceError):
        services.upload(world.b, KEY, upload("c.xlsx", xlsx_bytes(rows)), None)
    login(client, world.users["manager"])
    response = client.get(f"/imports/template/{KEY}.xlsx?contract={world.a.pk}")
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header[-1] == "attr:colour"
    assert client.get(f"/imports/template/{KEY}.xlsx?contract={world.b.pk}").status_code == 404


@pytest.mark.parametrize("key", ["sites", "assets", "stock"])
def test_ast10_every_domain_importer_has_a_template(world: World, client: Client,
                                                    key: str) -> None:
    from weibao.imports.registry import get_importer

    importer = get_importer(key)
    login(client, world.users["admin"])
    response = client.get(f"/imports/template/{key}.xlsx?contract={world.a.pk}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    keys = [c.value for c in book.worksheets[0][1]]
    assert keys[:len(importer.columns)] == [c.key for c in importer.columns]
    help_keys = [r[0] for r in book[HELP_SHEET_TITLE].iter_rows(min_row=2, values_only=True)]
    assert set(keys) <= set(help_keys)
