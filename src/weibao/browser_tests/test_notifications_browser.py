"""The notification centre in a real browser (issue 13 "done when"): a ticket reported by the
purchaser reaches the vendor manager's centre through the worker (events after commit, huey
immediate in tests); the manager finds it from the menu, opens it (read, and on the ticket),
and marks the rest read; the preferences page saves quiet hours on a phone (TKT-01, SLA-10)."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in, open_menu
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report(setup: Any, title: str) -> Any:
    from weibao.tickets import services
    from weibao.tickets.models import TicketType

    return services.create_ticket(services.TicketInput(
        contract=setup.contract, title=title,
        ticket_type=TicketType.objects.get(contract=setup.contract, code="fault")),
        actor=setup.people["purchaser"])


def test_manager_reads_the_new_ticket_in_the_notification_centre(browser: Any, page: Any,
                                                                 live_server: Any) -> None:
    from weibao.notifications.models import Notification
    from weibao.testing.examples import example_setup

    setup = example_setup("002-shanghai-hrss-ca-integration.yaml", "ntf")
    first = _report(setup, "CA 证书签发失败")
    _report(setup, "统一认证平台无法登录")
    manager = setup.people["manager"]
    assert Notification.objects.filter(recipient=manager).count() == 2
    base = live_server.url
    log_in(page, base, manager.username, PASSWORD)
    open_menu(page, "operations")
    page.click("#navbar-menu a[href='/notifications/']")
    page.wait_for_selector("[data-testid=notifications]")
    assert page.inner_text("[data-testid=unread-count]") == "2"
    items = page.locator("[data-testid=notification]")
    assert items.count() == 2
    assert first.number in page.inner_text("[data-testid=notifications]")
    # Open the first ticket's notification: read, and on the ticket's page.
    item = page.locator("[data-testid=notification]", has_text="CA 证书签发失败")
    item.locator("[data-testid=open]").click()
    page.wait_for_url(f"{base}/tickets/{first.pk}/")
    page.goto(f"{base}/notifications/")
    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("[data-testid=mark-all-read]")
    page.wait_for_selector("[data-testid=mark-all-read]", state="detached")
    assert page.inner_text("[data-testid=unread-count]") == "0"
    assert not Notification.objects.filter(recipient=manager, read_at__isnull=True).exists()


def test_engineer_sets_quiet_hours_on_a_phone(browser: Any, phone: Any,
                                              live_server: Any) -> None:
    from weibao.notifications.models import Preference
    from weibao.testing.examples import example_setup

    setup = example_setup("002-shanghai-hrss-ca-integration.yaml", "ntq")
    engineer = setup.people["engineer"]
    base = live_server.url
    log_in(phone, base, engineer.username, PASSWORD)
    phone.goto(f"{base}/notifications/preferences/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#id_quiet_start", "22:00")
    phone.fill("#id_quiet_end", "07:30")
    phone.check("#id_quiet_non_working_days")
    phone.click("[data-testid=preferences] button[type=submit]")
    phone.wait_for_url(f"{base}/notifications/preferences/")
    preference = Preference.objects.get(user=engineer)
    assert str(preference.quiet_end) == "07:30:00" and preference.quiet_non_working_days
