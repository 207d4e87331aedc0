"""PLT-01 permission matrix of every assets page and endpoint (AST-01..09).

Roles: vendor manager full; engineer views, adds archive entries and verifies; purchaser views
and changes; supervisor views; site staff view the assets of their own sites only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from weibao.conftest import login

ROLES = ["purchaser", "manager", "engineer", "supervisor", "site", "outsider", "admin"]


def _status(client: Any, aw: Any, role: str, url: str, method: str = "get",
            data: dict[str, Any] | None = None) -> int:
    login(client, aw.world.users[role])
    response = getattr(client, method)(url, data or {})
    return response.status_code


PAGES = {
    # name: (url builder, roles answering 200)
    "list": (lambda aw: reverse("assets:list"), set(ROLES)),
    "detail-own": (lambda aw: reverse("assets:detail", args=[aw.own.pk]),
                   {"purchaser", "manager", "engineer", "supervisor", "site", "admin"}),
    "detail-foreign-site": (lambda aw: reverse("assets:detail", args=[aw.foreign.pk]),
                            {"purchaser", "manager", "engineer", "supervisor", "admin"}),
    "detail-other-contract": (lambda aw: reverse("assets:detail", args=[aw.outside.pk]),
                              {"outsider", "admin"}),
    "create": (lambda aw: reverse("assets:create") + f"?contract={aw.world.a.pk}",
               {"manager", "admin"}),
    "edit": (lambda aw: reverse("assets:edit", args=[aw.own.pk]),
             {"purchaser", "manager", "admin"}),
    "types": (lambda aw: reverse("assets:types"), {"purchaser", "manager", "engineer",
                                                   "supervisor", "site", "outsider", "admin"}),
    "certificates": (lambda aw: reverse("assets:certificates"),
                     {"purchaser", "manager", "engineer", "supervisor", "outsider", "admin"}),
    "certificate": (lambda aw: reverse("assets:certificate-detail", args=[aw.certificate.pk]),
                    {"purchaser", "manager", "engineer", "supervisor", "admin"}),
    "certificate-create": (lambda aw: reverse("assets:certificate-create"), {"manager",
                                                                             "admin"}),
    "verify": (lambda aw: reverse("assets:verify", args=[aw.setup.site1.pk]),
               {"manager", "engineer", "admin"}),
    "relocate": (lambda aw: reverse("assets:relocate", args=[aw.own.pk]), {"manager", "admin"}),
    "relocations": (lambda aw: reverse("assets:relocations"),
                    {"purchaser", "manager", "engineer", "supervisor", "outsider", "admin"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_plt01_pages(client, aw, page, role):
    build, allowed = PAGES[page]
    status = _status(client, aw, role, build(aw))
    assert (status == 200) == (role in allowed), (page, role, status)
    assert status in {200, 403, 404}


def test_plt01_anonymous_is_sent_to_login(client, aw):
    response = client.get(reverse("assets:list"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_plt01_list_shows_only_scoped_assets(client, aw, role):
    login(client, aw.world.users[role])
    body = client.get(reverse("assets:list")).content.decode()
    expected = {
        "own": role in {"purchaser", "manager", "engineer", "supervisor", "site", "admin"},
        "foreign": role in {"purchaser", "manager", "engineer", "supervisor", "admin"},
        "outside": role in {"outsider", "admin"},
    }
    assert ("网点一 PC" in body) == expected["own"]
    assert ("网点二 PC" in body) == expected["foreign"]
    assert ("合同乙 PC" in body) == expected["outside"]


WRITES = {
    # name: (url builder, data, roles that succeed (redirect))
    "event": (lambda aw: reverse("assets:detail", args=[aw.own.pk]),
              {"action": "event", "kind": "repair", "occurred_at": "2025-05-01T10:00",
               "summary": "换电源"}, {"manager", "engineer", "admin"}),
    "edit": (lambda aw: reverse("assets:edit", args=[aw.own.pk]),
             {"asset_type": None, "name": "改名", "quantity": 1, "status": "in_service",
              "warranty_state": "unknown"}, {"purchaser", "manager", "admin"}),
    "verify": (lambda aw: reverse("assets:verify", args=[aw.setup.site1.pk]), None,
               {"manager", "engineer", "admin"}),
    "relocate": (lambda aw: reverse("assets:relocate", args=[aw.own.pk]),
                 {"destination": "仓库", "relocated_on": "2025-05-01"}, {"manager", "admin"}),
    "bulk": (lambda aw: reverse("assets:bulk-edit"),
             {"status": "spare"}, {"purchaser", "manager", "admin"}),
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_plt01_writes(client, aw, write, role):
    build, data, allowed = WRITES[write]
    if write == "edit":
        data = {**data, "asset_type": aw.setup.desktop.pk}
    if write == "verify":
        data = {f"result_{aw.own.pk}": "present", f"note_{aw.own.pk}": ""}
    if write == "bulk":
        data = {**data, "assets": [aw.own.pk]}
    events = aw.own.events.count()
    status = _status(client, aw, role, build(aw), "post", data)
    aw.own.refresh_from_db()
    if role in allowed:
        assert status in {200, 302}, (write, role, status)
        assert aw.own.events.count() > events
    else:
        # Refused (403/404), or for a bulk edit of assets out of scope: nothing selected.
        assert status in {302, 403, 404}, (write, role, status)
        assert aw.own.events.count() == events, (write, role)


API = {
    "assets": ("api:asset-list", set(ROLES)),
    "asset-types": ("api:asset-type-list", set(ROLES)),
    "asset-events": ("api:asset-event-list", set(ROLES)),
    "certificates": ("api:certificate-list", {"purchaser", "manager", "engineer", "supervisor",
                                              "outsider", "admin"}),
}


@pytest.mark.parametrize("endpoint", sorted(API))
@pytest.mark.parametrize("role", ROLES)
def test_plt01_api_lists(api, aw, endpoint, role):
    name, allowed = API[endpoint]
    api.force_authenticate(aw.world.users[role])
    response = api.get(reverse(name))
    assert (response.status_code == 200) == (role in allowed), (endpoint, role)
    if response.status_code == 403:
        assert set(response.json()) >= {"message", "code", "errors"}


@pytest.mark.parametrize("role", ROLES)
def test_plt01_api_asset_scope(api, aw, role):
    api.force_authenticate(aw.world.users[role])
    ids = {row["id"] for row in api.get(reverse("api:asset-list")).json()["results"]}
    assert (aw.own.pk in ids) == (role != "outsider")
    assert (aw.foreign.pk in ids) == (role not in {"outsider", "site"})
    assert (aw.outside.pk in ids) == (role in {"outsider", "admin"})
    detail = api.get(reverse("api:asset-detail", args=[aw.outside.pk]))
    assert detail.status_code == (200 if role in {"outsider", "admin"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_plt01_api_writes(api, aw, role):
    api.force_authenticate(aw.world.users[role])
    created = api.post(reverse("api:asset-list"), {
        "contract": aw.world.a.pk, "asset_type": aw.setup.desktop.pk, "name": "API PC"})
    assert (created.status_code == 201) == (role in {"manager", "admin"}), created.content
    changed = api.patch(reverse("api:asset-detail", args=[aw.own.pk]), {"brand": "联想"})
    assert (changed.status_code == 200) == (role in {"purchaser", "manager", "admin"})
    event = api.post(reverse("api:asset-events", args=[aw.own.pk]), {
        "kind": "maintenance", "occurred_at": "2025-05-01T10:00:00+08:00", "summary": "巡检"})
    assert (event.status_code == 201) == (role in {"manager", "engineer", "admin"})
    transition = api.post(reverse("api:certificate-transition", args=[aw.certificate.pk]), {
        "transition": "issue", "issued_on": "2025-01-01", "expires_on": "2026-01-01"})
    assert (transition.status_code == 200) == (role in {"purchaser", "manager", "admin"})
