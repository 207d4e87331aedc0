"""The deliverables API (RPT-01..07): the shared filters, a contract's month calendar with
its colours, each file's download, 400 for input it cannot read, a constant number of
queries per list and an OpenAPI schema without warnings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weibao.reports.choices import Cadence, ReportFormat, SubmissionStatus
from weibao.reports.tests.conftest import Setup, at, make_deliverable
from weibao.reports.tests.ui_helpers import World, add_file, client_for, make_submission, world_of

SUBMISSIONS = "/api/reports/submissions/"


@pytest.fixture
def world(outlets: Setup, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_of(outlets)


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_submissions_filter_by_deliverable_status_late_breach_and_due_month(world: World):
    """RPT-07: the list narrows by deliverable, status, late, breach and the month the
    submission falls due in, as the page's filters do."""
    october = make_submission(world, "2025-10", status=SubmissionStatus.SUBMITTED, late=True,
                              breach_recorded_at=at("2025-11-22 00:00"),
                              submitted_at=at("2025-11-23 10:00"))
    november = make_submission(world, "2025-11", status=SubmissionStatus.ACCEPTED)
    weekly = make_deliverable(world.contract, "ui-weekly", cadence=Cadence.WEEKLY,
                              due_weekday=2, name="周报")
    week = make_submission(world, "2025-10", deliverable=weekly,
                           due_at=at("2025-11-04 00:00"))
    client = client_for(world.people["manager"])
    assert _ids(client.get(SUBMISSIONS)) == {october.pk, november.pk, week.pk}
    assert _ids(client.get(SUBMISSIONS, {"deliverable": weekly.pk})) == {week.pk}
    assert _ids(client.get(SUBMISSIONS, {"status": ["submitted", "accepted"]})) == {
        october.pk, november.pk}
    assert _ids(client.get(SUBMISSIONS, {"late": "true"})) == {october.pk}
    assert _ids(client.get(SUBMISSIONS, {"breach": "true"})) == {october.pk}
    assert _ids(client.get(SUBMISSIONS, {"breach": "false"})) == {november.pk, week.pk}
    assert _ids(client.get(SUBMISSIONS, {"month": "2025-11"})) == {october.pk, week.pk}
    assert _ids(client.get(SUBMISSIONS, {"contract": world.contract.pk,
                                         "month": "2025-12"})) == {november.pk}


def test_a_submission_answers_its_files_history_and_state(world: World):
    """RPT-07: the detail lists each file revision with its download link, the history and
    the calendar colour; the list shows the deliverable's code and name."""
    submission = make_submission(world, due_at=timezone.now() - timezone.timedelta(days=1))
    pdf = add_file(submission, 1, ReportFormat.PDF)
    add_file(submission, 1, ReportFormat.DOCX, content=b"PK docx")
    client = client_for(world.people["manager"])
    body = client.get(f"{SUBMISSIONS}{submission.pk}/").json()
    assert body["deliverable"] == "ui-monthly"
    assert body["deliverable_name"] == "运维月报"
    assert body["calendar_state"] == "late"
    assert {f["format"] for f in body["files"]} == {"pdf", "docx"}
    link = next(f["download"] for f in body["files"] if f["id"] == pdf.pk)
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]
    missing = client.get(f"{SUBMISSIONS}{submission.pk}/files/999999/")
    assert missing.status_code == 404


def test_deliverables_say_their_due_rule_in_words(world: World):
    """RPT-01: a deliverable answers its cadence, sections and its due rule in words."""
    make_deliverable(world.contract, "ui-weekly", cadence=Cadence.WEEKLY, due_weekday=2,
                     due_exclusive=True, name="周报")
    client = client_for(world.people["purchaser"])
    rows = {row["code"]: row for row in
            client.get("/api/reports/deliverables/").json()["results"]}
    assert rows["ui-monthly"]["sections"] == ["tickets", "inspections"]
    assert "21" in rows["ui-monthly"]["due_rule"]
    assert "before Tuesday" in rows["ui-weekly"]["due_rule"]
    weekly = client.get("/api/reports/deliverables/", {"cadence": "weekly"}).json()
    codes = [row["code"] for row in weekly["results"]]
    assert "ui-weekly" in codes
    assert "ui-monthly" not in codes


def test_the_calendar_lists_the_months_submissions_with_their_colours(world: World):
    """RPT-01..06: the calendar gives each submission due in the month its day and colour:
    accepted, submitted, late (submitted after the due time, or overdue), due."""
    accepted = make_submission(world, "2025-10", status=SubmissionStatus.ACCEPTED)
    weekly = make_deliverable(world.contract, "ui-weekly", cadence=Cadence.WEEKLY,
                              due_weekday=2, name="周报")
    overdue = make_submission(world, "2025-10", deliverable=weekly,
                              due_at=at("2025-11-04 00:00"))
    make_submission(world, "2025-11")  # due in December: not in November's calendar
    client = client_for(world.people["supervisor"])
    answer = client.get("/api/reports/calendar/",
                        {"contract": world.contract.number, "month": "2025-11"})
    assert answer.status_code == 200
    items = {item["submission"]["id"]: item for item in answer.json()}
    assert set(items) == {accepted.pk, overdue.pk}
    assert items[accepted.pk]["date"] == "2025-11-21"
    assert items[accepted.pk]["submission"]["calendar_state"] == "accepted"
    assert items[overdue.pk]["submission"]["calendar_state"] == "late"


