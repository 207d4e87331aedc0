"""Import jobs (导入任务): one uploaded spreadsheet, its validation and its commit (AST-10)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.contracts.models import Contract
from weibao.core.models import TimestampedModel
from weibao.imports.choices import ImportMode, ImportStatus

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["ImportJob", "import_file_path"]


def import_file_path(instance: ImportJob, filename: str) -> str:
    # A random folder keeps two uploads with the same name apart and unguessable.
    return f"imports/{instance.contract_id}/{uuid.uuid4().hex[:12]}/{PurePath(filename).name}"


class ImportJob(TimestampedModel):
    """导入任务: a spreadsheet of sites, assets or stock uploaded for one contract.

    uploaded → (validating →) validated → importing → done / failed. Validation records every
    row error before anything is written; the commit writes in one transaction, once.
    """

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="import_jobs")
    importer = models.CharField(_("import of"), max_length=40)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_by = models.ForeignKey("core.User", verbose_name=_("uploaded by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    committed_by = models.ForeignKey("core.User", verbose_name=_("committed by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.UPLOADED)
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, blank=True)
    background = models.BooleanField(_("runs in the background"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    progress = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True,
                              help_text=_("Every row error: {row, column, message}."))
    failure = models.TextField(_("failure"), blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["contract", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.importer} · {self.original_name}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.contract_id}

    def is_visible_to(self, user: User) -> bool:
        return self.contract.is_visible_to(user)

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def is_running(self) -> bool:
        return self.status in {ImportStatus.UPLOADED, ImportStatus.VALIDATING,
                               ImportStatus.IMPORTING}

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.valid_rows > 0

    @property
    def percent(self) -> int:
        """Progress of the current phase, 0..100."""
        if self.is_finished or self.status == ImportStatus.VALIDATED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.progress * 100 // self.total_rows)
