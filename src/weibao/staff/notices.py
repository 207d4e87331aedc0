"""Notification events of the staff domain (STF-04, STF-05), raised after the write commits:
the purchaser hears of a personnel change or an attendance correction awaiting them; whoever
asked hears of the decision."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.notifications.events import publish, register
from weibao.staff.models import AttendanceCorrection, PersonnelChange

__all__ = ["change_decided", "change_requested", "correction_decided", "correction_requested",
           "register_events"]

EVENTS = {
    "staff.change_requested": (_("Personnel change requested"), ("role:purchaser_staff",)),
    "staff.change_decided": (_("Personnel change decided"), ("subject",
                                                             "role:vendor_manager")),
    "staff.correction_requested": (_("Attendance correction requested"),
                                   ("role:purchaser_staff",)),
    "staff.correction_decided": (_("Attendance correction decided"), ("subject",)),
}


def register_events() -> None:
    for kind, (label, recipients) in EVENTS.items():
        register(kind, label, *recipients)


def _changes_link(change: PersonnelChange) -> str:
    return f"{reverse('staff:changes')}?contract={change.contract_id}"


def change_requested(change: PersonnelChange) -> None:
    publish("staff.change_requested", key=f"change-{change.pk}", contract=change.contract_id,
            subject=_("Personnel change: %(leaving)s leaves on %(day)s")
            % {"leaving": change.leaving.name, "day": change.effective_on},
            body=change.reason[:500], link=_changes_link(change))


def change_decided(change: PersonnelChange) -> None:
    publish("staff.change_decided", key=f"change-{change.pk}-{change.status}",
            contract=change.contract_id,
            subject=_("Personnel change of %(leaving)s: %(status)s")
            % {"leaving": change.leaving.name, "status": change.get_status_display()},
            body=change.decision_note[:500], link=_changes_link(change),
            people={"subject": [change.requested_by_id]})


def _attendance_link(correction: AttendanceCorrection) -> str:
    day = correction.day
    return (f"{reverse('staff:attendance')}?contract={day.member.contract_id}"
            f"&month={day.day:%Y-%m}")


def correction_requested(correction: AttendanceCorrection) -> None:
    day = correction.day
    publish("staff.correction_requested", key=f"correction-{correction.pk}",
            contract=day.member.contract_id,
            subject=_("Attendance correction: %(member)s on %(day)s")
            % {"member": day.member.name, "day": day.day},
            body=correction.reason[:500], link=_attendance_link(correction))


def correction_decided(correction: AttendanceCorrection) -> None:
    day = correction.day
    publish("staff.correction_decided", key=f"correction-{correction.pk}-{correction.status}",
            contract=day.member.contract_id,
            subject=_("Attendance correction of %(member)s on %(day)s: %(status)s")
            % {"member": day.member.name, "day": day.day,
               "status": correction.get_status_display()},
            link=_attendance_link(correction), people={"subject": [correction.requested_by_id]})
