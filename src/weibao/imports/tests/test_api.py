"""AST-10 import API and PLT-01: upload (multipart) → job with every row error; commit once
with a mode; status and progress; scoped per contract; importer permission AND
imports.add_importjob."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from weibao.conftest import World
from weibao.imports import services
from weibao.imports.models import ImportJob
from weibao.imports.tests.conftest import BAD, GOOD, KEY, csv_bytes, upload, xlsx_bytes
from weibao.sites.models import SiteType

pytestmark = pytest.mark.django_db

ROLES = ["purchaser", "manager", "engineer", "supervisor", "site", "outsider",
         "outsider_manager", "admin"]
IMPORTERS = {"purchaser", "manager", "admin"}
OUTSIDERS = {"outsider", "outsider_manager"}


def post_file(api: APIClient, contract: int, content: bytes, name: str = "t.xlsx",
              importer: str = KEY) -> Any:
    return api.post("/api/imports/", {"contract": contract, "importer": importer,
                                       "file": upload(name, content)}, format="multipart")


def test_ast10_api_flow(world: World, importer: Any, api: APIClient) -> None:
    api.force_authenticate(world.users["manager"])
    response = post_file(api, world.a.pk, xlsx_bytes(BAD))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "validated"
    assert (body["total_rows"], body["valid_rows"], body["error_rows"]) == (4, 2, 2)
    assert {"row": 4, "column": "code", "message": "same code as row 2"} in body["row_errors"]
    job_id = body["id"]
    refused = api.post(f"/api/imports/{job_id}/commit/", {"mode": "all_or_nothing"})
    assert refused.status_code == 400
    assert "mode" in refused.json()["errors"]
    done = api.post(f"/api/imports/{job_id}/commit/", {"mode": "valid_rows"})
    assert done.status_code == 200
    assert done.json()["status"] == "done" and done.json()["written"] == 2
    again = api.post(f"/api/imports/{job_id}/commit/", {"mode": "valid_rows"})
    assert again.status_code == 409
    status = api.get(f"/api/imports/{job_id}/").json()
    assert status["progress"] == 4 and status["percent"] == 100
    assert set(SiteType.objects.values_list("code", flat=True)) == {"t1", "t4"}


def test_ast10_api_bad_input(world: World, importer: Any, api: APIClient) -> None:
    api.force_authenticate(world.users["manager"])
    response = post_file(api, world.a.pk, csv_bytes([["colour"], ["red"]]), "t.csv")
    assert response.status_code == 400
    assert "colour" in response.json()["message"]
    assert post_file(api, world.a.pk, b"x", importer="nope").status_code == 400
    response = api.post("/api/imports/", {"contract": world.a.pk, "importer": KEY},
                        format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    job = services.upload(world.a, KEY, upload("t.csv", csv_bytes(GOOD)), None)
    response = api.post(f"/api/imports/{job.pk}/commit/", {"mode": "sometimes"})
    assert response.status_code == 400 and "mode" in response.json()["errors"]
    assert not ImportJob.objects.exclude(pk=job.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_plt01_ast10_api_matrix(world: World, importer: Any, api: APIClient,
                                role: str) -> None:
    job_a = services.upload(world.a, KEY, upload("a.csv", csv_bytes(GOOD)), None)
    job_b = services.upload(world.b, KEY, upload("b.csv", csv_bytes(GOOD)), None)
    user = world.users[role]
    api.force_authenticate(user)
    listing = api.get("/api/imports/")
    upload_a = post_file(api, world.a.pk, csv_bytes(GOOD), "new.csv")
    commit_a = api.post(f"/api/imports/{job_a.pk}/commit/", {"mode": "valid_rows"})
    detail_a = api.get(f"/api/imports/{job_a.pk}/")
    if role in IMPORTERS:
        ids = {j["id"] for j in listing.json()["results"]}
        assert job_a.pk in ids
        assert (job_b.pk in ids) == (role == "admin")
        assert upload_a.status_code == 201
        assert commit_a.status_code == 200
        assert detail_a.status_code == 200
    elif role in OUTSIDERS:
        ids = {j["id"] for j in listing.json()["results"]}
        assert ids == {job_b.pk}
        assert upload_a.status_code == 400  # contract A does not exist for them
        assert "contract" in upload_a.json()["errors"]
        assert commit_a.status_code == 404
        assert detail_a.status_code == 404
    else:
        assert listing.status_code == 403
        assert upload_a.status_code == 403
        assert commit_a.status_code == 403
        assert detail_a.status_code == 403
    if role not in IMPORTERS:
        assert ImportJob.objects.count() == 2
        assert not SiteType.objects.filter(contract=world.a).exists()


def test_plt01_ast10_importer_permission_needed_too(world: World, importer: Any,
                                                    api: APIClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A purchaser holds imports.add_importjob, but not this importer's permission."""
    monkeypatch.setattr(type(importer), "permission", "spares.add_nothing")
    job = services.upload(world.a, KEY, upload("a.csv", csv_bytes(GOOD)), None)
    api.force_authenticate(world.users["purchaser"])
    assert post_file(api, world.a.pk, csv_bytes(GOOD), "n.csv").status_code == 403
    assert api.post(f"/api/imports/{job.pk}/commit/", {"mode": "valid_rows"}).status_code == 404
    assert api.get("/api/imports/").json()["results"] == []


def test_plt01_ast10_anonymous_refused(world: World, importer: Any, api: APIClient) -> None:
    assert api.get("/api/imports/").status_code in (401, 403)
    assert post_file(api, world.a.pk, csv_bytes(GOOD)).status_code in (401, 403)
    assert not ImportJob.objects.exists()


def test_ast10_api_filter_by_contract(world: World, importer: Any, api: APIClient) -> None:
    services.upload(world.a, KEY, upload("a.csv", csv_bytes(GOOD)), None)
    services.upload(world.b, KEY, upload("b.csv", csv_bytes(GOOD)), None)
    api.force_authenticate(world.users["admin"])
    rows = api.get(f"/api/imports/?contract={world.b.pk}").json()["results"]
    assert [r["original_name"] for r in rows] == ["b.csv"]
    assert api.get("/api/imports/?contract=x").status_code == 400
