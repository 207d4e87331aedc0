"""The staff pages in a real browser (STF-04, STF-05; issue 12 "done when"): a resident engineer
checks in and out on a 390 px phone, and the purchaser approves a personnel change the vendor
manager requested."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> dict[str, Any]:
    from weibao.testing.examples import example_setup

    setup = example_setup("001-changzhou-hrss-onsite.yaml", "stf")
    return {"contract": setup.contract, **setup.people}


def test_resident_engineer_checks_in_and_out_on_the_phone(browser: Any, phone: Any,
                                                          live_server: Any) -> None:
    """STF-04: the check-in page fits a 390 px screen; checking in records the day with the
    location, then the page offers the check-out."""
    from django.utils import timezone

    from weibao.staff.models import AttendanceDay
    from weibao.staff.services import add_member

    world = _world()
    member = add_member(world["contract"], "王驻场", starts_on=datetime.date(2020, 1, 1),
                        resident=True, user=world["engineer"])
    base = live_server.url
    log_in(phone, base, world["engineer"].username, PASSWORD)
    phone.goto(f"{base}/staff/check-in/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#id_location", "甲方机房")
    phone.click("[data-testid=check-in]")
    phone.wait_for_selector("[data-testid=check-out]")
    day = AttendanceDay.objects.get(member=member, day=timezone.localdate())
    assert day.check_in_at is not None and day.location == "甲方机房"
    phone.click("[data-testid=check-out]")
    phone.wait_for_selector("[data-testid=post-status]")
    day.refresh_from_db()
    assert day.check_out_at is not None
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_purchaser_approves_a_personnel_change(browser: Any, page: Any,
                                               live_server: Any) -> None:
    """STF-05: the vendor manager requests the change in the form (a replacement as
    qualified, handed over ≥20 days), the purchaser approves it on the changes page."""
    from weibao.staff.choices import ChangeStatus, Education
    from weibao.staff.models import PersonalData, PersonnelChange
    from weibao.staff.services import add_member

    world = _world()
    contract = world["contract"]
    leaving = add_member(contract, "王本科", starts_on=datetime.date(2024, 9, 1), resident=True)
    replacement = add_member(contract, "孙本科", starts_on=datetime.date(2024, 10, 1),
                             resident=True)
    for member in (leaving, replacement):
        PersonalData.objects.create(member=member, education=Education.BACHELOR)
    base = live_server.url
    url = f"{base}/staff/changes/?contract={contract.pk}"
    log_in(page, base, world["manager"].username, PASSWORD)
    page.goto(url)
    page.select_option("#id_leaving", label="王本科")
    page.select_option("#id_replacement", label="孙本科")
    page.fill("#id_effective_on", "2024-11-30")
    page.fill("#id_reason", "调往其他项目")
    page.click("[data-testid=submit-change]")
    page.wait_for_selector("[data-testid=change-status]")
    change = PersonnelChange.objects.get(contract=contract)
    assert change.status == ChangeStatus.REQUESTED
    page.context.clear_cookies()
    log_in(page, base, world["purchaser"].username, PASSWORD)
    page.goto(url)
    page.click("[data-testid=approve-change]")
    page.wait_for_selector("[data-testid=change-status]")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == world["purchaser"]
    assert page.locator("[data-testid=approve-change]").count() == 0
