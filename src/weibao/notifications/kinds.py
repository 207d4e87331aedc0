"""The event kinds of the landed domains (tickets, SLA, fault reports, emergency, staff) with
their default recipients; a contract spec's ``notifications`` rules replace the defaults for
the kinds they name. Later domains register theirs from their own ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.notifications.events import register

__all__ = ["BUILTIN", "register_builtin"]

BUILTIN = {
    # TKT-01: a new report reaches the vendor's managers and whoever is on duty (STF-04).
    "ticket.reported": (_("Ticket reported"), ("role:vendor_manager", "on_duty")),
    "ticket.assigned": (_("Ticket assigned"), ("assignee",)),
    "ticket.escalated": (_("Ticket escalated"), ("role:vendor_manager", "assignee", "on_duty")),
    # The spec's escalation steps name their own recipients; these are for a bare publish.
    "ticket.unacknowledged": (_("Ticket not acknowledged"), ("role:vendor_manager",)),
    # SLA-10: warnings before the deadline, breaches after it.
    "sla.warning": (_("SLA warning"), ("assignee", "role:vendor_manager", "on_duty")),
    "sla.breach": (_("SLA breach"), ("assignee", "role:vendor_manager")),
    "fault_report.submitted": (_("Fault report submitted"), ("role:purchaser_staff",)),
    "fault_report.rejected": (_("Fault report rejected"), ("assignee", "role:vendor_manager")),
    # RPT-03/RPT-05: a report due soon, a report late or missing.
    "reports.deliverable_due": (_("Report due"), ("role:vendor_manager",)),
    "reports.deliverable_late": (_("Report late"), ("role:vendor_manager",
                                                    "role:purchaser_staff")),
    "emergency.incident_reported": (_("Security incident reported"),
                                    ("subject", "role:vendor_manager")),
    "emergency.disposal_plan_submitted": (_("Disposal plan submitted"),
                                          ("subject", "role:purchaser_staff")),
    "emergency.disposal_plan_decided": (_("Disposal plan decided"),
                                        ("subject", "role:vendor_manager")),
    "emergency.drill_missed": (_("Drill missed"), ("role:vendor_manager",
                                                   "role:purchaser_staff")),
    # STF-02: the vendor's managers and the holder renew a certificate before it lapses.
    "staff.certificates_expiring": (_("Certificate expiring"), ("role:vendor_manager",
                                                               "subject")),
}


def register_builtin() -> None:
    for kind, (label, recipients) in BUILTIN.items():
        register(kind, label, *recipients)
