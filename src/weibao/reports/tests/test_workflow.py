"""The submission workflow (RPT-03, RPT-07): attach the final file, submit, accept or return
with comments, submit again; every transition of the state table and every refused one; the
late flag; stale versions; who may do what; and the payment milestone that waits for a
deliverable's acceptance (PAY-01, seed 002 5.2(b))."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from weibao.contracts.choices import ContractEventKind, MilestoneTrigger
from weibao.contracts.models import ContractEvent, PaymentMilestone
from weibao.contracts.selectors import milestone_schedule
from weibao.reports.choices import (
    FileOrigin,
    ReportFormat,
    SubmissionAction,
    SubmissionStatus,
)
from weibao.reports.models import Deliverable, ReportFile, Submission
from weibao.reports.services import workflow
from weibao.reports.services.errors import StaleSubmission, SubmissionConflict
from weibao.reports.tests.conftest import Setup, make_deliverable

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def docx_upload(name: str = "终稿.docx") -> SimpleUploadedFile:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("运维月报 终稿")
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def pdf_upload(name: str = "签章版.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def new_submission(setup: Setup, *, code: str = "monthly-flow", due_in: datetime.timedelta =
                   datetime.timedelta(days=5), key: str = "2025-10",
                   deliverable: Deliverable | None = None) -> Submission:
    deliverable = deliverable or make_deliverable(setup.contract, code)
    return Submission.objects.create(
        contract=setup.contract, deliverable=deliverable, key=key,
        period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2025, 10, 31),
        due_at=timezone.now() + due_in)


def generated_revision(submission: Submission, revision: int = 1) -> None:
    """A generated draft (what run_generation writes), without rendering it."""
    for kind in (ReportFormat.DOCX, ReportFormat.XLSX, ReportFormat.PDF):
        report = ReportFile(submission=submission, revision=revision,
                            origin=FileOrigin.GENERATED, format=kind, snapshot={"n": 1})
        report.file.save(f"r{revision}.{kind}", ContentFile(b"x"), save=False)
        report.save()
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DRAFT)
    submission.refresh_from_db()


def submitted(setup: Setup, **extra: Any) -> Submission:
    submission = new_submission(setup, **extra)
    workflow.attach_final(submission, setup.people["manager"], upload=docx_upload())
    return workflow.submit(submission, setup.people["manager"])


def actions(submission: Submission) -> list[str]:
    return list(submission.events.values_list("action", flat=True))


# --- the state table -------------------------------------------------------------------------

def test_rpt07_attach_submit_accept(outlets: Setup):
    """RPT-07: pending → (final file attached) draft → submitted (time and person recorded)
    → accepted (reviewer, time, comment); each step in the history."""
    manager, purchaser = outlets.people["manager"], outlets.people["purchaser"]
    submission = new_submission(outlets)
    report = workflow.attach_final(submission, manager, upload=docx_upload())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    assert (report.origin, report.format, report.is_final, report.revision) == (
        FileOrigin.UPLOADED, ReportFormat.DOCX, True, 1)
    assert len(report.digest) == 64
    workflow.submit(submission, manager, comment="十月月报")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == manager and submission.submitted_at is not None
    assert submission.late is False
    workflow.accept(submission, purchaser, comment="同意")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert (submission.reviewed_by, submission.review_comment) == (purchaser, "同意")
    assert actions(submission) == [SubmissionAction.UPLOAD, SubmissionAction.SUBMIT,
                                   SubmissionAction.ACCEPT]
    assert submission.version == 4


def test_rpt03_return_with_comments_and_resubmit(outlets: Setup):
    """RPT-03: the purchaser returns a submitted report with comments; the vendor attaches a
    corrected file (a new revision, the only final one) and submits again."""
    manager, purchaser = outlets.people["manager"], outlets.people["purchaser"]
    submission = submitted(outlets)
    workflow.return_submission(submission, purchaser, comment="缺少十月工单分析")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.review_comment == "缺少十月工单分析"
    second = workflow.attach_final(submission, manager, upload=pdf_upload())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert second.revision == 2
    assert list(submission.files.filter(is_final=True)) == [second]
    workflow.submit(submission, manager)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    event = submission.events.filter(action=SubmissionAction.SUBMIT).last()
    assert event is not None and event.data["resubmission"] is True
    assert event.data["files"] == [second.pk]
    workflow.accept(submission, purchaser)
    assert actions(submission) == [SubmissionAction.UPLOAD, SubmissionAction.SUBMIT,
                                   SubmissionAction.RETURN, SubmissionAction.UPLOAD,
                                   SubmissionAction.SUBMIT, SubmissionAction.ACCEPT]


def test_rpt07_submitting_a_generated_draft_makes_its_latest_revision_final(outlets: Setup):
    """RPT-07: without an attached file, the latest generated revision (Word, Excel, PDF) is
    what is submitted; an earlier revision stays a draft."""
    submission = new_submission(outlets)
    generated_revision(submission, 1)
    generated_revision(submission, 2)
    workflow.submit(submission, outlets.people["manager"])
    finals = set(submission.files.filter(is_final=True).values_list("revision", "format"))
    assert finals == {(2, "docx"), (2, "xlsx"), (2, "pdf")}


def test_rpt07_submitting_a_chosen_file(outlets: Setup):
    """RPT-07: the vendor may choose which of the report's files is final; a file of
    another report is refused."""
    submission = new_submission(outlets)
    generated_revision(submission)
    chosen = submission.files.get(format=ReportFormat.PDF)
    workflow.submit(submission, outlets.people["manager"], file=chosen)
    assert list(submission.files.filter(is_final=True)) == [chosen]
    other = new_submission(outlets, code="monthly-other")
    generated_revision(other)
    with pytest.raises(ValidationError):
        workflow.submit(other, outlets.people["manager"], file=chosen)


REFUSED = [
    # (status, action) pairs the table does not allow
    (SubmissionStatus.PENDING, "submit"),
    (SubmissionStatus.PENDING, "accept"),
    (SubmissionStatus.PENDING, "return"),
    (SubmissionStatus.DRAFT, "accept"),
    (SubmissionStatus.DRAFT, "return"),
    (SubmissionStatus.SUBMITTED, "attach"),
    (SubmissionStatus.SUBMITTED, "submit"),
    (SubmissionStatus.RETURNED, "accept"),
    (SubmissionStatus.RETURNED, "return"),
    (SubmissionStatus.ACCEPTED, "attach"),
    (SubmissionStatus.ACCEPTED, "submit"),
    (SubmissionStatus.ACCEPTED, "accept"),
    (SubmissionStatus.ACCEPTED, "return"),
]


def _do(setup: Setup, submission: Submission, action: str) -> None:
    manager, purchaser = setup.people["manager"], setup.people["purchaser"]
    if action == "attach":
        workflow.attach_final(submission, manager, upload=docx_upload())
    elif action == "submit":
        workflow.submit(submission, manager)
    elif action == "accept":
        workflow.accept(submission, purchaser)
    else:
        workflow.return_submission(submission, purchaser, comment="请修改")


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_rpt07_refused_transitions(outlets: Setup, status: str, action: str):
    """RPT-07: every action the state table does not allow from a status is refused with a
    conflict saying the report's status; nothing changes."""
    submission = new_submission(outlets)
    generated_revision(submission)
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    with pytest.raises(SubmissionConflict) as caught:
        _do(outlets, submission, action)
    assert caught.value.version == submission.version
    if status != SubmissionStatus.PENDING or action != "submit":
        assert str(SubmissionStatus(status).label) in " ".join(caught.value.messages)
    submission.refresh_from_db()
    assert submission.status == status
    assert not submission.events.exists()


