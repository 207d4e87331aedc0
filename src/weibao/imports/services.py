"""Writes of the imports domain (AST-10): upload, validate and commit an import job.

* ``upload`` stores the file, checks its type and headers and counts its rows, then validates
  it: inline for small files, in the background (huey) for long ones.
* ``validate`` runs the importer's ``clean_row`` for every row and records EVERY row error; it
  never writes domain data, so the preview lists all problems first.
* ``commit`` writes through ``importer.write`` inside ONE transaction, once per job:
  ``all_or_nothing`` refuses while any row has an error, ``valid_rows`` skips the bad rows.
  The rows are checked again right before writing, so data changed since the preview cannot
  slip through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.models import Contract
from weibao.core.errors import ConflictError, ServiceError
from weibao.imports.choices import ImportMode, ImportStatus
from weibao.imports.models import ImportJob
from weibao.imports.readers import check_file_type, open_table
from weibao.imports.registry import Importer, RowError, get_importer
from weibao.utils.files import remove_files_on_error, track_new_file

__all__ = ["CheckResult", "check_rows", "commit", "inline_limit", "upload", "validate"]

log = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # rows between two progress updates of a job


def inline_limit() -> int:
    """Files with more data rows than this run in the background
    (``WEIBAO_IMPORT_INLINE_ROWS``, default 500)."""
    return int(getattr(settings, "WEIBAO_IMPORT_INLINE_ROWS", 500))


def _importer(key: str) -> Importer:
    try:
        return get_importer(key)
    except KeyError:
        raise ServiceError({"importer": [_("Unknown import type %(key)s.") % {"key": key}]}) \
            from None


def _check_size(upload: UploadedFile) -> None:
    limit = settings.WEIBAO_MAX_UPLOAD_MB * 1024 * 1024
    if not upload.size:
        raise ServiceError({"file": [_("The file is empty.")]})
    if upload.size > limit:
        raise ServiceError({"file": [_("The file is %(size).1f MB; the limit is %(limit)d MB.")
                                     % {"size": upload.size / 1048576,
                                        "limit": settings.WEIBAO_MAX_UPLOAD_MB}]})


def _count_rows(job: ImportJob, importer: Importer) -> int:
    with job.file.open("rb") as stream, open_table(
            stream, job.original_name, importer.columns_for(job.contract)) as table:
        count = sum(1 for _row in table)
    if count == 0:
        raise ServiceError({"file": [_("The file has headers but no data rows.")]})
    return count


def upload(contract: Contract, importer_key: str, file: UploadedFile, actor: Any) -> ImportJob:
    """Store an import file for ``contract`` and validate it (in the background when long).

    Raises ServiceError (nothing kept) for an unknown importer, a file of the wrong type or
    size, unknown or missing columns, no data rows or too many rows."""
    importer = _importer(importer_key)
    name = PurePath(file.name or "import").name
    _check_size(file)
    file.seek(0)
    check_file_type(name, file.read(8))
    file.seek(0)
    with remove_files_on_error(), transaction.atomic():
        job = ImportJob(contract=contract, importer=importer.key, original_name=name[:200],
                        size=file.size or 0, created_by=actor)
        job.file.save(name, file, save=False)
        track_new_file(job.file.storage, job.file.name or "")
        job.total_rows = _count_rows(job, importer)
        job.background = job.total_rows > inline_limit()
        job.save()
    if job.background:
        from weibao.imports.tasks import validate_job

        validate_job(job.pk)
        job.refresh_from_db()
    else:
        job = validate(job)
    return job


@dataclass
class CheckResult:
    """The outcome of checking every row of a file."""

    total: int
    cleaned: list[dict[str, Any]]
    errors: list[RowError]

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def check_rows(job: ImportJob, importer: Importer,
               on_progress: Callable[[int], None] | None = None) -> CheckResult:
    """Read the job's file and clean every row with the importer's ``prepare()`` context."""
    contract = job.contract
    context = importer.prepare(contract)
    cleaned: list[dict[str, Any]] = []
    errors: list[RowError] = []
    total = 0
    with job.file.open("rb") as stream, open_table(
            stream, job.original_name, importer.columns_for(contract)) as table:
        for number, values in table:
            total += 1
            row, row_errors = importer.clean_row(contract, values, number, context)
            if row_errors:
                errors.extend(row_errors)
            elif row is not None:
                cleaned.append(row)
            if on_progress is not None and total % PROGRESS_EVERY == 0:
                on_progress(total)
    return CheckResult(total=total, cleaned=cleaned, errors=errors)


def _error_json(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors]


def _progress_saver(job: ImportJob) -> Callable[[int], None]:
    def save(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=done, updated_at=timezone.now())
    return save


def _fail(job: ImportJob, message: str, errors: list[RowError] | None = None) -> None:
    job.status = ImportStatus.FAILED
    job.failure = message
    if errors is not None:
        job.errors = _error_json(errors)
    job.finished_at = timezone.now()
    job.save()


def validate(job: ImportJob) -> ImportJob:
    """Check every row of an uploaded job and record all row errors; writes no domain data."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in {ImportStatus.UPLOADED, ImportStatus.VALIDATING}:
            raise ConflictError(_("This import has already been validated."))
        job.status = ImportStatus.VALIDATING
        job.progress = 0
        job.save(update_fields=["status", "progress", "updated_at"])
    importer = _importer(job.importer)
    try:
        result = check_rows(job, importer, _progress_saver(job))
    except ValidationError as exc:
        _fail(job, "; ".join(exc.messages))
        return job
    except Exception:
        log.exception("Import job %s: validation failed", job.pk)
        _fail(job, _("The file could not be checked because of an internal error."))
        return job
    job.total_rows = result.total
    job.errors = _error_json(result.errors)
    job.error_rows = result.error_rows
    job.valid_rows = len(result.cleaned)
    job.progress = result.total
    job.status = ImportStatus.VALIDATED
    job.validated_at = timezone.now()
    job.save()
    return job


