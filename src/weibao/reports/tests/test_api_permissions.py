"""The deliverables API's permission matrix (PLT-01, RPT-07): anonymous callers are
refused, another organisation's people find nothing (404), the contract's parties read
submissions, only the vendor's manager generates, attaches and submits, only the purchaser
accepts or returns, and engineers and the supervisor only read."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.reports.models import Submission
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
    assert client.get("/api/reports/deliverables/").json()["count"] == (1 if inside else 0)
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