def test_rpt07_a_pending_report_without_files_cannot_be_submitted(outlets: Setup):
    """RPT-07: a report with neither a generated draft nor an attached file is not
    submitted; the message says what to do."""
    submission = new_submission(outlets)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DRAFT)
    with pytest.raises(SubmissionConflict, match="Generate the report or attach"):
        workflow.submit(submission, outlets.people["manager"])


def test_rpt03_returning_needs_a_comment(outlets: Setup):
    """RPT-03: the purchaser says what must be corrected; a blank comment is refused."""
    submission = submitted(outlets)
    with pytest.raises(ValidationError) as caught:
        workflow.return_submission(submission, outlets.people["purchaser"], comment="  ")
    assert "comment" in caught.value.message_dict
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_rpt07_stale_version_is_refused(outlets: Setup):
    """RPT-07: an action based on an outdated reading of the report is refused (someone
    else acted meanwhile) and names the current version."""
    submission = submitted(outlets)
    with pytest.raises(StaleSubmission) as caught:
        workflow.accept(submission, outlets.people["purchaser"], expected_version=1)
    assert caught.value.version == submission.version
    workflow.accept(submission, outlets.people["purchaser"],
                    expected_version=submission.version)


# --- late ------------------------------------------------------------------------------------

def test_rpt07_a_submission_after_the_due_time_is_late(outlets: Setup):
    """RPT-07: submitted after its due time, the report is late (and says so in history)."""
    submission = submitted(outlets, due_in=-datetime.timedelta(hours=1))
    assert submission.late is True
    event = submission.events.get(action=SubmissionAction.SUBMIT)
    assert event.data["late"] is True


