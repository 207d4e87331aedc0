"""The events of the landed domains, one function each, called by their services inside the
transaction (the event itself leaves after commit, :func:`events.publish`). Texts are written
here so the other apps carry one line each."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.notifications.events import Event, build, publish, publish_events

__all__ = ["certificate_expiring", "deliverables_due", "deliverables_late",
           "disposal_plan_decided", "disposal_plan_submitted",
           "drills_missed", "fault_report_rejected", "fault_report_submitted",
           "incident_reported", "is_level_one", "most_severe_level", "sla_alert_event",
           "ticket_assigned", "ticket_escalated", "ticket_reported", "ticket_unacknowledged"]


def _ticket_link(ticket: Any) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def most_severe_level(contract: Any) -> str | None:
    """The code of the contract's most severe fault level (一级), from the cached policy."""
    from weibao.sla.selectors import cached_contract_policy

    policy = cached_contract_policy(contract)
    levels = list(policy.levels) if policy is not None else []
    return levels[0].code if levels else None


def is_level_one(ticket: Any, first_level: str | None = None) -> bool:
    """A fault of the contract's most severe level (一级故障) or a raised priority: urgent,
    past anyone's quiet hours. ``first_level``: the level code when the caller knows it."""
    from weibao.tickets.choices import Priority

    if ticket.priority == Priority.HIGH:
        return True
    level = ticket.fault_level_override or ticket.fault_level
    if not level:
        return False
    return level == (first_level if first_level is not None
                     else most_severe_level(ticket.contract))


def _ticket_people(ticket: Any) -> dict[str, list[int | None]]:
    return {"assignee": [ticket.assignee_id], "reporter": [ticket.reporter_id]}


def ticket_reported(ticket: Any) -> None:
    """TKT-01: a new ticket."""
    publish("ticket.reported", key=f"ticket-{ticket.pk}", contract=ticket.contract_id,
            subject=_("New ticket %(number)s: %(title)s") % {"number": ticket.number,
                                                             "title": ticket.title},
            body=ticket.description[:500], link=_ticket_link(ticket),
            urgent=is_level_one(ticket), people=_ticket_people(ticket), at=ticket.reported_at)


def ticket_assigned(ticket: Any, event_id: int) -> None:
    if ticket.assignee_id is None:
        return
    publish("ticket.assigned", key=f"ticket-{ticket.pk}-event-{event_id}",
            contract=ticket.contract_id,
            subject=_("Ticket %(number)s assigned to you: %(title)s")
            % {"number": ticket.number, "title": ticket.title},
            link=_ticket_link(ticket), urgent=is_level_one(ticket),
            people=_ticket_people(ticket))


def ticket_escalated(ticket: Any, event_id: int, reason: str) -> None:
    """TKT-03: the purchaser raised the priority or the fault level."""
    publish("ticket.escalated", key=f"ticket-{ticket.pk}-event-{event_id}",
            contract=ticket.contract_id,
            subject=_("Ticket %(number)s escalated: %(title)s")
            % {"number": ticket.number, "title": ticket.title},
            body=reason, link=_ticket_link(ticket), urgent=is_level_one(ticket),
            people=_ticket_people(ticket))


def ticket_unacknowledged(ticket: Any, after_minutes: int, selectors: list[str],
                          urgent: bool) -> Event:
    """An escalation step: nobody has acknowledged the ticket ``after_minutes`` after its
    report (升级通知)."""
    return build("ticket.unacknowledged", key=f"ticket-{ticket.pk}-after-{after_minutes}",
                 contract=ticket.contract_id,
                 subject=_("Ticket %(number)s not acknowledged after %(minutes)s minutes: "
                           "%(title)s") % {"number": ticket.number, "minutes": after_minutes,
                                           "title": ticket.title},
                 link=_ticket_link(ticket), urgent=urgent, people=_ticket_people(ticket),
                 selectors=selectors)


def sla_alert_event(alert: Any, ticket: Any, stage_name: str, urgent: bool) -> Event:
    """SLA-10: one event per recorded warning or breach (and per missed progress update)."""
    from weibao.tickets.choices import AlertKind

    kind = "sla.breach" if alert.kind == AlertKind.BREACH else "sla.warning"
    subject = (_("SLA breach: %(stage)s of ticket %(number)s") if kind == "sla.breach"
               else _("SLA warning: %(stage)s of ticket %(number)s is due soon"))
    return build(kind, key=f"alert-{alert.pk}", contract=alert.contract_id,
                 subject=subject % {"stage": stage_name, "number": ticket.number},
                 body=_("%(title)s — due %(due)s") % {
                     "title": ticket.title,
                     "due": f"{alert.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"},
                 link=_ticket_link(ticket), urgent=urgent,
                 people=_ticket_people(ticket), at=alert.recorded_at)


def fault_report_submitted(report: Any) -> None:
    ticket = report.ticket
    publish("fault_report.submitted", key=f"report-{report.pk}-{report.submitted_at:%s}",
            contract=ticket.contract_id,
            subject=_("Fault report of ticket %(number)s to verify")
            % {"number": ticket.number},
            body=report.cause[:300], link=_ticket_link(ticket), people=_ticket_people(ticket))


