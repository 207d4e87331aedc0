"""Global search from the top bar (issue 16): ticket numbers, sites, asset serials, contract
numbers and knowledge titles; two-character Chinese terms match; contract scoping holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.conftest import login
from weibao.core.search import global_search
from weibao.core.tests.test_home import make_ticket

pytestmark = pytest.mark.django_db


def _hits(user, text):
    return {group.key: [hit.title for hit in group.hits] for group in global_search(user, text)}


def test_a_two_character_chinese_term_matches_inside_a_title(world):
    ticket = make_ticket(world.a, title="网点读卡机故障")
    make_ticket(world.b, title="另一个读卡机故障")
    hits = _hits(world.users["purchaser"], "卡机")
    assert hits["tickets"] == [f"{ticket.number} 网点读卡机故障"]


def test_numbers_sites_serials_and_knowledge(world):
    from weibao.assets.models import Asset, AssetType
    from weibao.sites.models import Site, SiteType
    from weibao.tickets.models import Article

    site_type = SiteType.objects.create(contract=world.a, code="outlet", name="网点")
    site = Site.objects.create(contract=world.a, code="PD-007", name="浦东网点",
                               site_type=site_type)
    asset_type = AssetType.objects.create(contract=world.a, code="reader", name="读卡器")
    Asset.objects.create(contract=world.a, site=site, asset_type=asset_type, name="读卡器",
                         serial="SN-4711")
    Article.objects.create(contract=world.a, title="读卡机卡机的处理", problem="p", solution="s",
                           search_text="读卡机卡机的处理 p s")
    manager = world.users["manager"]
    assert _hits(manager, "PD-007")["sites"] == ["PD-007 浦东网点"]
    assert _hits(manager, "4711")["assets"] == ["读卡器"]
    assert _hits(manager, "A-001")["contracts"] == ["合同甲"]
    assert _hits(manager, "卡机")["knowledge"] == ["读卡机卡机的处理"]
    assert _hits(world.users["outsider_manager"], "PD-007") == {}
    assert _hits(world.users["outsider_manager"], "A-001") == {}


def test_the_search_page(client, world):
    make_ticket(world.a, title="读卡机卡机")
    login(client, world.users["site"])
    response = client.get(reverse("search"), {"q": "卡机"})
    assert response.status_code == 200
    assert "合同甲" not in response.content.decode()  # site staff have no contract search
