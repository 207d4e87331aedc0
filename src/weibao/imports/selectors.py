"""Reads of the imports domain: which importers a user may use, which jobs they see (PLT-01)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from weibao.contracts.models import Contract
from weibao.contracts.selectors import scope_to_user
from weibao.imports.models import ImportJob
from weibao.imports.registry import Importer, importers

__all__ = ["allowed_importers", "can_import", "visible_jobs"]


def can_import(user: Any, importer: Importer, contract: Contract | None = None) -> bool:
    """The user may import with ``importer`` (into ``contract``, when given): the importer's
    own permission AND ``imports.add_importjob``, on a contract they are party to."""
    if not (user.has_perm("imports.add_importjob") and importer.permission
            and user.has_perm(importer.permission)):
        return False
    return contract is None or user.has_perm("imports.add_importjob", contract)


def allowed_importers(user: Any) -> list[Importer]:
    """Registered importers the user holds the permissions for, in registration order."""
    return [importer for importer in importers() if can_import(user, importer)]


def visible_jobs(user: Any, contract: Contract | None = None) -> QuerySet[ImportJob]:
    """Jobs of the user's contracts, of importers they may use; newest first."""
    jobs = scope_to_user(ImportJob.objects.all(), user)
    if contract is not None:
        jobs = jobs.filter(contract=contract)
    keys = [importer.key for importer in allowed_importers(user)]
    if not user.has_perm("imports.view_importjob"):
        return jobs.none()
    return jobs.filter(importer__in=keys).select_related("contract", "created_by")
