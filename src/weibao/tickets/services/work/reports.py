"""运维故障报告 (TKT-06): the engineer's report after restoration, the parts it used, and the
purchaser's review (approve with a drawn signature, or reject with a reason).

Submitting, approving and rejecting are lifecycle steps (``submit_report``, ``verify``,
``reject_report``): each service here moves the report and the ticket together in one
transaction, so a report is never "approved" on a ticket that is not verified.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.crypto import digest, document_digest_algorithm
from weibao.notifications import publishers as notify
from weibao.security.signing import SignedDocument, seal_document
from weibao.tickets.choices import ReportStatus, TicketCategory, TicketState
from weibao.tickets.models import FaultReport, Ticket, TicketEvent
from weibao.tickets.services.errors import IllegalTransition, TicketConflict
from weibao.tickets.services.tickets import _locked, transition
from weibao.tickets.workflow import allowed_actions
from weibao.utils.files import file_reader, remove_files_on_error, track_new_file

if TYPE_CHECKING:
    from weibao.core.models import User
    from weibao.spares.models import PartType, StockMovement, Warehouse

__all__ = ["approve_report", "decode_signature", "issue_parts", "reject_report",
           "report_movements", "save_report", "submit_report"]

# A drawn signature is a small PNG; anything bigger is not a signature.
MAX_SIGNATURE_BYTES = 512 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_EDITABLE = (ReportStatus.DRAFT, ReportStatus.REJECTED)


def decode_signature(value: str | bytes) -> bytes:
    """The PNG bytes of a signature given as a ``data:image/png;base64,…`` URL (what the
    signature pad produces), plain base64, or bytes. Anything else is refused."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("data:"):
            header, _sep, text = text.partition(",")
            if header != "data:image/png;base64":
                raise ValidationError({"signature": _("The signature must be a PNG image.")})
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"signature": _("The signature could not be read.")}) from None
    else:
        data = value
    if not data:
        raise ValidationError({"signature": _("Sign in the box before approving.")})
    if not data.startswith(_PNG):
        raise ValidationError({"signature": _("The signature must be a PNG image.")})
    if len(data) > MAX_SIGNATURE_BYTES:
        raise ValidationError({"signature": _("The signature image is too large.")})
    return data


def report_movements(ticket: Ticket) -> QuerySet[StockMovement]:
    """The spare-parts ledger's movements booked against this ticket (SPR-02)."""
    from weibao.spares.choices import ReferenceKind
    from weibao.spares.models import StockMovement

    return (StockMovement.objects.filter(contract_id=ticket.contract_id,
                                         reference_kind=ReferenceKind.TICKET,
                                         reference_id=str(ticket.pk))
            .select_related("part_type", "warehouse").order_by("occurred_at", "pk"))


def _require(actor: User, perm: str, ticket: Ticket) -> None:
    if not actor.has_perm(perm, ticket):
        raise PermissionDenied(_("Your role may not do this."))


def _editable_report(ticket: Ticket) -> FaultReport | None:
    report = FaultReport.objects.select_for_update().filter(ticket=ticket).first()
    if report is not None and report.status not in _EDITABLE:
        raise TicketConflict(
            _("The fault report is %(status)s and can no longer be changed.")
            % {"status": ReportStatus(report.status).label},
            allowed=allowed_actions(ticket.state), version=ticket.version)
    return report


def _after_restoration(ticket: Ticket) -> None:
    if ticket.state != TicketState.RESTORED:
        raise IllegalTransition(
            _("The fault report is written after the service is restored; the ticket is "
              "%(state)s.") % {"state": TicketState(ticket.state).label},
            allowed=allowed_actions(ticket.state), version=ticket.version)


