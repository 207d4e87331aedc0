"""The huey task that generates a report's draft (RPT-07). ``weibao.reports.tasks`` imports
this module so the worker knows the task."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from weibao.reports.services.generation import run_generation

__all__ = ["generate_report"]


@db_task()
def generate_report(job_id: int) -> None:
    """Collect the period's data and write the Word, Excel and PDF files of a queued job."""
    run_generation(job_id)
