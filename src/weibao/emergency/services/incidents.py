"""Security incidents (信息安全事件, EMG-03 [001 L134, 002 §9.1.1 1]).

Reported first to the purchaser's responsible person ("第一时间向甲方负责人报告"), then worked
through the phases in their only order::

    preparation → assessment → containment → eradication → summary → closed

- the disposal plan ("拟订处置方案报经甲方同意后组织实施") is submitted by the vendor and
  approved (or rejected with a reason) by the purchaser; eradication cannot start before;
- closing needs the incident report filed ("形成安全事件报告报甲方备案").

Every action locks the incident, checks the caller's ``expected_version`` and bumps it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.errors import ServiceError
from weibao.emergency.choices import DisposalPlanStatus, IncidentPhase
from weibao.emergency.models import SecurityIncident
from weibao.emergency.services.common import (
    PURCHASER,
    EmergencyConflict,
    lock_current,
    require,
    require_party,
    text,
)
from weibao.notifications import publishers as notify
from weibao.tickets.models import Ticket

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["NEXT_PHASE", "NOTES", "advance_phase", "decide_disposal_plan", "file_report",
           "report_incident", "submit_disposal_plan"]

#: The transition table: each phase has exactly one next phase.
NEXT_PHASE: dict[str, str] = {
    IncidentPhase.PREPARATION: IncidentPhase.ASSESSMENT,
    IncidentPhase.ASSESSMENT: IncidentPhase.CONTAINMENT,
    IncidentPhase.CONTAINMENT: IncidentPhase.ERADICATION,
    IncidentPhase.ERADICATION: IncidentPhase.SUMMARY,
    IncidentPhase.SUMMARY: IncidentPhase.CLOSED,
}
#: The field holding the notes written during each phase.
NOTES: dict[str, str] = {
    IncidentPhase.PREPARATION: "preparation_notes",
    IncidentPhase.ASSESSMENT: "assessment_notes",
    IncidentPhase.CONTAINMENT: "containment_notes",
    IncidentPhase.ERADICATION: "eradication_notes",
    IncidentPhase.SUMMARY: "summary",
}
_PLAN_PHASES = (IncidentPhase.PREPARATION, IncidentPhase.ASSESSMENT, IncidentPhase.CONTAINMENT)


def _next_number(contract: Contract, when: datetime.datetime) -> str:
    prefix = f"SI-{timezone.localtime(when):%Y}-"
    taken = SecurityIncident.objects.filter(contract=contract, number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def report_incident(contract: Contract, user: User, *, title: str, description: str,
                    discovered_at: datetime.datetime, reported_to: User,
                    system: Asset | None = None, ticket: Ticket | None = None
                    ) -> SecurityIncident:
    """The incident is reported to ``reported_to``, a person of the purchaser."""
    require(user, "emergency.add_securityincident", contract,
            _("Your role may not report security incidents on this contract."))
    Contract.objects.select_for_update().filter(pk=contract.pk).exists()
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    for field, value, message in (
            ("title", title, _("Give the incident a title.")),
            ("description", description, _("Describe what was found."))):
        if not (value or "").strip():
            errors[field] = [message]
    if discovered_at is None:
        errors["discovered_at"] = [_("Give the time the incident was found.")]
    elif discovered_at > now:
        errors["discovered_at"] = [_("The incident cannot be found in the future.")]
    if system is not None and system.contract_id != contract.pk:
        errors["system"] = [_("Choose a system of this contract.")]
    if ticket is not None and ticket.contract_id != contract.pk:
        errors["ticket"] = [_("Choose a ticket of this contract.")]
    if errors:
        raise ServiceError(errors)
    require_party(contract, reported_to, "reported_to", roles=PURCHASER,
                  message=_("The incident is reported first to the purchaser: choose a "
                            "person of the purchaser."))
    incident = SecurityIncident.objects.create(
        contract=contract, number=_next_number(contract, now), title=title.strip()[:200],
        description=description.strip(), discovered_at=discovered_at, reported_at=now,
        reported_by=user, reported_to=reported_to, system=system, ticket=ticket)
    notify.incident_reported(incident)
    return incident


def _work(incident: SecurityIncident | int, user: User,
          expected_version: int | None) -> SecurityIncident:
    locked = lock_current(SecurityIncident, incident, expected_version)
    require(user, "emergency.work_securityincident", locked.contract,
            _("Your role may not work security incidents of this contract."))
    return locked


def _save(incident: SecurityIncident) -> SecurityIncident:
    incident.version += 1
    incident.save()
    return incident


@transaction.atomic
def advance_phase(incident: SecurityIncident | int, user: User, to: str, *, notes: str = "",
                  expected_version: int | None = None) -> SecurityIncident:
    """Leave the current phase for the next one, keeping the notes of the phase left."""
    locked = _work(incident, user, expected_version)
    current = IncidentPhase(locked.phase)
    if NEXT_PHASE.get(current) != to:
        expected = NEXT_PHASE.get(current)
        raise EmergencyConflict(
            _("The phases go in order: from %(current)s the next phase is %(next)s, "
              "not %(to)s.") % {"current": current.label,
                                "next": IncidentPhase(expected).label if expected else "—",
                                "to": IncidentPhase(to).label if to in IncidentPhase.values
                                else to}, version=locked.version)
    if to == IncidentPhase.ERADICATION and locked.plan_status != DisposalPlanStatus.APPROVED:
        raise EmergencyConflict(_("Eradication starts only after the purchaser has approved "
                                  "the disposal plan."), version=locked.version)
    if to == IncidentPhase.CLOSED and locked.report_filed_at is None:
        raise EmergencyConflict(_("File the incident report before closing the incident."),
                                version=locked.version)
    field = NOTES[current]
    cleaned = (notes or "").strip()
    if cleaned:
        setattr(locked, field, cleaned)
    if not getattr(locked, field).strip() and current != IncidentPhase.SUMMARY:
        raise ServiceError({"notes": [_("Write what was done in the %(phase)s phase.")
                                      % {"phase": current.label}]})
    locked.phase = to
    if to == IncidentPhase.CLOSED:
        locked.closed_at = timezone.now()
    return _save(locked)


@transaction.atomic
def submit_disposal_plan(incident: SecurityIncident | int, user: User, plan: str, *,
                         expected_version: int | None = None) -> SecurityIncident:
    """The vendor submits (or, after a rejection, resubmits) the disposal plan."""
    locked = _work(incident, user, expected_version)
    if locked.phase not in _PLAN_PHASES:
        raise EmergencyConflict(_("The disposal plan is submitted before eradication."),
                                version=locked.version)
    if locked.plan_status == DisposalPlanStatus.APPROVED:
        raise EmergencyConflict(_("The disposal plan is already approved."),
                                version=locked.version)
    locked.disposal_plan = text(plan, "disposal_plan", _("Write the disposal plan."))
    locked.plan_status = DisposalPlanStatus.SUBMITTED
    locked.plan_submitted_at = timezone.now()
    locked.plan_decided_by, locked.plan_decided_at, locked.plan_reason = None, None, ""
    _save(locked)
    notify.disposal_plan_submitted(locked)
    return locked


@transaction.atomic
def decide_disposal_plan(incident: SecurityIncident | int, user: User, *, approve: bool,
                         reason: str = "", expected_version: int | None = None
                         ) -> SecurityIncident:
    """The purchaser approves the submitted plan, or rejects it saying why."""
    locked = lock_current(SecurityIncident, incident, expected_version)
    require(user, "emergency.approve_disposal_plan", locked.contract,
            _("Only the purchaser approves a disposal plan."))
    if locked.plan_status != DisposalPlanStatus.SUBMITTED:
        raise EmergencyConflict(_("There is no disposal plan awaiting approval."),
                                version=locked.version)
    cleaned = (reason or "").strip()
    if not approve and not cleaned:
        raise ServiceError({"reason": [_("Say why the plan is rejected.")]})
    locked.plan_status = (DisposalPlanStatus.APPROVED if approve
                          else DisposalPlanStatus.REJECTED)
    locked.plan_decided_by, locked.plan_decided_at = user, timezone.now()
    locked.plan_reason = cleaned
    _save(locked)
    notify.disposal_plan_decided(locked)
    return locked


@transaction.atomic
def file_report(incident: SecurityIncident | int, user: User, *, summary: str,
                report: Any = None, expected_version: int | None = None) -> SecurityIncident:
    """In the summary phase: the summary (发现、原因、影响、处置过程、改进) and the report filed
    with the purchaser — the vendor's own file (PDF or other document), else a PDF weibao
    writes from the record (``emergency.pdf``)."""
    locked = _work(incident, user, expected_version)
    if locked.phase != IncidentPhase.SUMMARY:
        raise EmergencyConflict(_("The report is filed in the summary phase."),
                                version=locked.version)
    locked.summary = text(summary, "summary", _("Write the incident's summary."))
    if report:
        locked.report = report
    elif not locked.report:
        from django.core.files.base import ContentFile

        from weibao.emergency.pdf import render_incident_pdf

        locked.report = ContentFile(render_incident_pdf(locked),
                                    name=f"{locked.number}.pdf")
    locked.report_filed_at = timezone.now()
    return _save(locked)