def test_rpt07_lateness_is_decided_by_the_first_submission(outlets: Setup):
    """RPT-07: a report first submitted on time and returned is not late when submitted
    again after the due time; one first submitted late stays late."""
    manager, purchaser = outlets.people["manager"], outlets.people["purchaser"]
    on_time = submitted(outlets)
    workflow.return_submission(on_time, purchaser, comment="补充")
    Submission.objects.filter(pk=on_time.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1))
    workflow.submit(on_time, manager)
    on_time.refresh_from_db()
    assert on_time.late is False
    late = submitted(outlets, code="monthly-late", due_in=-datetime.timedelta(days=1))
    workflow.return_submission(late, purchaser, comment="补充")
    workflow.submit(late, manager)
    late.refresh_from_db()
    assert late.late is True


# --- uploads ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "kind"), [
    ("月报.docx", None, ReportFormat.DOCX), ("月报.xlsx", None, ReportFormat.XLSX),
    ("月报.PDF", b"%PDF-1.7\n", ReportFormat.PDF), ("维护单.zip", None, ReportFormat.ZIP)])
def test_rpt07_final_file_formats(outlets: Setup, name: str, content: bytes | None, kind: str):
    """RPT-07: Word, Excel, PDF or ZIP (the month's report with its sheets) is accepted as
    the final file, its format taken from the extension."""
    if content is None:
        content = docx_upload().read()  # any ZIP container
    report = workflow.attach_final(new_submission(outlets), outlets.people["manager"],
                                   upload=SimpleUploadedFile(name, content))
    assert report.format == kind
    assert report.file.read() == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("月报.exe", b"MZ", "Attach a Word"),
    ("月报.doc", b"\xd0\xcf\x11\xe0", "Attach a Word"),
    ("月报.pdf", b"not a pdf", "is not a valid PDF"),
    ("月报.docx", b"plain text", "is not a valid Word"),
    ("月报.zip", b"", "empty"),
])
def test_rpt07_bad_final_files_are_refused(outlets: Setup, name: str, content: bytes,
                                           message: str):
    """RPT-07: another kind of file, or one whose content is not what its name says, is
    refused with a message naming the problem; nothing is stored."""
    submission = new_submission(outlets)
    with pytest.raises(ValidationError, match=message):
        workflow.attach_final(submission, outlets.people["manager"],
                              upload=SimpleUploadedFile(name, content))
    assert not submission.files.exists()