@pytest.mark.parametrize("params, field", [
    ({"contract": "x", "month": "2025-13"}, "month"),
    ({"contract": "x"}, "month"),
    ({"month": "2025-10"}, "contract"),
])
def test_calendar_input_it_cannot_read_is_a_400_naming_the_field(world: World,
                                                                 params: dict[str, str],
                                                                 field: str):
    """A calendar request without a contract or with a month not written YYYY-MM answers 400
    naming the field; an unknown contract is a 404."""
    client = client_for(world.people["manager"])
    response = client.get("/api/reports/calendar/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    unknown = client.get("/api/reports/calendar/", {"contract": "nope", "month": "2025-10"})
    assert unknown.status_code == 404


def test_a_bad_filter_is_a_400(world: World):
    """A due month the API cannot read answers 400 with the expected format."""
    response = client_for(world.people["manager"]).get(SUBMISSIONS, {"month": "10/2025"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.json()["errors"]["month"][0]


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_run_a_constant_number_of_queries(world: World):
    """No N+1: the submission and deliverable lists cost the same for 2 rows as for 8."""
    client = client_for(world.people["manager"])
    months = iter(f"2024-{n:02d}" for n in range(1, 13))
    for _ in range(2):
        submission = make_submission(world, next(months),
                                     submitted_by=world.people["manager"])
        add_file(submission)
    make_deliverable(world.contract, "extra-0")
    urls = [SUBMISSIONS, "/api/reports/deliverables/"]
    before = {url: _count(client, url) for url in urls}
    for index in range(6):
        make_submission(world, next(months), submitted_by=world.people["manager"],
                        reviewed_by=world.people["purchaser"])
        make_deliverable(world.contract, f"extra-{index + 1}")
    after = {url: _count(client, url) for url in urls}
    assert after == before


def test_openapi_schema_has_the_endpoints_and_no_warnings_for_them(db):
    """The deliverables endpoints are in the OpenAPI schema, generated without a warning or
    an error from any of their views or serializers."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [message for message in [*GENERATOR_STATS._warn_cache,
                                    *GENERATOR_STATS._error_cache]
            if "reports" in message.lower() or "Submission" in message
            or 'fields named "status"' in message or "calendar_state" in message]
    assert ours == []
    for path in ["/api/reports/submissions/", "/api/reports/submissions/{id}/",
                 "/api/reports/submissions/{id}/files/{file_pk}/", "/api/reports/jobs/{id}/",
                 "/api/reports/deliverables/", "/api/reports/calendar/"]:
        assert path in schema["paths"], path


# --- errors of the workflow's steps ------------------------------------------------------------

def _post(world: World, role: str, submission: Any, step: str, data: dict[str, Any]) -> Any:
    return client_for(world.people[role]).post(f"{SUBMISSIONS}{submission.pk}/{step}/", data,
                                               format="json")


def test_generate_answers_the_queued_job(world: World):
    """RPT-07: asking for a draft answers 202 with the queued job; asking again while it is
    queued answers the same job; its progress is readable at /api/reports/jobs/{id}/."""
    submission = make_submission(world)
    first = _post(world, "manager", submission, "generate", {})
    assert first.status_code == 202, first.json()
    assert first.json()["status"] == "queued"
    again = _post(world, "manager", submission, "generate", {})
    assert again.json()["id"] == first.json()["id"]
    job = client_for(world.people["purchaser"]).get(f"/api/reports/jobs/{first.json()['id']}/")
    assert job.json()["progress"] == 0


def test_returning_without_a_comment_is_a_400(world: World):
    """RPT-03: a return must say what must change: without a comment it is a 400 naming the
    field, and the report stays submitted."""
    submission = make_submission(world, status=SubmissionStatus.SUBMITTED)
    response = _post(world, "purchaser", submission, "return", {"comment": ""})
    assert response.status_code == 400
    assert "comment" in response.json()["errors"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_step_the_state_does_not_allow_or_a_stale_version_is_a_409(world: World):
    """RPT-07: accepting a draft, submitting an accepted report or acting on a version
    someone else changed answers 409 with the current version."""
    draft = make_submission(world, "2025-09", status=SubmissionStatus.DRAFT)
    add_file(draft)
    refused = _post(world, "purchaser", draft, "accept", {})
    assert refused.status_code == 409
    assert refused.json()["version"] == 1
    stale = _post(world, "manager", draft, "submit", {"version": 7})
    assert stale.status_code == 409
    assert stale.json()["version"] == 1
    accepted = make_submission(world, "2025-10", status=SubmissionStatus.ACCEPTED)
    assert _post(world, "manager", accepted, "submit", {}).status_code == 409
    assert _post(world, "manager", accepted, "generate", {}).status_code == 409


def test_submitting_another_reports_file_is_a_400(world: World):
    """A ``file`` that is not one of the report's files answers 400 naming it."""
    mine = make_submission(world, "2025-09", status=SubmissionStatus.DRAFT)
    other = make_submission(world, "2025-10", status=SubmissionStatus.DRAFT)
    foreign = add_file(other)
    response = _post(world, "manager", mine, "submit", {"file": foreign.pk})
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_attaching_a_file_that_is_not_a_report_is_a_400(world: World):
    """RPT-07: the final file must be Word, Excel, PDF or ZIP: a text file is a 400."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission = make_submission(world)
    response = client_for(world.people["manager"]).post(
        f"{SUBMISSIONS}{submission.pk}/attach/",
        {"upload": SimpleUploadedFile("notes.txt", b"hello")}, format="multipart")
    assert response.status_code == 400
    assert "upload" in response.json()["errors"]