def fault_report_rejected(report: Any) -> None:
    ticket = report.ticket
    publish("fault_report.rejected", key=f"report-{report.pk}-rejected-{report.reviewed_at:%s}",
            contract=ticket.contract_id,
            subject=_("Fault report of ticket %(number)s rejected") % {"number": ticket.number},
            body=report.review_comment, link=_ticket_link(ticket),
            people=_ticket_people(ticket))


def _incident_link(incident: Any) -> str:
    return reverse("emergency:incident", args=[incident.pk])


def incident_reported(incident: Any) -> None:
    """EMG-03: reported first to the purchaser's named person."""
    publish("emergency.incident_reported", key=f"incident-{incident.pk}",
            contract=incident.contract_id, urgent=True,
            subject=_("Security incident %(number)s: %(title)s")
            % {"number": incident.number, "title": incident.title},
            body=incident.description[:500], link=_incident_link(incident),
            people={"subject": [incident.reported_to_id],
                    "reporter": [incident.reported_by_id]})


def disposal_plan_submitted(incident: Any) -> None:
    publish("emergency.disposal_plan_submitted",
            key=f"incident-{incident.pk}-plan-{incident.version}", contract=incident.contract_id,
            subject=_("Disposal plan of incident %(number)s to approve")
            % {"number": incident.number},
            body=incident.disposal_plan[:500], link=_incident_link(incident),
            people={"subject": [incident.reported_to_id]})


def disposal_plan_decided(incident: Any) -> None:
    from weibao.emergency.choices import DisposalPlanStatus

    approved = incident.plan_status == DisposalPlanStatus.APPROVED
    subject = (_("Disposal plan of incident %(number)s approved") if approved
               else _("Disposal plan of incident %(number)s rejected"))
    publish("emergency.disposal_plan_decided",
            key=f"incident-{incident.pk}-decision-{incident.version}",
            contract=incident.contract_id, subject=subject % {"number": incident.number},
            body=incident.plan_reason, link=_incident_link(incident),
            people={"subject": [incident.reported_by_id]})


def drills_missed(drill_ids: list[int]) -> None:
    """EMG-02: drills whose window ended unheld."""
    if not drill_ids:
        return
    from weibao.emergency.models import Drill

    events = []
    for drill in Drill.objects.filter(pk__in=drill_ids).select_related("rule"):
        events.append(build(
            "emergency.drill_missed", key=f"drill-{drill.pk}", contract=drill.contract_id,
            subject=_("Drill missed: %(name)s") % {"name": drill.rule.name},
            body=_("The window ended on %(end)s without the drill being held.")
            % {"end": f"{drill.window_end:%Y-%m-%d}"},
            link=reverse("emergency:drill", args=[drill.pk])))
    publish_events(events)


def _submissions(kind: str, ids: list[int], suffix: str, subject: Any, body: Any) -> None:
    if not ids:
        return
    from weibao.reports.models import Submission

    events = []
    for row in Submission.objects.filter(pk__in=ids).select_related("deliverable").only(
            "pk", "contract_id", "due_at", "period_start", "period_end", "submitted_at",
            "deliverable__name"):
        values = {"name": row.deliverable.name,
                  "due": f"{timezone.localtime(row.due_at):%Y-%m-%d %H:%M}",
                  "start": f"{row.period_start:%Y-%m-%d}", "end": f"{row.period_end:%Y-%m-%d}"}
        events.append(build(kind, key=f"submission-{row.pk}-{suffix}",
                            contract=row.contract_id, subject=subject % values,
                            body=body % values,
                            link=reverse("reports:submission", args=[row.pk])))
    publish_events(events)


def deliverables_due(ids: list[int]) -> None:
    """RPT-03: a report is due within the reminder's working days."""
    _submissions("reports.deliverable_due", ids, "due",
                 _("Report due %(due)s: %(name)s"),
                 _("Period %(start)s – %(end)s; hand it in by %(due)s."))


def deliverables_late(ids: list[int]) -> None:
    """RPT-05: a report not handed in by its due time (or handed in late) is a breach."""
    _submissions("reports.deliverable_late", ids, "late",
                 _("Report late: %(name)s (due %(due)s)"),
                 _("Period %(start)s – %(end)s; the breach is recorded."))


def certificate_expiring(certificate: Any) -> Event:
    """STF-02: a member's certificate expires within the notice period."""
    member = certificate.member
    return build("staff.certificates_expiring",
                 key=f"certificate-{certificate.pk}-{certificate.expires_on:%Y%m%d}",
                 contract=member.contract_id,
                 subject=_("Certificate of %(name)s expires on %(date)s")
                 % {"name": member.name, "date": f"{certificate.expires_on:%Y-%m-%d}"},
                 body=certificate.name, link=reverse("staff:roster")
                 + f"?contract={member.contract_id}",
                 people={"subject": [member.user_id]})
