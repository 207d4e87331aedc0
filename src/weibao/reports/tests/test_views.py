"""The deliverables pages (RPT-01..07): the submission list with the shared filters, the
month calendar coloured by status, the obligations with their due rule in words, the
submission page with its deadline, files, preview charts, history and job progress, and the
scope of each (another contract's submission is a 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from weibao.core.models import User
from weibao.reports.choices import JobStatus, ReportFormat, SubmissionStatus
from weibao.reports.models import GenerationJob
from weibao.reports.tests.conftest import Setup, at
from weibao.reports.tests.ui_helpers import World, add_file, make_submission, world_of
from weibao.reports.views.common import deadline_text
from weibao.reports.views.pages import charts_of


@pytest.fixture
def world(outlets: Setup, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return world_of(outlets)


def browser(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_pages_need_a_login_and_scope_submissions_to_the_contract(world: World):
    """PLT-01: anonymous visitors are sent to the login page; an outsider gets a 404 for the
    contract's submission and an empty list."""
    submission = make_submission(world)
    url = f"/reports/submissions/{submission.pk}/"
    assert browser(None).get(url).status_code == 302
    outsider = browser(world.people["outsider"])
    assert outsider.get(url).status_code == 404
    listing = outsider.get("/reports/")
    assert listing.status_code == 200
    assert f'data-submission="{submission.pk}"' not in listing.content.decode()


@pytest.mark.parametrize("role", ["manager", "engineer", "purchaser", "supervisor"])
def test_the_parties_read_the_list_calendar_obligations_and_submission(world: World,
                                                                       role: str):
    """RPT-07: each party of the contract reads the submissions, the calendar, the
    obligations and a submission's page."""
    submission = make_submission(world, status=SubmissionStatus.SUBMITTED,
                                 submitted_at=at("2025-11-20 10:00"))
    client = browser(world.people[role])
    listing = client.get("/reports/")
    assert f'data-submission="{submission.pk}"' in listing.content.decode()
    calendar = client.get("/reports/calendar/", {"contract": world.contract.pk,
                                                 "month": "2025-11"})
    page = calendar.content.decode()
    assert f'data-submission="{submission.pk}"' in page
    assert 'data-state="submitted"' in page
    obligations = client.get("/reports/deliverables/").content.decode()
    assert 'data-deliverable="ui-monthly"' in obligations
    assert "by day 21 of the next month" in obligations
    detail = client.get(f"/reports/submissions/{submission.pk}/")
    assert detail.status_code == 200
    assert "2025-10-01 – 2025-10-31" in detail.content.decode()


def test_the_list_filters_by_status_and_due_month(world: World):
    """RPT-07: the page's filters are the API's: status and due month."""
    october = make_submission(world, "2025-10", status=SubmissionStatus.ACCEPTED)
    november = make_submission(world, "2025-11")
    client = browser(world.people["manager"])
    page = client.get("/reports/", {"status": "accepted"}).content.decode()
    assert f'data-submission="{october.pk}"' in page
    assert f'data-submission="{november.pk}"' not in page
    page = client.get("/reports/", {"month": "2025-12"}).content.decode()
    assert f'data-submission="{november.pk}"' in page
    assert f'data-submission="{october.pk}"' not in page


def test_the_deadline_in_words_counts_working_days(world: World):
    """RPT-01: a submission still owed says how many working days are left (the weekend does
    not count), "due today" on its day, and how late it is after the due time."""
    submission = make_submission(world, due_at=at("2025-11-21 23:59"))  # a Friday
    assert deadline_text(submission, at("2025-11-17 09:00")) == "due in 4 working days"
    assert deadline_text(submission, at("2025-11-15 09:00")) == "due in 5 working days"
    assert deadline_text(submission, at("2025-11-21 09:00")) == "due today"
    assert deadline_text(submission, at("2025-11-23 23:59")).startswith("late by 2")
    submission.status = SubmissionStatus.ACCEPTED
    assert deadline_text(submission, at("2025-11-23 23:59")) == ""


def test_the_submission_page_shows_files_preview_charts_and_history(world: World):
    """RPT-07: each revision's Word, Excel and PDF files are offered for download; the PDF is
    embedded as the preview, the snapshot's counts become ECharts charts (vendored script,
    data as JSON, no inline script); the history lists the events."""
    submission = make_submission(world, status=SubmissionStatus.DRAFT)
    snapshot = {"tickets": {"by_level": {"一级": 3, "二级": 5}, "total": 8}}
    pdf = add_file(submission, 1, ReportFormat.PDF, snapshot=snapshot)
    add_file(submission, 1, ReportFormat.DOCX, content=b"PK")
    add_file(submission, 1, ReportFormat.XLSX, content=b"PK")
    submission.events.create(action="generate", actor=world.people["manager"],
                             occurred_at=at("2025-11-03 09:00"))
    page = browser(world.people["manager"]).get(
        f"/reports/submissions/{submission.pk}/").content.decode()
    for fmt in ("docx", "xlsx", "pdf"):
        assert f'data-testid="download-{fmt}"' in page
    assert f"/reports/submissions/{submission.pk}/files/{pdf.pk}/?inline=1" in page
    assert 'data-echarts="report-chart-1"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "weibao/reports.js" in page
    assert 'data-action="generate"' in page
    inline = browser(world.people["manager"]).get(
        f"/reports/submissions/{submission.pk}/files/{pdf.pk}/?inline=1")
    assert inline.status_code == 200
    assert "inline" in inline["Content-Disposition"]
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = browser(world.people["engineer"]).get(
        f"/reports/submissions/{submission.pk}/files/{pdf.pk}/")
    assert "attachment" in download["Content-Disposition"]


