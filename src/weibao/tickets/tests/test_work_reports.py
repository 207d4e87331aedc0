"""The fault report (TKT-06): draft, parts from the ledger, submit, approve with a signature,
reject with a reason; the PDF; the device archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.assets.models import Asset, AssetEvent
from weibao.core.crypto import digest
from weibao.security.signing import signature_valid
from weibao.spares.models import StockBalance, StockMovement
from weibao.tickets import services
from weibao.tickets.choices import ReportStatus, TicketState
from weibao.tickets.models import FaultReport, Ticket
from weibao.tickets.services import IllegalTransition, TicketConflict
from weibao.tickets.tests.conftest import Setup
from weibao.tickets.tests.work_helpers import SIGNATURE, restored, stocked, submitted


def test_tkt06_a_draft_is_saved_after_restoration_and_edited(ca: Setup):
    ticket = restored(ca)
    report = services.save_report(ticket, ca.people["engineer"], cause="积灰", actions="清洁")
    assert report.status == ReportStatus.DRAFT and report.author == ca.people["engineer"]
    report = services.save_report(ticket, ca.people["engineer"], cause="磁头积灰",
                                  actions="清洁", prevention="定期清洁")
    assert FaultReport.objects.get(ticket=ticket).cause == "磁头积灰"


def test_tkt06_no_report_before_restoration(ca: Setup):
    ticket = ca.report("2025-10-10 10:00")
    with pytest.raises(IllegalTransition):
        services.save_report(ticket, ca.people["engineer"], cause="x", actions="y")


def test_tkt06_purchaser_and_outsider_cannot_write_the_report(ca: Setup):
    ticket = restored(ca)
    for who in ("purchaser", "outsider"):
        with pytest.raises(PermissionDenied):
            services.save_report(ticket, ca.people[who], cause="x", actions="y")


@pytest.mark.pdf
def test_tkt06_submit_needs_cause_and_actions_then_moves_the_ticket(ca: Setup):
    ticket = restored(ca)
    with pytest.raises(ValidationError):
        services.submit_report(ticket, ca.people["engineer"])
    services.save_report(ticket, ca.people["engineer"], cause="", actions="")
    with pytest.raises(ValidationError) as caught:
        services.submit_report(ticket, ca.people["engineer"])
    assert set(caught.value.message_dict) == {"cause", "actions"}
    services.save_report(ticket, ca.people["engineer"], cause="积灰", actions="清洁")
    report = services.submit_report(ticket, ca.people["engineer"])
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REPORT_SUBMITTED
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert report.pdf.read().startswith(b"%PDF")


@pytest.mark.pdf
def test_tkt06_a_submitted_report_cannot_be_edited(ca: Setup):
    ticket = submitted(ca)
    with pytest.raises(TicketConflict):
        services.save_report(ticket, ca.people["engineer"], cause="x", actions="y")
    with pytest.raises(TicketConflict):
        services.submit_report(ticket, ca.people["engineer"])


def test_tkt06_parts_issue_lands_in_the_ledger_with_the_ticket_reference(ca: Setup):
    ticket = restored(ca)
    warehouse, part = stocked(ca)
    movement = services.issue_parts(ticket, ca.people["engineer"], warehouse=warehouse,
                                    part_type=part, quantity=2)
    assert (movement.reference_kind, movement.reference_id) == ("ticket", str(ticket.pk))
    assert movement.quantity == -2
    assert StockBalance.objects.get(warehouse=warehouse, part_type=part).on_hand == 3
    assert list(services.report_movements(ticket)) == [movement]
    assert ticket.events.filter(action="issue_parts").exists()


def test_tkt06_parts_beyond_stock_or_of_another_contract_are_refused(ca: Setup, outlets: Setup):
    ticket = restored(ca)
    warehouse, part = stocked(ca, quantity=1)
    with pytest.raises(ValidationError):
        services.issue_parts(ticket, ca.people["engineer"], warehouse=warehouse,
                             part_type=part, quantity=2)
    from weibao.spares.models import Warehouse
    other = Warehouse.objects.create(contract=outlets.contract, code="x", name="其他库")
    with pytest.raises(ValidationError):
        services.issue_parts(ticket, ca.people["engineer"], warehouse=other, part_type=part,
                             quantity=1)
    with pytest.raises(PermissionDenied):
        services.issue_parts(ticket, ca.people["purchaser"], warehouse=warehouse,
                             part_type=part, quantity=1)
    assert not StockMovement.objects.filter(reference_kind="ticket").exists()


@pytest.mark.pdf
def test_tkt06_purchaser_approves_with_a_signature_and_assets_get_an_archive_entry(ca: Setup):
    ups = Asset.objects.get(contract=ca.contract, code="ups-imv-s6")
    ticket = submitted(ca, assets=[ups])
    first_pdf = FaultReport.objects.get(ticket=ticket).pdf.name
    report = services.approve_report(ticket, ca.people["purchaser"], signature=SIGNATURE,
                                      signer_name="张三")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.VERIFIED
    assert report.status == ReportStatus.APPROVED and report.signer_name == "张三"
    with FaultReport.objects.get(ticket=ticket).signature.open("rb") as handle:
        assert handle.read().startswith(b"\x89PNG")
    assert report.pdf.name != first_pdf
    # PLT-03: the signed PDF's digest carries the installation's SM2 signature
    with report.pdf.open("rb") as handle:
        signed = digest(handle.read(), "sm3")
    assert signature_valid("tickets.report", report.pk, signed) is True
    event = AssetEvent.objects.filter(asset=ups, source_kind="ticket",
                                      source_id=str(ticket.pk)).order_by("-pk").first()
    assert event is not None and "读卡机磁头积灰" in event.summary


@pytest.mark.pdf
def test_tkt06_engineer_cannot_approve_and_a_signature_is_required(ca: Setup):
    ticket = submitted(ca)
    with pytest.raises(PermissionDenied):
        services.approve_report(ticket, ca.people["engineer"], signature=SIGNATURE)
    for bad in ("", "data:image/jpeg;base64,AAAA", "not base64!", "aGVsbG8="):
        with pytest.raises(ValidationError):
            services.approve_report(ticket, ca.people["purchaser"], signature=bad)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORT_SUBMITTED


@pytest.mark.pdf
def test_tkt06_reject_needs_a_reason_and_returns_the_report_to_the_engineer(ca: Setup):
    ticket = submitted(ca)
    with pytest.raises(ValidationError):
        services.reject_report(ticket, ca.people["purchaser"], reason=" ")
    report = services.reject_report(ticket, ca.people["purchaser"], reason="原因分析不充分")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESTORED and ticket.report_submitted_at is None
    assert report.status == ReportStatus.REJECTED
    with pytest.raises(IllegalTransition):
        services.approve_report(ticket, ca.people["purchaser"], signature=SIGNATURE)
    report = services.save_report(ticket, ca.people["engineer"], cause="磁头老化",
                                  actions="更换")
    assert report.status == ReportStatus.DRAFT
    services.submit_report(ticket, ca.people["engineer"])
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.REPORT_SUBMITTED


def test_tkt06_pdf_lists_timeline_sla_and_parts(ca: Setup):
    from weibao.tickets.pdf import report_context

    ticket = restored(ca)
    warehouse, part = stocked(ca)
    services.issue_parts(ticket, ca.people["engineer"], warehouse=warehouse, part_type=part,
                         quantity=1)
    services.save_report(ticket, ca.people["engineer"], cause="积灰", actions="清洁")
    context = report_context(FaultReport.objects.get(ticket=ticket))
    assert [e.action for e in context["events"]][:3] == ["report", "acknowledge", "restore"]
    assert context["stages"], "seed 002 has SLA stages on fault tickets"
    assert [m.part_type for m in context["movements"]] == [part]
    from django.template.loader import render_to_string
    html = render_to_string("tickets/work/report_pdf.html", context)
    assert "积灰" in html and str(part) in html and context["stages"][0].name in html
