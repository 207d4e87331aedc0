"""Content-Security-Policy in a real browser (PLT-08): every page of the main navigation, as
each role, loads without a single CSP violation (no inline script, no foreign origin); the
login lockout message shows in the page (PLT-04)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "contracts"
_SKIP = ("/logout", "/i18n/", "/admin/", "/api/", "/static/", "/media/")
_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
                    (e.sourceFile || '') + ':' + (e.lineNumber || ''));
});
"""


def _people() -> dict[str, Any]:
    from weibao.core.choices import Role
    from weibao.testing.examples import example_setup
    from weibao.testing.factories import UserFactory

    setup = example_setup("000-shanghai-sbk-outlets.yaml", "csp", supervisor=True)
    people = dict(setup.people)
    people.pop("outsider", None)
    people["site"] = UserFactory(username="csp-site", role=Role.SITE_STAFF,
                                 organisation=setup.contract.purchaser.organisation)
    people["admin"] = UserFactory(username="csp-admin", role=Role.ADMINISTRATOR,
                                  organisation=setup.contract.vendor.organisation)
    people["contract"] = setup.contract
    return people


def _menu_links(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], aside a[href], .navbar a[href]",
        "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        if href and href.startswith("/") and not href.startswith(_SKIP) and href not in links:
            links.append(href)
    return links


def test_plt08_every_main_page_as_every_role_without_csp_violation(live_server: Any,
                                                                    browser: Any) -> None:
    people = _people()
    contract = people.pop("contract")
    failures: list[str] = []
    visited = 0
    for role, user in people.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.add_init_script(_WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        console: list[str] = []
        page.on("console", lambda message, sink=console: sink.append(message.text)
                if "Content Security Policy" in message.text else None)
        log_in(page, live_server.url, user.username, PASSWORD)
        links = _menu_links(page, live_server.url)
        links += ["/", f"/contracts/{contract.pk}/", "/security/two-step/",
                  "/security/sign-ins/"]
        for href in dict.fromkeys(links):
            response = page.goto(f"{live_server.url}{href}")
            page.wait_for_load_state("networkidle")
            visited += 1
            found = page.evaluate("window.__csp || []") + console
            console.clear()
            if found:
                failures.append(f"{role} {href} "
                                f"({response.status if response else '?'}): {found}")
        context.close()
    assert visited > len(people) * 3
    assert not failures, "\n".join(failures)
    # The watch itself sees a violation: an inline script added to a page is refused.
    context = browser.new_context()
    context.add_init_script(_WATCH)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.evaluate("() => { const s = document.createElement('script');"
                  " s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    context.close()


def test_plt04_locked_account_message_in_the_browser(live_server: Any, page: Any,
                                                     settings: Any) -> None:
    from weibao.testing.factories import UserFactory

    settings.WEIBAO_LOCKOUT_THRESHOLD = 2
    UserFactory(username="lock-me")
    for _ in range(2):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "lock-me")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=login-error]")
    page.fill("#id_username", "lock-me")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=login-locked]")
    assert page.url.endswith("/login/")
