"""Seed 001's final assessment in a real browser (ASM-01, ASM-06, PAY-03; issue 11 "done
when"): the purchaser creates and computes it and enters every item by hand (attendance
with a proof file); the vendor's manager agrees with four items, disputes attendance and
submits the review; the purchaser confirms; the supervisor decides the dispute; the
purchaser finalises — 80 points pay 90 %, 392,400.00 of 436,000 — and downloads the
assessment report (PDF)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = {"daily-maintenance": "18", "responsiveness": "8", "completion-rate": "16",
          "satisfaction-rate": "16", "attendance": "25"}


def _open(browser: Any, base: str, username: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, username, PASSWORD)
    return context, page


def _line(page: Any, code: str) -> Any:
    return page.locator(f"[data-item='{code}']")


def _submit_line_form(page: Any, code: str, toggle: str, fill: dict[str, str],
                      button: str, files: dict[str, Path] | None = None) -> None:
    card = _line(page, code)
    pk = card.get_attribute("data-line")
    card.locator(f"[data-testid={toggle}]").click()
    prefix = f"#id_{toggle.removesuffix('-toggle')}-{pk}-"
    for name, value in fill.items():
        field = page.locator(prefix + name)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for name, path in (files or {}).items():
        page.set_input_files(prefix + name, str(path))
    with page.expect_navigation():
        card.locator(f"[data-testid={button}]").click()
    assert page.locator(".alert-danger, [data-testid=form-errors]").count() == 0, \
        page.content()[:2000]


def test_one_assessment_cycle_end_to_end(browser: Any, live_server: Any, tmp_path: Path,
                                         settings: Any) -> None:
    from weibao.assessment.models import Assessment
    from weibao.assessment.tests.conftest import _setup

    settings.MEDIA_ROOT = tmp_path / "media"
    world = _setup("001-changzhou-hrss-onsite.yaml", "cz")
    contract, people = world.contract, world.people
    base = live_server.url
    proof = tmp_path / "驻场出勤记录.pdf"
    proof.write_bytes(b"%PDF-1.4\n% attendance sheet\n")

    # 1. The purchaser creates the final assessment of the whole service period and
    #    computes it from the records.
    buyer_context, buyer = _open(browser, base, people["purchaser"].username)
    buyer.goto(f"{base}/assessment/contracts/{contract.pk}/")
    buyer.check("#id_is_final")
    with buyer.expect_navigation():
        buyer.click("[data-testid=create]")
    assert re.search(r"/assessment/assessments/\d+/$", buyer.url)
    url = buyer.url
    with buyer.expect_navigation():
        buyer.click("[data-testid=compute]")
    assert buyer.locator("[data-line]").count() == 5

    # 2. Every item of seed 001 is scored by hand; attendance with its proof file.
    for code, points in POINTS.items():
        _submit_line_form(buyer, code, "enter-toggle",
                          {"points": points, "note": "按月度考核表汇总"}, "enter",
                          files={"proof": proof} if code == "attendance" else None)
    assert _line(buyer, "attendance").locator("[data-testid=proof-link]").count() == 1
    assert buyer.locator("[data-testid=score]").inner_text() == "83"

    # 3. The vendor's manager agrees with four items, disputes attendance, submits.
    vendor_context, vendor = _open(browser, base, people["manager"].username)
    vendor.goto(url)
    for code in POINTS:
        disputed = code == "attendance"
        _submit_line_form(vendor, code, "review-toggle",
                          {"agree": "false" if disputed else "true",
                           "comment": "驻场人员全勤，应得满分" if disputed else ""}, "review")
    with vendor.expect_navigation():
        vendor.click("[data-testid=submit-review]")
    assert vendor.locator("[data-testid=assessment-status] [data-status=vendor_reviewed]"
                          ).count() == 1
    assert vendor.locator("[data-testid=confirm]").count() == 0

    # 4. The purchaser confirms.
    buyer.goto(url)
    with buyer.expect_navigation():
        buyer.click("[data-testid=confirm]")
    assert buyer.locator("[data-testid=assessment-status] [data-status=confirmed]").count() == 1

    # 5. The supervisor decides the disputed item: 22 points.
    supervisor_context, supervisor = _open(browser, base, people["supervisor"].username)
    supervisor.goto(url)
    card = _line(supervisor, "attendance")
    pk = card.get_attribute("data-line")
    supervisor.fill(f"#id_decide-{pk}-points", "22")
    supervisor.fill(f"#id_decide-{pk}-decision", "按门禁记录核定 22 分")
    with supervisor.expect_navigation():
        card.locator("[data-testid=decide]").click()
    assert "按门禁记录核定" in _line(supervisor, "attendance").locator(
        "[data-testid=decision]").inner_text()

    # 6. The purchaser finalises: 80 points, factor 90 %, the settlement and the digest.
    buyer.goto(url)
    with buyer.expect_navigation():
        buyer.click("[data-testid=finalise]")
    assert buyer.locator("[data-testid=assessment-status] [data-status=final]").count() == 1
    assert buyer.locator("[data-testid=score]").inner_text() == "80"
    assert buyer.locator("[data-testid=factor]").inner_text() == "90%"
    price = buyer.locator("[data-testid=final-price]").inner_text()
    assert price.replace(",", "") == "392400.00"
    assert buyer.locator("[data-testid=digest]").count() == 1
    assert buyer.locator("[data-testid=compute]").count() == 0
    assessment = Assessment.objects.get(contract=contract)
    assert assessment.status == "final" and assessment.digest

    # 7. The assessment report downloads as a PDF.
    with buyer.expect_download() as download_info:
        buyer.click("[data-testid=report-pdf]")
    saved = tmp_path / "assessment.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    for context in (buyer_context, vendor_context, supervisor_context):
        context.close()
