"""The assets API: filters shared with the UI, writes through services, query counts."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.assets.models import Asset


def test_ast02_api_filters(api, aw):
    aw.setup.asset("UPS", aw.setup.ups, attributes={"capacity": 20})
    api.force_authenticate(aw.world.users["manager"])
    url = reverse("api:asset-list")
    names = {r["name"] for r in api.get(url, {"type": aw.setup.hw.pk}).json()["results"]}
    assert {"UPS", "网点一 PC"} <= names
    names = {r["name"] for r in api.get(url, {"site": aw.setup.site2.pk}).json()["results"]}
    assert names == {"网点二 PC"}
    assert api.get(url, {"contract": aw.world.b.pk}).status_code == 400  # not a choice (PLT-01)
    assert api.get(url, {"ordering": "-name"}).json()["results"][0]["name"] == "网点二 PC"


def test_ast02_api_create_validates_through_the_service(api, aw):
    api.force_authenticate(aw.world.users["manager"])
    response = api.post(reverse("api:asset-list"), {
        "contract": aw.world.a.pk, "asset_type": aw.setup.ups.pk, "name": "UPS",
        "attributes": {"capacity": "lots"}})
    assert response.status_code == 400
    assert "attributes" in response.json()["errors"]
    response = api.post(reverse("api:asset-list"), {
        "contract": aw.world.a.pk, "asset_type": aw.other.ups.pk, "name": "UPS"})
    assert response.status_code == 400  # a type of another contract
    response = api.post(reverse("api:asset-list"), {
        "contract": aw.world.a.pk, "asset_type": aw.setup.ups.pk, "name": "UPS",
        "site": aw.setup.site1.pk, "attributes": {"capacity": 30}})
    assert response.status_code == 201, response.content
    assert response.json()["attributes"] == {"capacity": "30"}


def test_ast03_api_events(api, aw):
    api.force_authenticate(aw.world.users["engineer"])
    url = reverse("api:asset-events", args=[aw.own.pk])
    created = api.post(url, {"kind": "repair", "occurred_at": "2025-01-02T10:00:00+08:00",
                             "summary": "维修", "source_kind": "ticket", "source_id": "T-1"})
    assert created.status_code == 201
    listed = api.get(reverse("api:asset-event-list"), {"source_kind": "ticket"}).json()
    assert [e["summary"] for e in listed["results"]] == ["维修"]


def test_ast07_api_certificates(api, aw):
    api.force_authenticate(aw.world.users["manager"])
    created = api.post(reverse("api:certificate-list"), {
        "contract": aw.world.a.pk, "holder": "电子印章", "kind": "e_seal", "algorithm": "SM2"})
    assert created.status_code == 201
    pk = created.json()["id"]
    url = reverse("api:certificate-transition", args=[pk])
    assert api.post(url, {"transition": "import"}).status_code == 400  # not issued yet
    issued = api.post(url, {"transition": "issue", "issued_on": "2025-01-01",
                            "expires_on": "2027-01-01"})
    assert issued.json()["state"] == "issued"


def _count(api, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_ast02_api_query_count_independent_of_page_size(api, aw):
    for i in range(30):
        aw.setup.asset(f"PC{i:02d}", site=aw.setup.site1 if i % 2 else aw.setup.site2)
    api.force_authenticate(aw.world.users["site"])
    url = reverse("api:asset-list")
    assert _count(api, url, {"page_size": 2}) == _count(api, url, {"page_size": 20})
    api.force_authenticate(aw.world.users["manager"])
    for endpoint in ("api:asset-event-list", "api:certificate-list", "api:asset-type-list"):
        target = reverse(endpoint)
        assert _count(api, target, {"page_size": 1}) == _count(api, target, {"page_size": 30})


def test_ast02_list_page_query_count_independent_of_rows(client, aw):
    from weibao.conftest import login

    login(client, aw.world.users["manager"])
    url = reverse("assets:list")
    first = _count(client, url, {})
    for i in range(20):
        aw.setup.asset(f"多{i}", site=aw.setup.site2)
    assert _count(client, url, {}) == first
    assert Asset.objects.count() > 20
