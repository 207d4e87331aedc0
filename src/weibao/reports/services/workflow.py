"""The submission workflow of a report (RPT-03, RPT-07, PAY-01): the vendor attaches the
edited final file and submits; the purchaser accepts or returns it with comments; a returned
report is corrected and submitted again. Accepting a deliverable records the contract event
a payment milestone may wait for (seed 002 5.2(b): the October monthly report).

Transitions (anything else is refused with a :class:`SubmissionConflict`)::

    action             from                          to
    attach_final       pending, draft, returned      draft (returned stays returned)
    submit             draft, returned               submitted
    accept             submitted                     accepted
    return_submission  submitted                     returned

Every action locks the submission (``select_for_update``), checks the caller's
``expected_version`` (:class:`StaleSubmission`), bumps ``version`` and writes a
:class:`SubmissionEvent`. ``generate`` (pending → draft) is in
:mod:`weibao.reports.services.generation`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.choices import ContractEventKind, MilestoneTrigger
from weibao.contracts.services.events import record_contract_event
from weibao.core.choices import Role
from weibao.core.crypto import digest
from weibao.reports.choices import (
    FileOrigin,
    ReportFormat,
    SubmissionAction,
    SubmissionStatus,
)
from weibao.reports.models import ReportFile, Submission, SubmissionEvent
from weibao.reports.services.errors import StaleSubmission, SubmissionConflict
from weibao.utils.files import remove_files_on_error, track_new_file

if TYPE_CHECKING:
    import datetime

    from weibao.core.models import User

__all__ = ["TRANSITIONS", "UPLOAD_FORMATS", "accept", "attach_final", "locked_submission",
           "return_submission", "submit"]

#: action → the statuses it may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    SubmissionAction.UPLOAD: (SubmissionStatus.PENDING, SubmissionStatus.DRAFT,
                              SubmissionStatus.RETURNED),
    SubmissionAction.SUBMIT: (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED),
    SubmissionAction.ACCEPT: (SubmissionStatus.SUBMITTED,),
    SubmissionAction.RETURN: (SubmissionStatus.SUBMITTED,),
}
#: File extension → format of a final file the vendor attaches.
UPLOAD_FORMATS = {".docx": ReportFormat.DOCX, ".xlsx": ReportFormat.XLSX,
                  ".pdf": ReportFormat.PDF, ".zip": ReportFormat.ZIP}


def locked_submission(submission: Submission | int,
                      expected_version: int | None) -> Submission:
    """The submission locked for this transaction, refused when someone changed it since
    the caller read ``expected_version``."""
    pk = submission.pk if isinstance(submission, Submission) else submission
    locked = (Submission.objects.select_for_update(of=("self",))
              .select_related("deliverable", "contract").get(pk=pk))
    if expected_version is not None and locked.version != expected_version:
        raise StaleSubmission(
            _("Someone changed this report in the meantime (version %(current)s, you had "
              "%(expected)s); reload it and try again.")
            % {"current": locked.version, "expected": expected_version},
            version=locked.version)
    return locked


def _require_state(submission: Submission, action: str) -> None:
    if submission.status in TRANSITIONS[action]:
        return
    status = SubmissionStatus(submission.status).label
    messages: dict[str, str] = {
        SubmissionAction.UPLOAD: _("The report is %(status)s; a final file can be attached "
                                   "only before it is submitted or after it was returned."),
        SubmissionAction.SUBMIT: (
            _("Generate the report or attach its final file before submitting it.")
            if submission.status == SubmissionStatus.PENDING else
            _("The report is %(status)s; it can be submitted again only after the purchaser "
              "returned it.")),
        SubmissionAction.ACCEPT: _("Only a submitted report can be accepted; this one is "
                                   "%(status)s."),
        SubmissionAction.RETURN: _("Only a submitted report can be returned; this one is "
                                   "%(status)s."),
    }
    raise SubmissionConflict(messages[action] % {"status": status},
                             version=submission.version)


def _require_vendor(actor: User, submission: Submission) -> None:
    if not actor.has_perm("reports.submit_submission", submission):
        raise PermissionDenied(_("Your role may not submit reports of this contract."))


def _require_reviewer(actor: User, submission: Submission) -> None:
    if not actor.has_perm("reports.review_submission", submission):
        raise PermissionDenied(_("Your role may not accept or return reports of this "
                                 "contract."))
    role = submission.deliverable.accepted_by
    if role and not getattr(actor, "is_administrator", False) and actor.role != role \
            and role in Role.values:
        raise PermissionDenied(_("This report is accepted or returned by the %(role)s.")
                               % {"role": Role(role).label})


def _save(submission: Submission, action: str, actor: User, now: datetime.datetime, *,
          fields: list[str], comment: str = "", data: dict[str, Any] | None = None) -> None:
    submission.version += 1
    submission.save(update_fields=[*fields, "version", "updated_at"])
    SubmissionEvent.objects.create(submission=submission, action=action, actor=actor,
                                   occurred_at=now, comment=comment, data=data or {})


def _upload_content(upload: Any) -> tuple[str, bytes]:
    name = PurePath(str(getattr(upload, "name", "") or "")).name
    kind = UPLOAD_FORMATS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError({"upload": _("Attach a Word (.docx), Excel (.xlsx), PDF (.pdf) or "
                                           "ZIP (.zip) file.")})
    limit = settings.WEIBAO_MAX_UPLOAD_MB * 1024 * 1024
    too_large = ValidationError({"upload": _("The file is larger than %(mb)s MB.")
                                 % {"mb": settings.WEIBAO_MAX_UPLOAD_MB}})
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(content) > limit:
        raise too_large
    if not content:
        raise ValidationError({"upload": _("The file is empty.")})
    if kind == ReportFormat.PDF:
        valid = content.startswith(b"%PDF-")
    else:
        valid = zipfile.is_zipfile(io.BytesIO(content))
    if not valid:
        raise ValidationError({"upload": _("The file %(name)s is not a valid %(format)s file.")
                               % {"name": name, "format": ReportFormat(kind).label}})
    return kind, content


def attach_final(submission: Submission | int, actor: User, *, upload: Any,
                 expected_version: int | None = None) -> ReportFile:
    """The vendor attaches the final file (the edited Word document, the signed PDF, or a
    ZIP with the month's sheets): a new revision, the one file to submit."""
    kind, content = _upload_content(upload)
    now = timezone.now()
    with remove_files_on_error(), transaction.atomic():
        locked = locked_submission(submission, expected_version)
        _require_vendor(actor, locked)
        _require_state(locked, SubmissionAction.UPLOAD)
        revision = (locked.files.aggregate(n=Max("revision"))["n"] or 0) + 1
        locked.files.filter(is_final=True).update(is_final=False)
        report = ReportFile(submission=locked, revision=revision, origin=FileOrigin.UPLOADED,
                            format=kind, digest=digest(content), is_final=True,
                            created_by=actor)
        stem = f"{locked.deliverable.code}-{locked.key.replace(':', '-')}-r{revision}-final"
        report.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
        track_new_file(report.file.storage, str(report.file.name))
        report.save()
        if locked.status == SubmissionStatus.PENDING:
            locked.status = SubmissionStatus.DRAFT
        _save(locked, SubmissionAction.UPLOAD, actor, now, fields=["status"],
              data={"revision": revision, "format": kind, "file": report.pk,
                    "name": PurePath(str(getattr(upload, "name", ""))).name[:200]})
    return report


@transaction.atomic
def submit(submission: Submission | int, actor: User, *, file: ReportFile | None = None,
           comment: str = "", expected_version: int | None = None) -> Submission:
    """Hand the report to the purchaser: ``file`` (one of its files), else the attached
    final file, else the latest generated revision becomes final. The first submission
    records whether it was late; a returned report may be submitted again."""
    locked = locked_submission(submission, expected_version)
    _require_vendor(actor, locked)
    _require_state(locked, SubmissionAction.SUBMIT)
    if file is not None:
        if file.submission_id != locked.pk:
            raise ValidationError({"file": _("The file belongs to another report.")})
        locked.files.exclude(pk=file.pk).filter(is_final=True).update(is_final=False)
        ReportFile.objects.filter(pk=file.pk).update(is_final=True)
    elif not locked.files.filter(is_final=True).exists():
        latest = (locked.files.filter(origin=FileOrigin.GENERATED)
                  .aggregate(n=Max("revision"))["n"])
        if latest is None:
            raise SubmissionConflict(_("Generate the report or attach its final file before "
                                       "submitting it."), version=locked.version)
        locked.files.filter(origin=FileOrigin.GENERATED, revision=latest).update(is_final=True)
    now = timezone.now()
    resubmission = locked.status == SubmissionStatus.RETURNED
    if not resubmission:
        locked.late = now > locked.due_at
    locked.status, locked.submitted_at, locked.submitted_by = (SubmissionStatus.SUBMITTED, now,
                                                               actor)
    finals = list(locked.files.filter(is_final=True).values_list("pk", flat=True))
    _save(locked, SubmissionAction.SUBMIT, actor, now,
          fields=["status", "submitted_at", "submitted_by", "late"], comment=comment.strip(),
          data={"files": finals, "late": locked.late, "resubmission": resubmission})
    return locked


def _payment_codes(submission: Submission) -> list[str]:
    """The deliverable codes whose acceptance this records: the deliverable's own code, and
    a period-qualified code (``monthly-report-2025-10``, ``monthly-report-10``) when one of
    the contract's payment milestones waits for exactly that period's report."""
    code = submission.deliverable.code
    month = submission.period_start.month
    qualified = {f"{code}-{submission.key}", f"{code}-{month}", f"{code}-{month:02d}"}
    wanted = set(submission.contract.milestones.filter(
        trigger=MilestoneTrigger.AFTER_DELIVERABLE, deliverable__in=qualified)
        .values_list("deliverable", flat=True))
    return [code, *sorted(wanted)]


def _record_payment_events(submission: Submission, actor: User,
                           now: datetime.datetime) -> list[str]:
    """Record ``deliverable_accepted`` for the payment milestones (PAY-01). The first
    acceptance of a code counts: a later period's report does not move the date."""
    recorded = []
    existing = set(submission.contract.events.filter(
        kind=ContractEventKind.DELIVERABLE_ACCEPTED).values_list("deliverable", flat=True))
    for code in _payment_codes(submission):
        if code in existing:
            continue
        record_contract_event(
            submission.contract, kind=ContractEventKind.DELIVERABLE_ACCEPTED,
            occurred_on=timezone.localdate(now), actor=actor, deliverable=code,
            note=_("Accepted in weibao: %(report)s") % {"report": str(submission)})
        recorded.append(code)
    return recorded


@transaction.atomic
def accept(submission: Submission | int, actor: User, *, comment: str = "",
           expected_version: int | None = None) -> Submission:
    """The purchaser accepts the submitted report; a payment milestone waiting for this
    deliverable gets its due date."""
    locked = locked_submission(submission, expected_version)
    _require_reviewer(actor, locked)
    _require_state(locked, SubmissionAction.ACCEPT)
    now = timezone.now()
    locked.status, locked.reviewed_at, locked.reviewed_by = (SubmissionStatus.ACCEPTED, now,
                                                             actor)
    locked.review_comment = comment.strip()
    codes = _record_payment_events(locked, actor, now)
    _save(locked, SubmissionAction.ACCEPT, actor, now,
          fields=["status", "reviewed_at", "reviewed_by", "review_comment"],
          comment=locked.review_comment, data={"contract_events": codes})
    return locked


@transaction.atomic
def return_submission(submission: Submission | int, actor: User, *, comment: str,
                      expected_version: int | None = None) -> Submission:
    """The purchaser returns the submitted report with comments for the vendor to correct."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be corrected before returning the "
                                            "report.")})
    locked = locked_submission(submission, expected_version)
    _require_reviewer(actor, locked)
    _require_state(locked, SubmissionAction.RETURN)
    now = timezone.now()
    locked.status, locked.reviewed_at, locked.reviewed_by = (SubmissionStatus.RETURNED, now,
                                                             actor)
    locked.review_comment = comment
    _save(locked, SubmissionAction.RETURN, actor, now,
          fields=["status", "reviewed_at", "reviewed_by", "review_comment"], comment=comment)
    return locked
