"""A monthly outlet visit on a phone, in a real browser (PM-01, PM-02, AST-08; issue 9
"done when"): the engineer opens today's visit of a 社保卡受理网点, checks in, fills the
14 items of seed 000's checklist (saved item by item), the site's staff draw their
signature and type their name, the visit is submitted, and the signed sheet's PDF text
holds the Chinese item names and the signer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "contracts"
SIGNER = "王芳"


def _world() -> dict[str, Any]:
    """Seed 000's contract (its spec carries the 14-item 社保卡受理网点 checklist), one outlet
    with one asset, an engineer, and this month's visit planned for today."""
    from django.utils import timezone

    from weibao.assets.models import Asset, AssetType
    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.maintenance.models import MaintenancePlan, Visit
    from weibao.maintenance.selectors import month_bounds
    from weibao.sites.models import District, Site, SiteType
    from weibao.testing.factories import UserFactory

    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml")
                           .read_text("utf-8")).contract
    site = Site.objects.create(
        contract=contract, code="HP-01", name="黄浦区第一受理网点",
        site_type=SiteType.objects.get(contract=contract, code="sbk-outlet"),
        district=District.objects.get(contract=contract, code="huangpu"),
        address="黄浦区中山南路1号", contact_name=SIGNER)
    asset_type = AssetType.objects.create(contract=contract, code="pc-x", name="受理电脑")
    Asset.objects.create(contract=contract, asset_type=asset_type, site=site,
                         name="受理电脑", code="PC-001")
    engineer = UserFactory(username="sbk-eng", organisation=contract.vendor.organisation,
                           role=Role.VENDOR_ENGINEER, first_name="李工")
    plan = MaintenancePlan.objects.get(contract=contract, code="sbk-monthly")
    today = timezone.localdate()
    start, end = month_bounds(today.year, today.month)
    visit = Visit.objects.create(contract=contract, plan=plan, key="browser", site=site,
                                 window_start=start, window_end=end, planned_for=today,
                                 assignee=engineer)
    return {"contract": contract, "plan": plan, "visit": visit,
            "items": list(plan.checklist.items.order_by("order"))}


def _no_sideways_scroll(phone: Any) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, \
        "the page must not scroll sideways on a phone"


def _pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout


