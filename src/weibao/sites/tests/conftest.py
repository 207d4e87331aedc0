"""Fixtures of the sites tests: contract A with two area classes, three districts (one split),
two site types and three sites (one belonging to site owner O1); contract B with one site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from weibao.conftest import World
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages are asserted in English here."""
    with translation.override("en"):
        yield


@dataclass
class SitesWorld:
    world: World
    urban: AreaClass
    suburban: AreaClass
    huangpu: District
    minhang: District
    pudong_nanhui: District
    sbk: SiteType
    rp: SiteType
    s1: Site   # 黄浦, urban, owned by O1
    s2: Site   # 闵行, suburban
    s3: Site   # 浦东(原南汇) with an urban override
    b1: Site   # contract B

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users


@pytest.fixture
def sw(world: World) -> SitesWorld:
    a, b = world.a, world.b
    urban = AreaClass.objects.create(contract=a, code="urban", name="市内", order=1)
    suburban = AreaClass.objects.create(contract=a, code="suburban", name="郊区", order=2)
    huangpu = District.objects.create(contract=a, code="huangpu", name="黄浦区",
                                      area_class=urban, order=1)
    minhang = District.objects.create(contract=a, code="minhang", name="闵行区",
                                      area_class=suburban, order=2)
    nanhui = District.objects.create(contract=a, code="pudong-nanhui", name="浦东新区（原南汇）",
                                     area_class=suburban, order=3)
    sbk = SiteType.objects.create(contract=a, code="sbk-outlet", name="社保卡受理网点", order=1)
    rp = SiteType.objects.create(contract=a, code="rp-outlet", name="居住证受理网点", order=2)
    s1 = Site.objects.create(contract=a, code="hp-001", name="黄浦示例网点", site_type=sbk,
                             district=huangpu, organisation=world.orgs["O1"],
                             address="示例路1号", contact_name="测试联系人",
                             contact_phone="13800000001")
    s2 = Site.objects.create(contract=a, code="mh-001", name="闵行示例网点", site_type=rp,
                             district=minhang, address="示例路2号")
    s3 = Site.objects.create(contract=a, code="nh-001", name="南汇示例网点", site_type=sbk,
                             district=nanhui, area_class_override=urban)
    b_type = SiteType.objects.create(contract=b, code="sbk-outlet", name="乙网点")
    b1 = Site.objects.create(contract=b, code="b-001", name="乙方网点", site_type=b_type)
    return SitesWorld(world, urban, suburban, huangpu, minhang, nanhui, sbk, rp, s1, s2, s3, b1)
