"""Background tasks of the imports domain (run by the huey worker): long files (more rows than
``WEIBAO_IMPORT_INLINE_ROWS``) are validated and committed here, updating the job's progress."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

__all__ = ["commit_job", "validate_job"]


@db_task()
def validate_job(job_id: int) -> None:
    """Validate an uploaded import job (AST-10)."""
    from weibao.imports.models import ImportJob
    from weibao.imports.services import validate

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        validate(job)


@db_task()
def commit_job(job_id: int) -> None:
    """Write a committed import job (AST-10)."""
    from weibao.imports.choices import ImportStatus
    from weibao.imports.models import ImportJob
    from weibao.imports.services import run_commit

    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).first()
    if job is not None:
        run_commit(job)
