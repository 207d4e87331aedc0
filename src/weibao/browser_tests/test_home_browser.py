"""Role homes, navigation and the ticket list at 1366 and 390 px (issue 16): no sideways
scrolling, no navigation label taller than one line, the first ticket row visible without
scrolling, and each role sees only its menus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 800), "phone": (390, 844)}
# Links each role must see in its menu, and links it must not.
MENUS = {
    "purchaser": ({"/tickets/", "/contracts/", "/reports/", "/assessment/assessments/"},
                  {"/manage/users/", "/tickets/mine/"}),
    "manager": ({"/tickets/", "/tickets/board/", "/contracts/", "/imports/"},
                {"/manage/users/"}),
    "engineer": ({"/tickets/mine/", "/maintenance/today/"},
                 {"/contracts/", "/sla/preview/", "/imports/", "/tickets/board/"}),
    "site": ({"/tickets/"}, {"/contracts/", "/sla/preview/", "/calendars/", "/imports/",
                            "/tickets/board/", "/assessment/"}),
    "supervisor": ({"/assessment/", "/contracts/"}, {"/imports/", "/manage/users/"}),
    "admin": ({"/manage/users/", "/security/audit/", "/imports/"}, set()),
}

_LAYOUT = """() => {
  const tall = [];
  const labels = '#navbar-menu .nav-link-title, #navbar-menu .dropdown-item';
  for (const e of document.querySelectorAll(labels)) {
    if (e.offsetParent === null) continue;
    const style = getComputedStyle(e);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const height = e.getBoundingClientRect().height - parseFloat(style.paddingTop)
                   - parseFloat(style.paddingBottom);
    if (height > line * 1.5) tall.push(e.textContent.trim() + ' ' + height);
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, tall,
          links: [...document.querySelectorAll('#navbar-menu a[href]')]
                   .map(a => a.getAttribute('href'))};
}"""


@pytest.fixture
def tickets(world: Any) -> Iterator[Any]:
    from weibao.core.tests.test_home import make_ticket
    from weibao.sites.models import Site, SiteType

    site_type = SiteType.objects.create(contract=world.a, code="outlet", name="网点")
    site = Site.objects.create(contract=world.a, code="S-001", name="浦东网点",
                               site_type=site_type, organisation=world.orgs["O1"])
    for index in range(30):
        make_ticket(world.a, site=site, fault_level="L1" if index % 3 else "L2",
                    title=f"读卡机卡机 {index}", assignee=world.users["engineer"])
    yield world


def _context(browser: Any, size: str) -> Any:
    width, height = SIZES[size]
    phone = size == "phone"
    return browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                               has_touch=phone, locale="zh-CN")


def _open_all_menus(page: Any, size: str) -> None:
    if size == "phone":
        page.click(".navbar-toggler")
        page.wait_for_selector("#navbar-menu.show")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", list(MENUS))
def test_role_home_layout_and_menus(browser: Any, live_server: Any, tickets: Any, role: str,
                                    size: str) -> None:
    context = _context(browser, size)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, role, PASSWORD)
    page.wait_for_selector(f"[data-testid=home-{'manager' if role == 'admin' else role}]")
    _open_all_menus(page, size)
    layout = page.evaluate(_LAYOUT)
    assert layout["overflow"] <= 0, f"{role} home scrolls sideways at {size}"
    assert layout["tall"] == [], f"nav labels wrap at {size}: {layout['tall']}"
    links = set(layout["links"])
    wanted, unwanted = MENUS[role]
    assert wanted <= links, f"{role} misses {wanted - links}"
    assert not unwanted & links, f"{role} sees {unwanted & links}"
    if size == "desktop":
        # Each group's dropdown opens with its entries on one line each.
        for group in page.locator("#navbar-menu [data-nav-group]").all():
            group.locator("> .dropdown-toggle").click()
            assert page.evaluate(_LAYOUT)["tall"] == []
            page.keyboard.press("Escape")
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_ticket_list_shows_the_first_row_without_scrolling(browser: Any, live_server: Any,
                                                           tickets: Any, size: str) -> None:
    from weibao.core.models import User

    # A display name as long as the demo's (organisation + role) in the bulk-assign choice.
    User.objects.filter(username="engineer").update(
        first_name="上海智保慧民信息科技有限公司乙方工程师")
    context = _context(browser, size)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/tickets/")
    first = page.locator("#object-table tbody tr").first
    box = first.bounding_box()
    assert box is not None and box["y"] < SIZES[size][1], "the first ticket is below the fold"
    # A phone widens its layout viewport to the content: compare with the screen's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    # The search box and a few filters on top; the rest folded, with 全部 as the empty choice.
    assert page.locator("[data-testid=more-filters]").get_attribute("open") is None
    assert page.locator("#id_contract option").first.inner_text() != "---------"
    assert "未知" not in page.locator("#id_open").inner_text()
    # Paging: 30 tickets, pages of 50 — all on one page, no pager; search narrows the list.
    page.fill(".filter-form input[name=q]", "卡机 2")
    page.press(".filter-form input[name=q]", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#object-table tbody tr').length < 30")
    context.close()


def test_global_search_from_the_top_bar(page: Any, live_server: Any, tickets: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, live_server.url, "purchaser", PASSWORD)
    page.fill("[data-testid=global-search] input[name=q]", "卡机")
    page.press("[data-testid=global-search] input[name=q]", "Enter")
    page.wait_for_selector("[data-testid=search-results] [data-group=tickets]")
    assert page.locator("[data-group=tickets] .list-group-item").count() == 10


def test_a_saved_filter_comes_back_as_a_chip(page: Any, live_server: Any, tickets: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/tickets/")
    page.fill(".filter-form input[name=q]", "卡机 2")
    page.once("dialog", lambda dialog: dialog.accept("卡机二"))
    page.click("[data-save-filter]")
    page.locator("[data-saved-filters] a", has_text="卡机二").wait_for()  # page reloaded
    # Kept on the server for the user: another browser (a fresh context) shows it too.
    page.context.clear_cookies()
    page.evaluate("window.localStorage.clear()")
    log_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/tickets/")
    chip = page.locator("[data-saved-filters] a", has_text="卡机二")
    with page.expect_navigation():
        chip.click()
    assert "q=%E5%8D%A1%E6%9C%BA+2" in page.url
    assert page.locator("#object-table tbody tr").count() < 30
    # Removing the chip removes the saved filter.
    from weibao.core.models import SavedFilter

    page.click("[data-saved-filters] [data-remove-filter]")
    page.wait_for_selector("[data-saved-filters] a", state="detached")
    assert not SavedFilter.objects.filter(name="卡机二").exists()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_english_top_bar_fits_too(browser: Any, live_server: Any, world: Any,
                                      size: str) -> None:
    """English labels are longer: the administrator, who sees every menu, in English."""
    context = _context(browser, size)
    page = context.new_page()
    log_in(page, live_server.url, "admin", PASSWORD)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    _open_all_menus(page, size)
    layout = page.evaluate(_LAYOUT)
    assert layout["overflow"] <= 0 and layout["tall"] == []
    context.close()
