"""Security incidents (EMG-03 [001 L134, 002 §9.1.1]): reported first to the purchaser, the
phases in their only order, eradication refused before the purchaser approves the disposal
plan, the report filed before closing, a ticket linked."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weibao.assets.models import Asset
from weibao.emergency.choices import DisposalPlanStatus, IncidentPhase
from weibao.emergency.models import SecurityIncident
from weibao.emergency.services.common import EmergencyConflict
from weibao.emergency.services.incidents import (
    NEXT_PHASE,
    advance_phase,
    decide_disposal_plan,
    file_report,
    report_incident,
    submit_disposal_plan,
)
from weibao.testing.examples import Setup, at
from weibao.tickets.models import TicketType
from weibao.tickets.services.tickets import TicketInput, create_ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report(setup: Setup, **extra: Any) -> SecurityIncident:
    values: dict[str, Any] = {
        "title": "门户网站页面被篡改", "description": "监测发现首页被植入外链",
        "discovered_at": at("2025-06-01 09:00"), "reported_to": setup.people["purchaser"]}
    values.update(extra)
    return report_incident(setup.contract, setup.people["engineer"], **values)


def test_emg03_reported_first_to_the_purchaser(onsite: Setup) -> None:
    """EMG-03 [001 L134 第一时间向甲方负责人报告]: the incident names the purchaser's person; a
    person of the vendor or of another organisation is refused."""
    incident = report(onsite)
    assert incident.reported_to == onsite.people["purchaser"]
    assert incident.phase == IncidentPhase.PREPARATION
    assert incident.number == f"SI-{timezone.localdate():%Y}-0001"
    assert report(onsite).number.endswith("-0002")
    for person in ("manager", "outsider"):
        with pytest.raises(ValidationError) as error:
            report(onsite, reported_to=onsite.people[person])
        assert "purchaser" in error.value.message_dict["reported_to"][0]


def test_emg03_links_a_ticket_of_the_contract(onsite: Setup, ca: Setup) -> None:
    """EMG-03: an incident may point at its ticket (category security_incident); a ticket of
    another contract or a system of another contract is refused."""
    kind = TicketType.objects.get(contract=onsite.contract, code="security_incident")
    ticket = create_ticket(TicketInput(contract=onsite.contract, ticket_type=kind,
                                       title="安全事件", reporter=onsite.people["purchaser"]),
                           onsite.people["purchaser"])
    incident = report(onsite, ticket=ticket)
    assert list(ticket.security_incidents.all()) == [incident]
    other_system = Asset.objects.filter(contract=ca.contract).first()
    with pytest.raises(ValidationError) as error:
        report(ca, ticket=ticket)
    assert "ticket" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(onsite, system=other_system)
    assert "system" in error.value.message_dict


def test_emg03_phases_in_order_eradication_after_approval(onsite: Setup) -> None:
    """EMG-03: no phase is skipped; eradication is refused until the purchaser approves the
    disposal plan; a rejected plan is resubmitted; closing needs the report filed."""
    engineer, purchaser = onsite.people["engineer"], onsite.people["purchaser"]
    incident = report(onsite)
    with pytest.raises(EmergencyConflict, match="phases go in order"):
        advance_phase(incident, engineer, IncidentPhase.CONTAINMENT, notes="x")
    with pytest.raises(ValidationError):
        advance_phase(incident, engineer, IncidentPhase.ASSESSMENT)  # no notes of the phase
    incident = advance_phase(incident, engineer, IncidentPhase.ASSESSMENT,
                             notes="启动应急小组", expected_version=incident.version)
    incident = advance_phase(incident, engineer, IncidentPhase.CONTAINMENT,
                             notes="原因：弱口令；影响：首页")
    with pytest.raises(EmergencyConflict, match="approved the disposal plan"):
        advance_phase(incident, engineer, IncidentPhase.ERADICATION, notes="已下线页面")
    with pytest.raises(EmergencyConflict, match="no disposal plan awaiting"):
        decide_disposal_plan(incident, purchaser, approve=True)
    incident = submit_disposal_plan(incident, engineer, "清除外链、修改口令、加固")
    with pytest.raises(PermissionDenied):
        decide_disposal_plan(incident, engineer, approve=True)
    with pytest.raises(ValidationError):
        decide_disposal_plan(incident, purchaser, approve=False)
    incident = decide_disposal_plan(incident, purchaser, approve=False, reason="缺少取证")
    assert incident.plan_status == DisposalPlanStatus.REJECTED
    with pytest.raises(EmergencyConflict):
        advance_phase(incident, engineer, IncidentPhase.ERADICATION, notes="已下线页面")
    incident = submit_disposal_plan(incident, engineer, "先取证，再清除外链、修改口令")
    incident = decide_disposal_plan(incident, purchaser, approve=True)
    assert (incident.plan_status, incident.plan_decided_by) == (DisposalPlanStatus.APPROVED,
                                                                purchaser)
    with pytest.raises(EmergencyConflict, match="already approved"):
        submit_disposal_plan(incident, engineer, "改")
    incident = advance_phase(incident, engineer, IncidentPhase.ERADICATION, notes="已下线页面")
    incident = advance_phase(incident, engineer, IncidentPhase.SUMMARY, notes="已清除")
    with pytest.raises(EmergencyConflict, match="File the incident report"):
        advance_phase(incident, engineer, IncidentPhase.CLOSED)
    with pytest.raises(ValidationError) as error:
        file_report(incident, engineer, summary=" ")
    assert "summary" in error.value.message_dict
    incident = file_report(incident, engineer, summary="发现、原因、影响、处置与改进",
                           report=SimpleUploadedFile("report.pdf", PDF, "application/pdf"))
    assert incident.report.name.endswith(".pdf") and incident.report_filed_at is not None
    incident = advance_phase(incident, engineer, IncidentPhase.CLOSED)
    assert incident.phase == IncidentPhase.CLOSED and incident.closed_at is not None
    with pytest.raises(EmergencyConflict):
        advance_phase(incident, engineer, IncidentPhase.SUMMARY)


def test_emg03_transition_table_is_a_chain() -> None:
    """EMG-03: every phase but the last has exactly one next phase, in the order given."""
    order = [IncidentPhase(p) for p in IncidentPhase.values]
    assert dict(itertools.pairwise(order)) == NEXT_PHASE


def test_emg03_stale_version_and_roles(onsite: Setup, ca: Setup) -> None:
    """EMG-03: a stale version is refused; the purchaser does not work the incident, an
    outsider cannot report on the contract."""
    incident = report(onsite)
    with pytest.raises(EmergencyConflict, match="changed this record"):
        advance_phase(incident, onsite.people["engineer"], IncidentPhase.ASSESSMENT,
                      notes="x", expected_version=incident.version + 1)
    with pytest.raises(PermissionDenied):
        advance_phase(incident, onsite.people["purchaser"], IncidentPhase.ASSESSMENT,
                      notes="x")
    with pytest.raises(PermissionDenied):
        report_incident(onsite.contract, onsite.people["outsider"], title="x",
                        description="x", discovered_at=at("2025-06-01 09:00"),
                        reported_to=onsite.people["purchaser"])
    with pytest.raises(PermissionDenied):
        report_incident(onsite.contract, ca.people["engineer"], title="x", description="x",
                        discovered_at=at("2025-06-01 09:00"),
                        reported_to=onsite.people["purchaser"])


@pytest.mark.pdf
def test_emg03_report_written_as_pdf_without_a_file(onsite: Setup) -> None:
    """EMG-03 [001 L134 形成安全事件报告报甲方备案]: filed without a document of its own, the
    report is a PDF written from the record, holding the incident's number and summary."""
    import shutil
    import subprocess

    engineer, purchaser = onsite.people["engineer"], onsite.people["purchaser"]
    incident = report(onsite)
    for phase, notes in ((IncidentPhase.ASSESSMENT, "准备"), (IncidentPhase.CONTAINMENT, "分析")):
        incident = advance_phase(incident, engineer, phase, notes=notes)
    incident = submit_disposal_plan(incident, engineer, "清除外链")
    incident = decide_disposal_plan(incident, purchaser, approve=True)
    incident = advance_phase(incident, engineer, IncidentPhase.ERADICATION, notes="已隔离")
    incident = advance_phase(incident, engineer, IncidentPhase.SUMMARY, notes="已清除")
    incident = file_report(incident, engineer, summary="弱口令导致篡改，已加固")
    data = incident.report.read()
    assert data.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, "-enc", "UTF-8", incident.report.path, "-"],  # noqa: S603
                              capture_output=True, check=True, text=True).stdout
        assert incident.number in text and "弱口令导致篡改" in text