def commit(job: ImportJob, mode: str, actor: Any) -> ImportJob:
    """Write the job's rows (once). ``all_or_nothing`` needs an error-free file; ``valid_rows``
    writes the rows without errors. Long files are written in the background."""
    if mode not in ImportMode.values:
        raise ServiceError({"mode": [_("Unknown import mode %(mode)s.") % {"mode": mode}]})
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in {ImportStatus.IMPORTING, ImportStatus.DONE} or locked.committed_at:
            raise ConflictError(_("This import has already been committed; upload the file "
                                  "again to import it once more."))
        if locked.status != ImportStatus.VALIDATED:
            raise ConflictError(_("This import cannot be committed while it is %(status)s.")
                                % {"status": locked.get_status_display()})
        if mode == ImportMode.ALL_OR_NOTHING and locked.errors:
            raise ServiceError({"mode": [_("%(count)d rows have errors; fix the file, or import "
                                           "the valid rows only.")
                                         % {"count": locked.error_rows}]})
        if locked.valid_rows == 0:
            raise ServiceError({"mode": [_("No row of this file is valid; nothing to import.")]})
        locked.status = ImportStatus.IMPORTING
        locked.mode = mode
        locked.committed_by = actor
        locked.committed_at = timezone.now()
        locked.progress = 0
        locked.save()
    if locked.background:
        from weibao.imports.tasks import commit_job

        commit_job(locked.pk)
        locked.refresh_from_db()
        return locked
    return run_commit(locked)


def run_commit(job: ImportJob) -> ImportJob:
    """Check the rows again, then write them in one transaction; the job ends done or failed.
    On failure nothing of the file is written."""
    importer = _importer(job.importer)
    try:
        result = check_rows(job, importer, _progress_saver(job))
        if job.mode == ImportMode.ALL_OR_NOTHING and result.errors:
            _fail(job, _("Rows have errors now that they did not have at validation; nothing "
                         "was written."), result.errors)
            return job
        if not result.cleaned:
            _fail(job, _("No row is valid any more; nothing was written."), result.errors)
            return job
        with transaction.atomic():
            # One import per contract at a time: imports of the same contract queue up here.
            list(Contract.objects.select_for_update().filter(pk=job.contract_id)
                 .values_list("pk", flat=True))
            written = importer.write(job.contract, result.cleaned, job.committed_by)
            job.written = written
            job.errors = _error_json(result.errors)
            job.error_rows = result.error_rows
            job.valid_rows = len(result.cleaned)
            job.total_rows = result.total
            job.progress = result.total
            job.status = ImportStatus.DONE
            job.finished_at = timezone.now()
            job.save()
    except ValidationError as exc:
        job.refresh_from_db()
        _fail(job, _("Nothing was written: %(reason)s") % {"reason": "; ".join(exc.messages)})
    except Exception:
        log.exception("Import job %s: commit failed", job.pk)
        job.refresh_from_db()
        _fail(job, _("Nothing was written because of an internal error."))
    return job