@transaction.atomic
def save_report(ticket: Ticket | int, actor: User, *, cause: str, actions: str,
                prevention: str = "", parts_used: str = "") -> FaultReport:
    """Save the report as a draft (TKT-06). A rejected report becomes a draft again."""
    locked = _locked(ticket, None)
    _require(actor, "tickets.change_faultreport", locked)
    _after_restoration(locked)
    report = _editable_report(locked) or FaultReport(ticket=locked, author=actor)
    report.cause, report.actions = cause.strip(), actions.strip()
    report.prevention, report.parts_used = prevention.strip(), parts_used.strip()
    report.status = ReportStatus.DRAFT
    report.author = report.author or actor
    report.save()
    return report


@transaction.atomic
def issue_parts(ticket: Ticket | int, actor: User, *, warehouse: Warehouse,
                part_type: PartType, quantity: int, proposal_reference: str = "",
                reason: str = "") -> StockMovement:
    """Take parts out of a warehouse for this ticket: an issue movement in the spare-parts
    ledger referencing the ticket (TKT-06, SPR-02), listed on the fault report."""
    from weibao.spares import services as spares
    from weibao.spares.choices import ReferenceKind

    locked = _locked(ticket, None)
    _require(actor, "tickets.work_ticket", locked)
    if not actor.has_perm("spares.add_stockmovement"):
        raise PermissionDenied(_("Your role may not take parts from the stock."))
    if warehouse.contract_id != locked.contract_id:
        raise ValidationError({"warehouse": _("This warehouse belongs to another contract.")})
    if locked.state in (TicketState.REPORTED, TicketState.CLOSED):
        raise IllegalTransition(
            _("Parts are issued while the ticket is being worked; it is %(state)s.")
            % {"state": TicketState(locked.state).label},
            allowed=allowed_actions(locked.state), version=locked.version)
    _editable_report(locked)
    movement = spares.issue(warehouse=warehouse, part_type=part_type, quantity=quantity,
                            actor=actor, reference_kind=ReferenceKind.TICKET,
                            reference_id=str(locked.pk), proposal_reference=proposal_reference,
                            reason=reason or _("Ticket %(number)s") % {"number": locked.number})
    TicketEvent.objects.create(
        ticket=locked, action="issue_parts", from_state=locked.state, to_state=locked.state,
        actor=actor, occurred_at=movement.occurred_at,
        comment=f"{part_type} × {quantity}",
        data={"movement": movement.pk, "part_type": part_type.code, "quantity": quantity,
              "warehouse": warehouse.code})
    return movement


def submit_report(ticket: Ticket | int, actor: User, *, expected_version: int | None = None,
                  at: datetime.datetime | None = None) -> FaultReport:
    """Submit the draft: the ticket takes the ``submit_report`` step and the PDF is
    rendered (TKT-06)."""
    with remove_files_on_error(), transaction.atomic():
        locked = _locked(ticket, expected_version)
        _require(actor, "tickets.change_faultreport", locked)
        report = _editable_report(locked)
        if report is None:
            raise ValidationError({"cause": _("Write the fault report before submitting it.")})
        errors = {}
        if not report.cause:
            errors["cause"] = _("Say what caused the fault.")
        if not report.actions:
            errors["actions"] = _("Say what was done to restore the service.")
        if errors:
            raise ValidationError(errors)
        locked = transition(locked, "submit_report", actor, at=at,
                            comment=_("Fault report submitted"))
        report.ticket = locked
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = locked.report_submitted_at
        report.reviewer, report.reviewed_at, report.review_comment = None, None, ""
        _store_pdf(report)
        report.save()
        notify.fault_report_submitted(report)
        return report


def _submitted_report(ticket: Ticket) -> FaultReport:
    report = FaultReport.objects.select_for_update().filter(ticket=ticket).first()
    if report is None or report.status != ReportStatus.SUBMITTED:
        raise IllegalTransition(
            _("There is no submitted fault report to review."),
            allowed=allowed_actions(ticket.state), version=ticket.version)
    return report


