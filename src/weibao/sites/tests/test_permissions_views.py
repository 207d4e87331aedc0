"""PLT-01 for every sites page: who may open it (200), who may not (403), to whom another
contract's (or another site owner's) site does not exist (404); anonymous visitors are sent to
/login/. Site staff see their own organisation's sites only."""

from __future__ import annotations

import pytest

from weibao.conftest import login
from weibao.sites.models import Site
from weibao.sites.tests.conftest import SitesWorld

PARTY_ROLES = ["purchaser", "manager", "engineer", "supervisor", "site"]
OUTSIDERS = {"outsider", "outsider_manager"}
EVERYONE = {*PARTY_ROLES, "admin", *OUTSIDERS}
PARTIES_OF_A = {*PARTY_ROLES, "admin"}
KEEPERS_OF_A = {"purchaser", "manager", "admin"}


def pages(sw: SitesWorld) -> list[tuple[str, set[str], set[str]]]:
    """(url, roles that get 200, roles that get 404; every other role gets 403)."""
    a, b = sw.world.a.pk, sw.world.b.pk
    s1, s2, b1 = sw.s1.pk, sw.s2.pk, sw.b1.pk
    return [
        ("/sites/", EVERYONE, set()),
        (f"/sites/?contract={a}&status=active&q=示例", EVERYONE, set()),
        (f"/sites/{s1}/", PARTIES_OF_A, OUTSIDERS),
        (f"/sites/{s2}/", PARTIES_OF_A - {"site"}, OUTSIDERS | {"site"}),
        (f"/sites/{s1}/edit/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/{s2}/edit/", KEEPERS_OF_A, OUTSIDERS | {"site"}),
        (f"/sites/{b1}/", {"admin", *OUTSIDERS}, set(PARTY_ROLES)),
        (f"/sites/contracts/{a}/new/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{b}/new/", {"admin", *OUTSIDERS}, set(PARTY_ROLES)),
        (f"/sites/bulk/?sites={s1}&sites={s2}", KEEPERS_OF_A, OUTSIDERS),
        ("/sites/areas/", EVERYONE, set()),
        (f"/sites/contracts/{a}/areas/", PARTIES_OF_A, OUTSIDERS),
        (f"/sites/contracts/{b}/areas/", {"admin", *OUTSIDERS}, set(PARTY_ROLES)),
        (f"/sites/contracts/{a}/districts/new/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{a}/districts/{sw.huangpu.pk}/edit/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{a}/area-classes/new/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{a}/area-classes/{sw.urban.pk}/edit/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{a}/site-types/new/", KEEPERS_OF_A, OUTSIDERS),
        (f"/sites/contracts/{a}/site-types/{sw.sbk.pk}/edit/", KEEPERS_OF_A, OUTSIDERS),
    ]


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_plt01_page_matrix(client, sw: SitesWorld, role: str):
    login(client, sw.users[role])
    wrong = []
    for url, allowed, hidden in pages(sw):
        want = 200 if role in allowed else 404 if role in hidden else 403
        got = client.get(url).status_code
        if got != want:
            wrong.append(f"{url}: got {got}, expected {want}")
    assert wrong == []


def test_plt01_anonymous_is_sent_to_login(client, sw: SitesWorld):
    for url, _allowed, _hidden in pages(sw):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize(("role", "expected"), [
    ("engineer", {"hp-001", "mh-001", "nh-001"}),
    ("site", {"hp-001"}),
    ("outsider", {"b-001"}),
    ("admin", {"hp-001", "mh-001", "nh-001", "b-001"}),
])
def test_plt01_list_shows_only_the_users_sites(client, sw: SitesWorld, role, expected):
    login(client, sw.users[role])
    body = client.get("/sites/").content.decode()
    shown = {code for code in ("hp-001", "mh-001", "nh-001", "b-001")
             if f'data-site="{code}"' in body}
    assert shown == expected


@pytest.mark.parametrize("role", ["engineer", "supervisor", "site"])
def test_plt01_readers_cannot_post(client, sw: SitesWorld, role):
    login(client, sw.users[role])
    a = sw.world.a.pk
    assert client.post(f"/sites/{sw.s1.pk}/edit/", {"code": "x"}).status_code == 403
    assert client.post(f"/sites/{sw.s1.pk}/delete/").status_code == 403
    assert client.post(f"/sites/contracts/{a}/new/", {"code": "x"}).status_code == 403
    assert client.post(f"/sites/contracts/{a}/districts/{sw.huangpu.pk}/delete/"
                       ).status_code == 403
    assert client.post("/sites/bulk/", {"sites": [sw.s1.pk], "status": "closed"}
                       ).status_code == 403
    assert Site.objects.filter(pk=sw.s1.pk, code="hp-001", status="active").exists()


def test_plt01_outsider_cannot_touch_a_sites(client, sw: SitesWorld):
    login(client, sw.users["outsider_manager"])
    assert client.post(f"/sites/{sw.s1.pk}/delete/").status_code == 404
    assert client.post("/sites/bulk/", {"sites": [sw.s1.pk], "status": "closed"}
                       ).status_code == 404
    assert Site.objects.filter(pk=sw.s1.pk).exists()


def test_nav_has_sites(client, sw: SitesWorld):
    login(client, sw.users["site"])
    assert 'href="/sites/"' in client.get("/").content.decode()
