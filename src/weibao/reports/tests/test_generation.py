"""Generating a report's draft in the background (RPT-07): who may ask, the job's progress,
the three files as a new revision with the data snapshot and digests, the submission
becoming a draft, and a failure leaving a readable error and no files."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from weibao.core.crypto import digest
from weibao.reports import render
from weibao.reports.choices import (
    FileOrigin,
    JobStatus,
    SubmissionAction,
    SubmissionStatus,
)
from weibao.reports.models import GenerationJob, ReportTemplate, Submission
from weibao.reports.services import generation
from weibao.reports.services.errors import SubmissionConflict
from weibao.reports.tests.conftest import Setup, at, make_deliverable
from weibao.reports.tests.test_render import SAMPLE, SECTIONS


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def sample_data(monkeypatch: pytest.MonkeyPatch) -> list[Submission]:
    """collect() replaced by the fixed sample: these tests are about generation, not the
    figures (test_collect checks those)."""
    asked: list[Submission] = []

    def collect_data(submission: Submission) -> dict[str, Any]:
        asked.append(submission)
        return SAMPLE

    monkeypatch.setattr(generation, "collect_data", collect_data)
    return asked


@pytest.fixture
def quick_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDF rendering stubbed (WeasyPrint is slow); test_render and the @pdf test render it."""
    monkeypatch.setattr(render, "render_pdf", lambda submission, data: b"%PDF-1.7 stub")


def new_submission(setup: Setup, **extra: Any) -> Submission:
    extra.setdefault("sections", SECTIONS)
    deliverable = make_deliverable(setup.contract, "monthly-gen", name="运维月报", **extra)
    return Submission.objects.create(
        contract=setup.contract, deliverable=deliverable, key="2025-10",
        period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2025, 10, 31),
        due_at=at("2025-11-21 23:59"))


def generate(setup: Setup, submission: Submission, capture: Any) -> GenerationJob:
    with capture(execute=True):
        job = generation.request_generation(submission, setup.people["manager"])
    job.refresh_from_db()
    return job


@pytest.mark.pdf
@pytest.mark.usefixtures("media", "sample_data")
def test_rpt07_generation_writes_three_files_with_snapshot_and_digest(
        outlets: Setup, django_capture_on_commit_callbacks: Any):
    """RPT-07: asked by the vendor's manager, the job runs once the request commits: Word,
    Excel and PDF as revision 1, each with the data it was made from and the digest of its
    bytes; the submission is a draft and its history says it was generated."""
    submission = new_submission(outlets)
    job = generate(outlets, submission, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.error) == (JobStatus.DONE, 100, "")
    assert job.started_at is not None and job.finished_at is not None
    files = {f.format: f for f in submission.files.all()}
    assert set(files) == {"docx", "xlsx", "pdf"}
    for report in files.values():
        assert (report.revision, report.origin, report.is_final) == (
            1, FileOrigin.GENERATED, False)
        assert report.snapshot == SAMPLE
        assert report.digest == digest(report.file.read())
        assert report.created_by == outlets.people["manager"]
    assert files["pdf"].file.open("rb").read(5) == b"%PDF-"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    event = submission.events.get()
    assert (event.action, event.data) == (SubmissionAction.GENERATE,
                                          {"revision": 1, "job": job.pk})


@pytest.mark.usefixtures("media", "sample_data", "quick_pdf")
def test_rpt07_progress_steps(outlets: Setup, django_capture_on_commit_callbacks: Any,
                              monkeypatch: pytest.MonkeyPatch):
    """RPT-07: the job reports its progress as it goes (the page shows it): collected 30 %,
    Word 50 %, Excel 70 %, PDF 95 %, saved 100 %, each saved so another request sees it."""
    seen: list[tuple[int, str, str]] = []
    original = generation._progress

    def spy(job: GenerationJob, step: str, **extra: Any) -> None:
        original(job, step, **extra)
        stored = GenerationJob.objects.get(pk=job.pk)
        seen.append((stored.progress, stored.step, stored.status))

    monkeypatch.setattr(generation, "_progress", spy)
    generate(outlets, new_submission(outlets), django_capture_on_commit_callbacks)
    assert [(p, s) for p, s, _ in seen] == [
        (30, "data collected"), (50, "Word document written"), (70, "Excel workbook written"),
        (95, "PDF written"), (100, "files saved")]
    assert [status for *_, status in seen] == [JobStatus.RUNNING] * 4 + [JobStatus.DONE]


@pytest.mark.usefixtures("media", "sample_data", "quick_pdf")
def test_rpt07_generating_again_adds_a_revision(outlets: Setup,
                                                django_capture_on_commit_callbacks: Any):
    """RPT-07: files are kept, never replaced: a second generation is revision 2 beside
    revision 1; a returned report may be generated again."""
    submission = new_submission(outlets)
    generate(outlets, submission, django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RETURNED)
    generate(outlets, submission, django_capture_on_commit_callbacks)
    revisions = sorted(submission.files.values_list("revision", "format"))
    assert revisions == [(1, "docx"), (1, "pdf"), (1, "xlsx"), (2, "docx"), (2, "pdf"),
                         (2, "xlsx")]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED


