"""Navigation by domain (issue 16): menus discovered from every app's navigation.py, shown
by permission and role, grouped, with no dead link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.core.context_processors import GROUPS, menu_entries, menu_for

pytestmark = pytest.mark.django_db


def _urls(user):
    return {item["url"] for group in menu_for(user) for item in group["items"]}


def test_every_app_menu_is_discovered_and_routed():
    entries = menu_entries()
    apps = {entry["url"].split(":")[0] for entry in entries}
    assert {"tickets", "maintenance", "sites", "assets", "spares", "contracts", "reports",
            "assessment", "calendars", "sla", "imports", "core", "staff", "emergency",
            "security"} <= apps
    known = {key for key, _label, _icon in GROUPS}
    for entry in entries:
        assert entry["group"] in known, entry
        reverse(entry["url"])


def test_each_role_sees_only_its_menus(world):
    site = _urls(world.users["site"])
    assert reverse("tickets:list") in site
    assert not {reverse("contracts:list"), reverse("sla:preview"),
                reverse("calendars:list"), reverse("imports:index")} & site
    engineer = _urls(world.users["engineer"])
    assert {reverse("tickets:mine"), reverse("maintenance:today")} <= engineer
    assert reverse("contracts:list") not in engineer
    purchaser = _urls(world.users["purchaser"])
    assert {reverse("contracts:list"), reverse("reports:list")} <= purchaser
    assert reverse("core:user-list") not in purchaser
    admin = _urls(world.users["admin"])
    assert {reverse("core:user-list"), reverse("security:audit")} <= admin


def test_groups_follow_the_domain_order_and_mark_the_active_entry(world):
    groups = menu_for(world.users["manager"], "/tickets/board/")
    keys = [group["key"] for group in groups]
    assert keys == sorted(keys, key=[k for k, _l, _i in GROUPS].index)
    active = [item for group in groups for item in group["items"] if item["active"]]
    assert [item["url"] for item in active] == [reverse("tickets:board")]
    assert next(g for g in groups if g["key"] == "operations")["active"]


def test_the_top_bar_renders_grouped_dropdowns(client, world):
    from weibao.conftest import login

    login(client, world.users["purchaser"])
    html = client.get(reverse("tickets:list")).content.decode()
    assert 'data-nav-group="operations"' in html
    assert 'data-nav-group="contract"' in html
    assert f'href="{reverse("contracts:list")}"' in html
    assert f'href="{reverse("core:user-list")}"' not in html