def approve_report(ticket: Ticket | int, actor: User, *, signature: str | bytes,
                   signer_name: str = "", comment: str = "",
                   expected_version: int | None = None) -> FaultReport:
    """The purchaser approves with a drawn signature: the ticket is verified, the signature
    stored, the PDF regenerated with it, and each affected asset's archive notes the
    report (TKT-06, AST-03)."""
    with remove_files_on_error(), transaction.atomic():
        locked = _locked(ticket, expected_version)
        _require(actor, "tickets.verify_ticket", locked)
        report = _submitted_report(locked)
        png = decode_signature(signature)
        locked = transition(locked, "verify", actor, comment=comment)
        report.ticket = locked
        report.status = ReportStatus.APPROVED
        report.reviewer, report.reviewed_at = actor, locked.verified_at
        report.review_comment = comment.strip()
        report.signer_name = (signer_name.strip() or actor.get_full_name()
                              or actor.username)[:60]
        name = f"ticket-{locked.pk}-signature.png"
        report.signature.save(name, ContentFile(png), save=False)
        track_new_file(report.signature.storage, report.signature.name or "")
        _store_pdf(report)
        report.save()
        _archive(locked, report, actor)
        return report


def reject_report(ticket: Ticket | int, actor: User, *, reason: str,
                  expected_version: int | None = None) -> FaultReport:
    """The purchaser sends the report back with a reason; the ticket returns to restored
    and the engineer edits and submits again (TKT-06)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    with transaction.atomic():
        locked = _locked(ticket, expected_version)
        _require(actor, "tickets.verify_ticket", locked)
        report = _submitted_report(locked)
        locked = transition(locked, "reject_report", actor, comment=reason.strip())
        report.ticket = locked
        report.status = ReportStatus.REJECTED
        report.reviewer, report.reviewed_at = actor, timezone.now()
        report.review_comment = reason.strip()
        report.save()
        notify.fault_report_rejected(report)
        return report


def _store_pdf(report: FaultReport) -> None:
    from weibao.tickets.pdf import render_report_pdf

    old = report.pdf.name if report.pdf else ""
    content = render_report_pdf(report)
    report.pdf.save(f"{report.ticket.number}.pdf", ContentFile(content), save=False)
    track_new_file(report.pdf.storage, report.pdf.name or "")
    algorithm = document_digest_algorithm()
    seal_document(REPORT_DOCUMENT, report.pk, algorithm, digest(content, algorithm))
    if old and old != report.pdf.name:
        storage = report.pdf.storage
        transaction.on_commit(lambda: storage.delete(old))


def _archive(ticket: Ticket, report: FaultReport, actor: User) -> None:
    """AST-03: the approved report lands in each affected asset's device archive."""
    from weibao.assets.choices import EventKind
    from weibao.assets.services.archive import record_asset_event

    kind = (EventKind.REPAIR if ticket.ticket_type.category
            in (TicketCategory.FAULT, TicketCategory.SECURITY_INCIDENT)
            else EventKind.MAINTENANCE)
    parts = [f"{m.part_type} × {-m.quantity}" for m in report_movements(ticket)]
    for asset in ticket.assets.all():
        record_asset_event(
            asset, kind, ticket.verified_at or timezone.now(), actor,
            _("Fault report of ticket %(number)s approved: %(cause)s")
            % {"number": ticket.number, "cause": report.cause[:200]},
            details={"cause": report.cause, "actions": report.actions,
                     "prevention": report.prevention, "parts": parts},
            source_kind="ticket", source_id=str(ticket.pk))


REPORT_DOCUMENT = "tickets.report"


def signed_reports() -> Iterator[SignedDocument]:
    """Every fault report with a stored PDF, for ``weibao audit documents``."""
    for report in (FaultReport.objects.exclude(pdf="").select_related("ticket")
                   .only("pk", "pdf", "ticket__number").iterator()):
        yield SignedDocument(str(report.pk), file_reader(report.pdf), "", report.ticket.number)
