"""The deliverables API's permission matrix (PLT-01, RPT-07): anonymous callers are
refused, another organisation's people find nothing (404), the contract's parties read
submissions, only the vendor's manager generates, attaches and submits, only the purchaser
accepts or returns, and engineers and the supervisor only read."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.reports.models import Deliverable, Submission
from weibao.reports.tests.conftest import Setup
from weibao.reports.tests.ui_helpers import World, add_file, client_for, make_submission, world_of

SUBMISSIONS = "/api/reports/submissions/"
ROLES = ["manager", "engineer", "purchaser", "supervisor", "outsider"]


@pytest.fixture
def world(outlets: Setup, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_of(outlets)


def as_role(world: World, role: str) -> Any:
    return client_for(world.people[role] if role != "anonymous" else None)


@pytest.fixture
def submission(world: World) -> Submission:
    found = make_submission(world)
    add_file(found)
    return found


def test_anonymous_callers_are_refused(world: World, submission: Submission):
    """PLT-01: without a login no deliverables endpoint answers anything but 401/403."""
    client = client_for(None)
    for url in ("/api/reports/deliverables/", SUBMISSIONS, f"{SUBMISSIONS}{submission.pk}/",
                f"/api/reports/calendar/?contract={world.contract.number}&month=2025-11"):
        assert client.get(url).status_code in (401, 403), url


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_what(world: World, submission: Submission, role: str):
    """PLT-01, RPT-07: the contract's parties see its deliverables, submissions and files;
    an outsider sees none, and the contract's submission is a 404 to them."""
    client = as_role(world, role)
    inside = role != "outsider"
    owed = Deliverable.objects.filter(contract=world.contract).count()
    assert client.get("/api/reports/deliverables/").json()["count"] == (owed if inside else 0)
    assert client.get(SUBMISSIONS).json()["count"] == (1 if inside else 0)
    detail = client.get(f"{SUBMISSIONS}{submission.pk}/")
    assert detail.status_code == (200 if inside else 404)
    file_pk = submission.files.get().pk
    download = client.get(f"{SUBMISSIONS}{submission.pk}/files/{file_pk}/")
    assert download.status_code == (200 if inside else 404)
    calendar = client.get("/api/reports/calendar/",
                          {"contract": world.contract.number, "month": "2025-11"})
    assert calendar.status_code == (200 if inside else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_history_and_jobs_are_for_managers_purchasers_and_supervisors(
        world: World, submission: Submission, role: str):
    """RPT-07: the engineer reads submissions and files but not the review history or the
    generation jobs (the role's permissions); the others read both."""
    submission.events.create(action="remind", occurred_at=submission.due_at)
    job = submission.jobs.create(requested_by=world.people["manager"])
    client = as_role(world, role)
    if role == "outsider":
        assert client.get(f"/api/reports/jobs/{job.pk}/").status_code == 404
        return
    body = client.get(f"{SUBMISSIONS}{submission.pk}/").json()
    sees = role != "engineer"
    assert len(body["events"]) == (1 if sees else 0)
    assert len(body["jobs"]) == (1 if sees else 0)
    assert client.get(f"/api/reports/jobs/{job.pk}/").status_code == (200 if sees else 403)


# --- the workflow's steps ----------------------------------------------------------------------

def _post(world: World, role: str, submission: Submission, step: str,
          data: dict[str, Any] | None = None) -> Any:
    return as_role(world, role).post(f"{SUBMISSIONS}{submission.pk}/{step}/", data or {},
                                     format="json")


@pytest.mark.parametrize("role", ["engineer", "purchaser", "supervisor"])
def test_only_the_vendors_manager_generates_attaches_and_submits(world: World, role: str):
    """RPT-07: generating, attaching and submitting are the vendor manager's; the engineer,
    the purchaser and the supervisor are refused (403) and nothing changes."""
    submission = make_submission(world, status="draft")
    add_file(submission)
    for step in ("generate", "submit"):
        assert _post(world, role, submission, step).status_code == 403, step
    upload = as_role(world, role).post(f"{SUBMISSIONS}{submission.pk}/attach/",
                                       {"upload": _pdf()}, format="multipart")
    assert upload.status_code == 403
    submission.refresh_from_db()
    assert submission.status == "draft"
    assert submission.jobs.count() == 0


@pytest.mark.parametrize("role", ["manager", "engineer", "supervisor"])
def test_only_the_purchaser_accepts_or_returns(world: World, role: str):
    """RPT-03: a submitted report is accepted or returned by the purchaser only; the
    vendor's people and the supervisor are refused (403)."""
    submission = make_submission(world, status="submitted")
    assert _post(world, role, submission, "accept").status_code == 403
    assert _post(world, role, submission, "return",
                 {"comment": "补充数据"}).status_code == 403
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_an_outsider_finds_no_submission_to_act_on(world: World):
    """PLT-01: another organisation's vendor manager gets a 404 for the steps of their role
    (the report does not exist for them) and a 403 for the purchaser's."""
    submission = make_submission(world, status="draft")
    for step in ("generate", "submit"):
        assert _post(world, "outsider", submission, step).status_code == 404, step
    for step in ("accept", "return"):
        assert _post(world, "outsider", submission, step).status_code == 403, step


def test_the_manager_submits_and_the_purchaser_accepts(world: World):
    """RPT-03, RPT-07: the manager attaches the final file and submits; the purchaser
    returns it with comments; the manager submits again and the purchaser accepts."""
    submission = make_submission(world)
    attached = as_role(world, "manager").post(f"{SUBMISSIONS}{submission.pk}/attach/",
                                              {"upload": _pdf(), "version": 1},
                                              format="multipart")
    assert attached.status_code == 201, attached.json()
    assert attached.json()["status"] == "draft"
    assert [f["is_final"] for f in attached.json()["files"]] == [True]
    submitted = _post(world, "manager", submission, "submit",
                      {"version": attached.json()["version"]})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["submitted_by"] == world.people["manager"].username
    returned = _post(world, "purchaser", submission, "return", {"comment": "补充工单统计"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "补充工单统计"
    assert _post(world, "manager", submission, "submit").json()["status"] == "submitted"
    accepted = _post(world, "purchaser", submission, "accept", {"comment": "同意"})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert [e["action"] for e in accepted.json()["events"]] == [
        "upload", "submit", "return", "submit", "accept"]


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("月报.pdf", b"%PDF-1.4 final", content_type="application/pdf")