def test_engineer_completes_a_14_item_visit_and_the_sheet_pdf_is_signed(
        phone: Any, live_server: Any, tmp_path: Path) -> None:
    from weibao.maintenance.models import VisitSheet

    world = _world()
    visit, items = world["visit"], world["items"]
    assert len(items) == 14
    base = live_server.url

    # 1. Today's visits on the phone; the outlet's visit is listed (PM-01).
    log_in(phone, base, "sbk-eng", PASSWORD)
    phone.goto(f"{base}/maintenance/today/")
    card = phone.locator(f"[data-visit='{visit.pk}']")
    assert "黄浦区第一受理网点" in card.inner_text()
    _no_sideways_scroll(phone)
    with phone.expect_navigation():
        card.locator("[data-testid=visit-open]").click()

    # 2. Check in (the location is optional: the browser has no permission here).
    with phone.expect_navigation():
        phone.click("[data-testid=check-in]")
    assert phone.get_attribute("[data-testid=visit-status]", "data-status") == "in_progress"
    _no_sideways_scroll(phone)

    # 3. The 14 items, each saved as it is answered (HTMX).
    for item in items:
        block = phone.locator(f"#item-{item.code}")
        block.scroll_into_view_if_needed()
        with phone.expect_response(lambda r: r.request.method == "POST"
                                   and f"/maintenance/visits/{visit.pk}/" in r.url):
            if item.kind == "pass_fail":
                block.locator(f"label[for='id_item-{item.code}-value_0']").click()
            elif item.kind == "text":
                # Leaving the field fires the one real "change" (a synthetic one here would be
                # followed by a second on blur, racing the next item's save).
                block.locator("textarea").fill("社保卡系统 V3.2")
                block.locator("textarea").press("Tab")
            elif item.kind == "asset_verification":
                block.locator("[data-asset] label").first.click()
        block.locator("[data-testid=item-saved]").wait_for()
    assert visit.results.count() == 14

    # 4. The site's staff sign on the screen and type their name; submit (PM-02).
    canvas = phone.locator("[data-testid=signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 20, box["y"] + 30)
    phone.mouse.down()
    for step in range(1, 10):
        phone.mouse.move(box["x"] + 20 + step * 25, box["y"] + 30 + (step % 2) * 40)
    phone.mouse.up()
    phone.fill("input[name=signer_name]", SIGNER)
    _no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.click("[data-testid=visit-submit]")
    phone.wait_for_url(f"**/maintenance/visits/{visit.pk}/sheet/")
    assert SIGNER in phone.inner_text("[data-testid=sheet-signer]")
    visit.refresh_from_db()
    assert visit.status == "done"
    assert VisitSheet.objects.filter(visit=visit).count() == 1
    with phone.expect_navigation():
        phone.click("[data-testid=sheet-verify]")
    assert phone.get_attribute("[data-testid=sheet-verified]", "data-ok") == "1"
    _no_sideways_scroll(phone)

    # 5. The signed PDF: Chinese item names and the signer (pdftotext).
    with phone.expect_download() as download:
        phone.click("[data-testid=sheet-pdf]")
    target = tmp_path / "sheet.pdf"
    download.value.save_as(target)
    text = "".join(_pdf_text(target).split())
    for name in ("核实使用软件版本", "数据备份", "磁盘碎片整理", "核实网点资产"):
        assert name in text, name
    assert SIGNER in text


def test_a_photo_is_saved_with_its_item_and_a_bad_number_is_refused_in_place(
        phone: Any, live_server: Any, tmp_path: Path) -> None:
    """PM-01: on the phone, a photo taken for an item is uploaded as soon as it is chosen
    (resized on the server), and an out-of-range number is refused under its item with the
    allowed range, without leaving the page."""
    from decimal import Decimal

    from PIL import Image

    from weibao.maintenance.choices import ItemKind
    from weibao.maintenance.models import ChecklistItem, MaintenancePlan, Visit, VisitPhoto

    world = _world()
    plan: MaintenancePlan = world["plan"]
    visit: Visit = world["visit"]
    checklist = plan.checklist
    ChecklistItem.objects.create(template=checklist, code="room-photo", order=20,
                                 text="机房照片", kind=ItemKind.PHOTO)
    ChecklistItem.objects.create(template=checklist, code="temp", order=21, text="机房温度",
                                 kind=ItemKind.NUMBER, unit="℃", min_value=Decimal("-20"),
                                 max_value=Decimal("60"))
    photo = tmp_path / "room.jpg"
    Image.new("RGB", (3000, 2000), (90, 120, 200)).save(photo, "JPEG")
    base = live_server.url
    log_in(phone, base, "sbk-eng", PASSWORD)
    phone.goto(f"{base}/maintenance/visits/{visit.pk}/")
    with phone.expect_navigation():
        phone.click("[data-testid=check-in]")

    block = phone.locator("#item-room-photo")
    with phone.expect_response(lambda r: r.request.method == "POST"):
        block.locator("input[type=file]").set_input_files(str(photo))
    block.locator("[data-testid=item-saved]").wait_for()
    stored = VisitPhoto.objects.get(visit=visit, item_code="room-photo")
    assert max(stored.width, stored.height) <= 1600
    assert block.locator("input[type=file]").input_value() == ""
    assert block.locator("[data-testid=item-photos-saved] img").count() == 1

    temp = phone.locator("#item-temp")
    temp.locator("input[name='item-temp-value']").fill("99")
    with phone.expect_response(lambda r: r.request.method == "POST"):
        temp.locator("input[name='item-temp-value']").dispatch_event("change")
    error = temp.locator("[data-testid=item-error]")
    error.wait_for()
    assert "60" in error.inner_text()
    assert not visit.results.filter(item_code="temp").exists()
    phone.screenshot(path=str(tmp_path / "visit.png"), full_page=True)
    _no_sideways_scroll(phone)
