"""The contract pages in a real browser (PLT-01, CON-01, PAY-01)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in, open_menu
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_purchaser_sees_exactly_its_own_contracts(page: Any, live_server: Any, world: Any):
    """PLT-01: the purchaser of contract A sees A on the home page and in the list, never B."""
    log_in(page, live_server.url, "purchaser", PASSWORD)
    home_rows = page.locator("[data-testid=my-contracts] tbody tr[data-contract]")
    assert home_rows.evaluate_all("rows => rows.map(r => r.dataset.contract)") == ["A-001"]
    open_menu(page, "contract")
    page.locator("#navbar-menu").get_by_role("link", name="合同", exact=True).click()
    page.wait_for_url("**/contracts/")
    rows = page.locator("[data-testid=contract-table] tbody tr")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.contract)") == ["A-001"]
    response = page.goto(f"{live_server.url}/contracts/{world.b.pk}/")
    assert response.status == 404


def test_vendor_manager_imports_a_spec_and_sees_errors_first(page: Any, live_server: Any,
                                                             world: Any, tmp_path: Path):
    """CON-01/PAY-01: a broken spec is refused with its path; the fixed one is imported."""
    from weibao.contracts.spec.loader import dump_yaml
    from weibao.contracts.tests.test_spec import spec

    data = spec(**{"payment.milestones.1.percent": 120})
    data["parties"][1]["organisation"] = {"name": "乙方一", "code": "v1", "kind": "vendor"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump_yaml(data), encoding="utf-8")
    log_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/contracts/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button.btn-primary")
    errors = page.locator("[data-testid=spec-errors]")
    assert "payment.milestones[1].percent" in errors.inner_text()
    data["payment"]["milestones"][1]["percent"] = 50
    good = tmp_path / "good.yaml"
    good.write_text(dump_yaml(data), encoding="utf-8")
    page.set_input_files("input[type=file]", str(good))
    page.click("button.btn-primary")
    page.wait_for_url("**/contracts/*/")
    assert "SPEC-001" in page.inner_text(".page-pretitle")
    page.click("[data-tab=payments]")
    page.wait_for_selector("[data-testid=milestones]")
    assert "¥831,900.00" in page.inner_text("[data-testid=milestones]")


def test_language_switch_and_phone_layout(phone: Any, live_server: Any, world: Any):
    """The UI is Chinese by default, English on request, and usable on a phone."""
    log_in(phone, live_server.url, "manager", PASSWORD)
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator(".page-title").inner_text() == "首页"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    phone.click(".navbar-toggler")
    phone.wait_for_selector("#navbar-menu.show")
    # Choosing a language submits the form: wait for the page it leads to, not the current one.
    with phone.expect_navigation():
        phone.select_option("select[name=language]", "en")
    assert phone.locator(".page-title").inner_text() == "Home"


def test_contract_author_previews_sla_in_the_browser(page: Any, live_server: Any, world: Any):
    """SLA-01 preview (试算): a suburban outlet fault reported on the Friday before the
    adjusted Saturday 2025-10-11 is due at 10:00 that Saturday."""
    from weibao.contracts.spec.importer import import_text
    from weibao.sla.tests.test_preview import EXAMPLES

    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8"),
                           ).contract
    log_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/sla/preview/")
    page.select_option("#id_contract", str(contract.pk))
    page.fill("#id_area_class", "suburban")
    page.fill("#id_event_reported", "2025-10-10T16:00:00")
    page.fill("#id_now", "2025-10-10T16:30:00")
    page.click("[data-testid=sla-preview-submit]")
    page.wait_for_selector("[data-testid=sla-result]")
    assert page.inner_text("[data-testid=due-respond]") == "2025-10-11 10:00:00"
    assert page.get_attribute("[data-stage=respond]", "data-status") == "running"
