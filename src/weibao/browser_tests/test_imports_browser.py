"""Bulk import of sites in a real browser (AST-10, SITE-01): upload an .xlsx with one bad row,
read the row error in the preview, import the valid rows, follow progress to the summary and
find the new sites in the sites list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from weibao.browser_tests.conftest import log_in, open_menu
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sites_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "site_type", "district", "address"])
    sheet.append(["BT001", "示例网点001", "outlet", "pd", "示例路1号"])
    sheet.append(["BT002", "示例网点002", "no-such-type", "pd", ""])  # row 3: bad type
    sheet.append(["BT003", "示例网点003", "outlet", "", ""])
    book.save(path)
    return path


def test_vendor_manager_imports_sites_from_excel(page: Any, live_server: Any, world: Any,
                                                 tmp_path: Path) -> None:
    from weibao.sites.models import District, Site, SiteType

    SiteType.objects.create(contract=world.a, code="outlet", name="社保卡受理网点")
    District.objects.create(contract=world.a, code="pd", name="浦东新区")
    log_in(page, live_server.url, "manager", PASSWORD)
    open_menu(page, "settings")
    page.locator("#navbar-menu a[href='/imports/']").click()
    page.click(f"[data-testid=import-contracts] a[data-contract='{world.a.number}']")
    page.select_option("#id_importer", "sites")
    page.set_input_files("input[type=file]", str(_sites_workbook(tmp_path / "sites.xlsx")))
    page.click("[data-testid=import-upload] button[type=submit]")
    page.wait_for_selector("[data-testid=row-errors]")
    error = page.locator("[data-testid=row-errors] tr[data-row='3']")
    assert error.get_attribute("data-column") == "site_type"
    assert "no-such-type" in error.inner_text()
    assert page.inner_text("[data-testid=count-valid]") == "2"
    assert page.locator("[data-testid=commit-all]").is_disabled()
    page.click("[data-testid=commit-valid]")
    page.wait_for_selector("[data-testid=job-done]")
    assert "2" in page.inner_text("[data-testid=count-written]")
    page.click("[data-testid=result-link]")
    page.wait_for_url("**/sites/**")
    body = page.inner_text("body")
    assert "示例网点001" in body and "示例网点003" in body and "示例网点002" not in body
    assert Site.objects.filter(contract=world.a).count() == 2


def test_progress_bar_follows_a_running_import(page: Any, live_server: Any, world: Any,
                                               tmp_path: Path) -> None:
    """While a job runs, htmx polls every second; the summary replaces the bar when done."""
    from django.core.files.base import ContentFile

    from weibao.imports.choices import ImportStatus
    from weibao.imports.models import ImportJob

    job = ImportJob(contract=world.a, importer="sites", original_name="long.xlsx",
                    status=ImportStatus.IMPORTING, total_rows=1000, progress=250,
                    created_by=world.users["manager"])
    job.file.save("long.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()
    log_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/imports/{world.a.pk}/jobs/{job.pk}/")
    bar = page.locator("[data-testid=job-progress]")
    assert bar.get_attribute("aria-valuenow") == "25"
    ImportJob.objects.filter(pk=job.pk).update(progress=750)
    page.wait_for_selector("[data-testid=job-progress][aria-valuenow='75']")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, progress=1000,
                                               written=1000)
    page.wait_for_selector("[data-testid=job-done]")
    assert page.locator("[data-testid=job-progress]").count() == 0
