"""SITE-01/02: every filter of the site list (shared by page, export and API), scoped to the
user's contracts (PLT-01)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from weibao.sites.filtersets import DistrictFilterSet, SiteFilterSet
from weibao.sites.models import Site
from weibao.sites.tests.conftest import SitesWorld


def run(sw: SitesWorld, role: str, **params) -> set[str]:
    request = SimpleNamespace(user=sw.users[role])
    filterset = SiteFilterSet({k: str(v) for k, v in params.items()},
                              queryset=Site.objects.visible_to(sw.users[role]),
                              request=request)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("code", flat=True))


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"hp-001", "mh-001", "nh-001"}),
    ({"q": "闵行"}, {"mh-001"}),
    ({"q": "NH-0"}, {"nh-001"}),
    ({"q": "示例路2"}, {"mh-001"}),
    ({"status": "active"}, {"hp-001", "mh-001", "nh-001"}),
    ({"status": "closed"}, set()),
])
def test_site01_text_and_status_filters(sw: SitesWorld, params, expected):
    assert run(sw, "manager", **params) == expected


def test_site01_relation_filters(sw: SitesWorld):
    assert run(sw, "manager", contract=sw.world.a.pk) == {"hp-001", "mh-001", "nh-001"}
    assert run(sw, "manager", district=sw.huangpu.pk) == {"hp-001"}
    assert run(sw, "manager", site_type=sw.rp.pk) == {"mh-001"}
    # The effective area class: the override wins over the district's class (SITE-02).
    assert run(sw, "manager", area_class=sw.urban.pk) == {"hp-001", "nh-001"}
    assert run(sw, "manager", area_class=sw.suburban.pk) == {"mh-001"}


def test_plt01_choices_are_limited_to_the_users_contracts(sw: SitesWorld):
    request = SimpleNamespace(user=sw.users["outsider"])
    filterset = SiteFilterSet({"contract": str(sw.world.a.pk)}, queryset=Site.objects.all(),
                              request=request)
    assert not filterset.is_valid()
    for name in ("contract", "district", "area_class", "site_type"):
        assert sw.world.a.pk not in {getattr(o, "contract_id", o.pk)
                                     for o in filterset.filters[name].queryset}
    filterset = SiteFilterSet({"district": str(sw.huangpu.pk)}, queryset=Site.objects.all(),
                              request=request)
    assert not filterset.is_valid()


def test_site02_district_filterset(sw: SitesWorld):
    request = SimpleNamespace(user=sw.users["engineer"])
    from weibao.sites.models import District

    filterset = DistrictFilterSet({"area_class": str(sw.suburban.pk)},
                                  queryset=District.objects.all(), request=request)
    assert {d.code for d in filterset.qs} == {"minhang", "pudong-nanhui"}
    filterset = DistrictFilterSet({"q": "黄浦"}, queryset=District.objects.all(),
                                  request=request)
    assert {d.code for d in filterset.qs} == {"huangpu"}
