"""SITE-02 + SLA-01: the SLA preview takes the area class from a site of the contract (seed 000:
市内 2 working hours to respond, 郊区 3)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from weibao.contracts.spec.importer import import_text
from weibao.sites.models import District, Site, SiteType

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "contracts"


@pytest.fixture
def outlets(db):
    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8")
                           ).contract
    sbk = SiteType.objects.get(contract=contract, code="sbk-outlet")
    for code, district in (("mh-1", "minhang"), ("hp-1", "huangpu"), ("nh-1", "pudong-nanhui")):
        Site.objects.create(contract=contract, code=code, name=f"示例网点 {code}", site_type=sbk,
                            district=District.objects.get(contract=contract, code=district))
    return contract


def _respond(api, contract, **extra):
    return api.post("/api/sla/preview", {
        "contract": contract.number, "events": {"reported": "2025-09-23T09:00:00+08:00"},
        "now": "2025-09-23T09:30:00+08:00", **extra}, format="json")


@pytest.mark.parametrize(("site", "area_class", "due"), [
    ("hp-1", "urban", "2025-09-23T11:00:00+08:00"),
    ("mh-1", "suburban", "2025-09-23T12:00:00+08:00"),
    ("nh-1", "suburban", "2025-09-23T12:00:00+08:00"),
])
def test_site02_sla_preview_by_site_uses_its_area_class(api, outlets, admin_user, site,
                                                        area_class, due):
    api.force_authenticate(admin_user)
    response = _respond(api, outlets, site=site)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["attributes"]["area_class"] == area_class
    [respond] = body["stages"]
    assert respond["target"]["amount"] == (2 if area_class == "urban" else 3)
    assert respond["due_at"] == due


def test_site02_explicit_area_class_wins_over_the_site(api, outlets, admin_user):
    api.force_authenticate(admin_user)
    response = _respond(api, outlets, site="mh-1", attributes={"area_class": "urban"})
    assert response.status_code == 200
    assert response.json()["stages"][0]["target"]["amount"] == 2


def test_site02_unknown_site_is_a_clear_error(api, outlets, admin_user):
    api.force_authenticate(admin_user)
    response = _respond(api, outlets, site="nowhere")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "sla_invalid"
    assert "nowhere is not a site of contract 11N4252038312025801" in body["message"]


def test_site02_site_needs_a_contract_not_a_spec(api, outlets, admin_user):
    api.force_authenticate(admin_user)
    text = (EXAMPLES / "000-shanghai-sbk-outlets.yaml").read_text("utf-8")
    response = api.post("/api/sla/preview", {
        "spec": text, "site": "mh-1", "events": {"reported": "2025-09-23T09:00:00+08:00"}},
        format="json")
    assert response.status_code == 400 and response.json()["code"] == "sla_invalid"


def test_site02_preview_page_and_command_accept_a_site(client, outlets, admin_user):
    client.force_login(admin_user)
    response = client.post("/sla/preview/", {
        "contract": outlets.pk, "site": "mh-1", "event_reported": "2025-09-23T09:00:00",
        "now": "2025-09-23T09:30:00"})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "2025-09-23 12:00" in response.content.decode()
    bad = client.post("/sla/preview/", {"contract": outlets.pk, "site": "nowhere",
                                        "event_reported": "2025-09-23T09:00:00"})
    assert bad.status_code == 400 and "nowhere" in bad.content.decode()
    out = StringIO()
    call_command("sla", "preview", "--contract", outlets.number, "--site", "mh-1",
                 "--event", "reported=2025-09-23T09:00", "--now", "2025-09-23T09:30",
                 "--json", "--lang", "en", stdout=out)
    assert '"area_class": "suburban"' in out.getvalue()