@pytest.mark.usefixtures("media", "sample_data")
def test_rpt07_a_broken_template_fails_the_job_with_its_name_and_no_files(
        outlets: Setup, media: Path, django_capture_on_commit_callbacks: Any):
    """RPT-07: when the deliverable's Word template is broken the job fails with an error
    naming the template; no file is kept and the submission is unchanged."""
    template = ReportTemplate(contract=outlets.contract, code="bad-format", name="坏模板")
    template.file.save("bad.docx", ContentFile(b"not a docx"), save=True)
    submission = new_submission(outlets, template=template)
    job = generate(outlets, submission, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "bad-format" in job.error and "坏模板" in job.error
    assert job.finished_at is not None
    assert not submission.files.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert not submission.events.exists()


@pytest.mark.usefixtures("sample_data", "quick_pdf")
def test_rpt07_a_failure_late_in_the_job_leaves_no_files(
        outlets: Setup, media: Path, django_capture_on_commit_callbacks: Any,
        monkeypatch: pytest.MonkeyPatch):
    """RPT-07: a failure after the Word and Excel files were rendered (here: saving the PDF)
    leaves no file in storage nor in the database; the error is readable."""
    submission = new_submission(outlets)
    original = generation.ReportFile.save

    def fail_on_pdf(self: Any, *args: Any, **kwargs: Any) -> None:
        if self.format == "pdf":
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)

    monkeypatch.setattr(generation.ReportFile, "save", fail_on_pdf)
    job = generate(outlets, submission, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert "could not be generated" in job.error and "RuntimeError" in job.error
    assert not submission.files.exists()
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert stored == []


@pytest.mark.parametrize(("person", "allowed"), [
    ("manager", True), ("engineer", False), ("purchaser", False), ("outsider", False)])
@pytest.mark.usefixtures("media", "sample_data", "quick_pdf")
def test_rpt07_who_may_generate(outlets: Setup, person: str, allowed: bool):
    """RPT-07: the vendor's manager of the contract generates; an engineer, the purchaser
    and another vendor's manager may not."""
    submission = new_submission(outlets)
    if allowed:
        assert generation.request_generation(submission, outlets.people[person]).status == \
            JobStatus.QUEUED
        return
    with pytest.raises(PermissionDenied):
        generation.request_generation(submission, outlets.people[person])
    assert not GenerationJob.objects.exists()


@pytest.mark.usefixtures("media", "sample_data", "quick_pdf")
def test_rpt07_one_job_at_a_time_and_none_after_submission(outlets: Setup):
    """RPT-07: asking again while a job is queued returns that job; a submitted or accepted
    report is not generated again."""
    submission = new_submission(outlets)
    first = generation.request_generation(submission, outlets.people["manager"])
    assert generation.request_generation(submission, outlets.people["manager"]) == first
    for status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        Submission.objects.filter(pk=submission.pk).update(status=status)
        with pytest.raises(SubmissionConflict):
            generation.request_generation(submission, outlets.people["manager"])


@pytest.mark.usefixtures("media", "sample_data", "quick_pdf")
def test_rpt07_a_job_runs_once(outlets: Setup, sample_data: list[Submission]):
    """RPT-07: a job already run (a retried task) is not run again."""
    submission = new_submission(outlets)
    job = generation.request_generation(submission, outlets.people["manager"])
    assert generation.run_generation(job.pk).status == JobStatus.DONE
    assert generation.run_generation(job.pk).status == JobStatus.DONE
    assert len(sample_data) == 1
    assert submission.files.count() == 3


@pytest.mark.pdf
@pytest.mark.usefixtures("media")
def test_rpt07_generation_from_recorded_data(ca: Setup, django_capture_on_commit_callbacks: Any):
    """RPT-07: with the real collection (no sample), a report of every section of seed 002's
    contract is generated; the snapshot is what collect() gives for the period, and each
    section has its heading in the Word document."""
    import io

    from docx import Document

    from weibao.reports.collect import collect
    from weibao.reports.tests.test_render import zh

    submission = new_submission(ca, sections=[])
    job = generate(ca, submission, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    files = {f.format: f for f in submission.files.all()}
    expected = collect(ca.contract, submission.period_start, submission.period_end, [])
    assert files["docx"].snapshot["contract"] == expected["contract"]
    assert set(files["docx"].snapshot) == set(expected)
    document = Document(io.BytesIO(files["docx"].file.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert f"1. {zh('Tickets')}" in headings and f"9. {zh('Product versions')}" in headings