def test_rpt07_final_file_size_limit(outlets: Setup, settings: Any):
    """RPT-07: a file larger than WEIBAO_MAX_UPLOAD_MB is refused."""
    settings.WEIBAO_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("月报.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        workflow.attach_final(new_submission(outlets), outlets.people["manager"], upload=big)


# --- permissions -----------------------------------------------------------------------------

@pytest.mark.parametrize(("person", "allowed"), [
    ("manager", True), ("engineer", False), ("purchaser", False), ("outsider", False)])
def test_rpt07_who_submits(outlets: Setup, person: str, allowed: bool):
    """RPT-07: the vendor's manager of the contract attaches and submits; an engineer, the
    purchaser and a manager of another vendor may not."""
    submission = new_submission(outlets)
    actor = outlets.people[person]
    if allowed:
        workflow.attach_final(submission, actor, upload=docx_upload())
        workflow.submit(submission, actor)
        return
    with pytest.raises(PermissionDenied):
        workflow.attach_final(submission, actor, upload=docx_upload())
    generated_revision(submission)
    with pytest.raises(PermissionDenied):
        workflow.submit(submission, actor)


@pytest.mark.parametrize(("person", "allowed"), [
    ("purchaser", True), ("manager", False), ("engineer", False), ("outsider", False)])
def test_rpt03_who_reviews(outlets: Setup, person: str, allowed: bool):
    """RPT-03: the purchaser's staff accept or return; the vendor may not review its own
    report."""
    submission = submitted(outlets)
    actor = outlets.people[person]
    if allowed:
        workflow.return_submission(submission, actor, comment="补充")
        workflow.submit(submission, outlets.people["manager"])
        workflow.accept(submission, actor)
        return
    with pytest.raises(PermissionDenied):
        workflow.accept(submission, actor)
    with pytest.raises(PermissionDenied):
        workflow.return_submission(submission, actor, comment="补充")


def test_rpt03_the_deliverable_names_who_accepts(outlets: Setup, django_user_model: Any):
    """RPT-03: when the deliverable is accepted by another role, purchaser staff may not
    accept it; an administrator may."""
    deliverable = make_deliverable(outlets.contract, "supervised", accepted_by="supervisor")
    submission = submitted(outlets, deliverable=deliverable)
    with pytest.raises(PermissionDenied, match="Supervisor"):
        workflow.accept(submission, outlets.people["purchaser"])
    admin = django_user_model.objects.create_superuser("reports-admin", "a@example.org", "x")
    workflow.accept(submission, admin)


# --- payment link ----------------------------------------------------------------------------

def _second_instalment(setup: Setup) -> PaymentMilestone:
    return PaymentMilestone.objects.get(contract=setup.contract,
                                        trigger=MilestoneTrigger.AFTER_DELIVERABLE)


def test_pay01_accepting_the_october_report_dates_the_second_instalment(ca: Setup):
    """PAY-01, seed 002 5.2(b): the second instalment waits for the acceptance of
    monthly-report-10; once the purchaser accepts that report the contract records the
    event and the milestone waits only for the invoice."""
    milestone = _second_instalment(ca)
    code = milestone.deliverable
    deliverable = (Deliverable.objects.filter(contract=ca.contract, code=code).first()
                   or make_deliverable(ca.contract, code))
    before = {s.milestone.pk: s for s in milestone_schedule(ca.contract)}[milestone.pk]
    assert before.due_date is None and code in before.waiting_for
    submission = submitted(ca, deliverable=deliverable)
    workflow.accept(submission, ca.people["purchaser"])
    event = ContractEvent.objects.get(contract=ca.contract,
                                      kind=ContractEventKind.DELIVERABLE_ACCEPTED,
                                      deliverable=code)
    assert event.occurred_on == timezone.localdate()
    after = {s.milestone.pk: s for s in milestone_schedule(ca.contract)}[milestone.pk]
    assert after.waiting_for == "the invoice"
    assert submission.events.get(action=SubmissionAction.ACCEPT).data == {
        "contract_events": [code]}


def test_pay01_a_milestone_waiting_for_one_period_of_a_monthly_report(ca: Setup):
    """PAY-01: a milestone may name one period of a monthly deliverable (code-10, the
    October report); September's acceptance does not date it, October's does; the first
    acceptance of the deliverable's own code is kept, later ones do not move it."""
    milestone = _second_instalment(ca)
    PaymentMilestone.objects.filter(pk=milestone.pk).update(deliverable="ops-monthly-10")
    deliverable = make_deliverable(ca.contract, "ops-monthly")
    september = submitted(ca, deliverable=deliverable, key="2025-09")
    Submission.objects.filter(pk=september.pk).update(period_start=datetime.date(2025, 9, 1),
                                                      period_end=datetime.date(2025, 9, 30))
    workflow.accept(september, ca.people["purchaser"])
    codes = set(ContractEvent.objects.filter(
        contract=ca.contract, kind=ContractEventKind.DELIVERABLE_ACCEPTED)
        .values_list("deliverable", flat=True))
    assert codes == {"ops-monthly"}
    october = submitted(ca, deliverable=deliverable, key="2025-10")
    workflow.accept(october, ca.people["purchaser"])
    codes = set(ContractEvent.objects.filter(
        contract=ca.contract, kind=ContractEventKind.DELIVERABLE_ACCEPTED)
        .values_list("deliverable", flat=True))
    assert codes == {"ops-monthly", "ops-monthly-10"}
    assert october.events.get(action=SubmissionAction.ACCEPT).data == {
        "contract_events": ["ops-monthly-10"]}