def test_the_engineer_sees_no_history(world: World):
    """RPT-07: the vendor's engineers read submissions and files, not the review history."""
    submission = make_submission(world)
    submission.events.create(action="remind", occurred_at=at("2025-11-19 09:00"))
    page = browser(world.people["engineer"]).get(
        f"/reports/submissions/{submission.pk}/").content.decode()
    assert 'data-testid="history"' not in page


def test_the_job_fragment_polls_while_running_and_refreshes_when_done(world: World):
    """RPT-07: a running generation's progress bar polls itself every second; the poll that
    finds it done asks the page to refresh (htmx)."""
    submission = make_submission(world)
    job = GenerationJob.objects.create(submission=submission, status=JobStatus.RUNNING,
                                       progress=40, step="collect")
    client = browser(world.people["manager"])
    url = f"/reports/submissions/{submission.pk}/jobs/{job.pk}/?poll=1"
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "40%" in running.content.decode()
    assert "HX-Refresh" not in running
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100,
                                                   finished_at=timezone.now())
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert "every 1s" not in done.content.decode()
    assert done["HX-Refresh"] == "true"
    assert browser(world.people["engineer"]).get(url).status_code == 403
    assert browser(world.people["outsider"]).get(url).status_code == 404


def test_charts_come_from_the_numbers_of_the_snapshot() -> None:
    """RPT-07: every mapping of names to numbers in a section (one or two levels down)
    becomes a chart; text, lists and lone numbers do not."""
    snapshot: dict[str, Any] = {
        "tickets": {"by_level": {"一级": 1, "二级": 2}, "total": 3, "rows": [1, 2],
                    "by_site": {"S1": {"open": 1, "closed": 2}}},
        "sla": "n/a",
    }
    charts = charts_of(snapshot)
    assert [chart["labels"] for chart in charts] == [["一级", "二级"], ["open", "closed"]]
    assert charts[0]["values"] == [1, 2]
    assert charts_of(None) == []


# --- the workflow's forms ----------------------------------------------------------------------

def test_the_manager_generates_attaches_and_submits_on_the_page(world: World):
    """RPT-07: the manager's page offers generate, attach and submit; generating queues a job
    whose progress bar polls; the attached file is the one submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission = make_submission(world)
    client = browser(world.people["manager"])
    url = f"/reports/submissions/{submission.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="generate"' in page
    assert 'data-testid="submit"' not in page  # nothing to submit yet
    generated = client.post(f"{url}generate/", follow=True)
    assert 'hx-trigger="every 1s"' in generated.content.decode()
    attached = client.post(f"{url}attach/", {
        "upload": SimpleUploadedFile("final.pdf", b"%PDF-1.4 final"), "version": 1})
    assert attached.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="submit"' in page
    submitted = client.post(f"{url}submit/", {"comment": "请审阅"})
    assert submitted.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert 'data-testid="submit"' not in client.get(url).content.decode()


def test_the_purchaser_returns_with_comments_and_accepts(world: World):
    """RPT-03: the purchaser's page offers accept and return; returning needs a comment
    (the form shows the error, 400), and the comment is shown on the page."""
    submission = make_submission(world, status=SubmissionStatus.SUBMITTED)
    client = browser(world.people["purchaser"])
    url = f"/reports/submissions/{submission.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="accept"' in page and 'data-testid="return"' in page
    assert 'data-testid="generate"' not in page
    empty = client.post(f"{url}return/", {"comment": ""})
    assert empty.status_code == 400
    returned = client.post(f"{url}return/", {"comment": "请补充巡检统计"}, follow=True)
    assert "请补充巡检统计" in returned.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED


def test_a_stale_form_is_a_409_page_and_other_roles_are_refused(world: World):
    """RPT-07: a form read before someone else acted is refused with 409 and the reason;
    the engineer and the supervisor may not post any step (403)."""
    submission = make_submission(world, status=SubmissionStatus.SUBMITTED)
    url = f"/reports/submissions/{submission.pk}/"
    stale = browser(world.people["purchaser"]).post(f"{url}accept/", {"version": 9})
    assert stale.status_code == 409
    for role in ("engineer", "supervisor"):
        client = browser(world.people[role])
        for step in ("generate", "attach", "submit", "accept", "return"):
            assert client.post(f"{url}{step}/", {}).status_code == 403, (role, step)
    assert browser(world.people["outsider"]).post(f"{url}submit/", {}).status_code == 404


def test_the_list_and_calendar_pages_run_a_constant_number_of_queries(world: World):
    """No N+1: the submission list and the month calendar cost the same for 2 submissions
    as for 8."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weibao.reports.tests.conftest import make_deliverable

    client = browser(world.people["purchaser"])
    urls = ["/reports/", f"/reports/calendar/?contract={world.contract.pk}&month=2025-11",
            "/reports/deliverables/"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    for index in range(2):
        make_submission(world, "2025-10", deliverable=make_deliverable(
            world.contract, f"few-{index}"))
    before = counts()
    for index in range(6):
        make_submission(world, "2025-10", deliverable=make_deliverable(
            world.contract, f"many-{index}"))
    assert counts() == before
