"""Generating a submission's draft in the background (RPT-07): the vendor asks, a job is
queued, the worker collects the period's data and renders Word, Excel and PDF; the page
follows the job's progress.

:func:`request_generation` writes the queued job and hands it to huey once the transaction
commits (the task is :func:`weibao.reports.jobs.generate_report`). :func:`run_generation`
does the work: each step saves the job's progress in its own short transaction (so the page
sees it), and the files are written in one final transaction — a new revision of the three
formats with the data snapshot they were made from and their digests — so a failure leaves
the job failed with a readable error and no files.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.core.crypto import digest
from weibao.core.errors import ServiceError
from weibao.reports import render
from weibao.reports.choices import (
    FileOrigin,
    JobStatus,
    ReportFormat,
    SubmissionAction,
    SubmissionStatus,
)
from weibao.reports.models import GenerationJob, ReportFile, Submission, SubmissionEvent
from weibao.reports.services.errors import SubmissionConflict
from weibao.utils.files import remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["GENERATED_FORMATS", "STEPS", "collect_data", "next_revision", "request_generation",
           "run_generation"]

#: The formats a generation writes, in this order, each with its renderer in
#: :mod:`weibao.reports.render`.
GENERATED_FORMATS: tuple[tuple[str, str], ...] = (
    (ReportFormat.DOCX, "render_docx"),
    (ReportFormat.XLSX, "render_xlsx"),
    (ReportFormat.PDF, "render_pdf"),
)
#: Progress (%) once each step is done, and the step's name (translated when shown).
STEPS = {"collect": (30, gettext_noop("data collected")),
         ReportFormat.DOCX: (50, gettext_noop("Word document written")),
         ReportFormat.XLSX: (70, gettext_noop("Excel workbook written")),
         ReportFormat.PDF: (95, gettext_noop("PDF written")),
         "done": (100, gettext_noop("files saved"))}
#: A generation may be asked for until the submission is handed in.
GENERATABLE = (SubmissionStatus.PENDING, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def collect_data(submission: Submission) -> dict[str, Any]:
    """The period's figures from recorded data, JSON-clean (the snapshot kept with the files)."""
    from weibao.reports.collect import collect

    data = collect(submission.contract, submission.period_start, submission.period_end,
                   list(submission.deliverable.sections or []))
    return dict(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def next_revision(submission: Submission) -> int:
    latest = submission.files.aggregate(n=Max("revision"))["n"]
    return (latest or 0) + 1


def _enqueue(job_id: int) -> None:
    from weibao.reports.jobs import generate_report

    generate_report(job_id)


@transaction.atomic
def request_generation(submission: Submission, actor: User) -> GenerationJob:
    """Queue a generation of ``submission``'s draft; the worker starts once this commits.
    One job at a time: while one is queued or running, that one is returned."""
    if not actor.has_perm("reports.add_generationjob", submission):
        raise PermissionDenied(_("Your role may not generate reports of this contract."))
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in GENERATABLE:
        raise SubmissionConflict(
            _("The report is %(status)s; a new draft is generated only before it is submitted "
              "or after it was returned.") % {"status": SubmissionStatus(locked.status).label},
            version=locked.version)
    running = locked.jobs.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).first()
    if running is not None:
        return running
    job = GenerationJob.objects.create(submission=locked, requested_by=actor,
                                       step=gettext_noop("queued"))
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _progress(job: GenerationJob, step: str, **extra: Any) -> None:
    job.progress, job.step = STEPS[step]
    for name, value in extra.items():
        setattr(job, name, value)
    job.save(update_fields=["progress", "step", *extra])


def _fail(job: GenerationJob, error: str) -> None:
    job.status, job.error, job.finished_at = JobStatus.FAILED, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def _message(error: Exception) -> str:
    if isinstance(error, ServiceError):
        return " ".join(str(m) for m in error.messages)
    return _("The report could not be generated (%(error)s). Try again; if it fails again, "
             "tell the administrator.") % {"error": type(error).__name__}


def run_generation(job_id: int) -> GenerationJob:
    """Do a queued job: collect, render the three formats, save them as the next revision
    and make the submission a draft. Never raises for a failure of the report itself: the
    job is failed with the reason."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job
        job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 0
        job.step = gettext_noop("collecting data")
        job.save(update_fields=["status", "started_at", "progress", "step"])
    submission = (Submission.objects.select_related("deliverable__template", "contract")
                  .get(pk=job.submission_id))
    try:
        data = collect_data(submission)
        _progress(job, "collect")
        contents: dict[str, bytes] = {}
        for kind, name in GENERATED_FORMATS:
            renderer: Callable[[Submission, dict[str, Any]], bytes] = getattr(render, name)
            contents[kind] = renderer(submission, data)
            _progress(job, kind)
        _save(job, submission, data, contents)
    except Exception as error:
        _fail(job, _message(error))
        if not isinstance(error, ServiceError):
            logging.getLogger(__name__).exception("report generation %s failed", job_id)
    job.refresh_from_db()
    return job


def _save(job: GenerationJob, submission: Submission, data: dict[str, Any],
          contents: dict[str, bytes]) -> None:
    now = timezone.now()
    with remove_files_on_error(), transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        revision = next_revision(locked)
        stem = f"{locked.deliverable.code}-{locked.key.replace(':', '-')}-r{revision}"
        for kind, content in contents.items():
            report = ReportFile(submission=locked, revision=revision,
                                origin=FileOrigin.GENERATED, format=kind,
                                digest=digest(content), snapshot=data,
                                created_by=job.requested_by)
            report.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
            _track(report)
            report.save()
        if locked.status == SubmissionStatus.PENDING:
            locked.status = SubmissionStatus.DRAFT
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        SubmissionEvent.objects.create(submission=locked, action=SubmissionAction.GENERATE,
                                       actor=job.requested_by, occurred_at=now,
                                       data={"revision": revision, "job": job.pk})
        job.status, job.finished_at = JobStatus.DONE, now
        _progress(job, "done", status=JobStatus.DONE, finished_at=now)


def _track(report: ReportFile) -> None:
    track_new_file(report.file.storage, str(report.file.name))
