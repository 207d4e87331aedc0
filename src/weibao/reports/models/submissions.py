"""One due instance of a deliverable (a period's report, or an event's), its files and
generation jobs, and the history of its submission and review (RPT-07)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.reports.choices import (
    FileOrigin,
    JobStatus,
    ReportFormat,
    SubmissionAction,
    SubmissionStatus,
)
from weibao.reports.models.obligations import Deliverable
from weibao.sites.models import ContractOwned

__all__ = ["GenerationJob", "ReportFile", "Submission", "SubmissionEvent"]


class Submission(ContractOwned):
    """A report owed for one period (or one event): due time, status, who submitted and
    accepted it, and — when late or missing — the breach. ``key`` makes creation idempotent
    (one submission per deliverable and period or event)."""

    deliverable = models.ForeignKey(Deliverable, verbose_name=_("deliverable"),
                                    on_delete=models.PROTECT, related_name="submissions")
    key = models.CharField(max_length=120, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"), help_text=_("Inclusive."))
    trigger_source = models.CharField(_("triggered by"), max_length=60, blank=True,
                                      help_text=_("The record that started the clock, e.g. "
                                                  "visit:12."))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=20, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    review_comment = models.TextField(_("review comment"), blank=True)
    late = models.BooleanField(_("late"), default=False,
                               help_text=_("First submitted after the due time."))
    breach_recorded_at = models.DateTimeField(_("breach recorded at"), null=True, blank=True)
    penalty_percent = models.DecimalField(
        _("penalty (% of the contract)"), max_digits=6, decimal_places=3, null=True,
        blank=True, help_text=_("The deliverable's penalty when the breach was recorded."))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        permissions = [("submit_submission", _("Can submit reports")),
                       ("review_submission", _("Can accept or return reports"))]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "key"],
                                    name="submission_key_unique"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="submission_period_ordered"),
        ]
        indexes = [models.Index(fields=["contract", "due_at"], name="submission_contract_due"),
                   models.Index(fields=["status", "due_at"], name="submission_status_due")]

    def __str__(self) -> str:
        return f"{self.deliverable.name} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class ReportFile(models.Model):
    """A file of a submission: a generated draft (with the data snapshot it was made from) or
    the final file the vendor attached. Kept, never replaced: each generation or upload is a
    new revision."""

    submission = models.ForeignKey(Submission, verbose_name=_("submission"),
                                   on_delete=models.CASCADE, related_name="files")
    revision = models.PositiveSmallIntegerField(_("revision"))
    origin = models.CharField(_("origin"), max_length=20, choices=FileOrigin.choices)
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    digest = models.CharField(_("digest"), max_length=128, blank=True)
    snapshot = models.JSONField(_("data snapshot"), default=dict, blank=True)
    is_final = models.BooleanField(_("final"), default=False,
                                   help_text=_("The file submitted to the purchaser."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "-revision", "format"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [models.UniqueConstraint(fields=["submission", "revision", "format"],
                                               name="report_file_revision_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id} r{self.revision} {self.format}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.submission.contract_id}


class GenerationJob(models.Model):
    """A background generation of a submission's draft, with its progress for the page."""

    submission = models.ForeignKey(Submission, verbose_name=_("submission"),
                                   on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report generation")
        verbose_name_plural = _("report generations")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.status} {self.progress}%"


class SubmissionEvent(models.Model):
    """The history of a submission: generated, attached, submitted, returned with comments,
    accepted, reminded, breach recorded."""

    submission = models.ForeignKey(Submission, verbose_name=_("submission"),
                                   on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=SubmissionAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                              on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    occurred_at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["submission", "occurred_at", "pk"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action}"

    def get_additional_data(self) -> dict[str, object]:
        return {"contract_id": self.submission.contract_id}
