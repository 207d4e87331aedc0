"""Changing or withdrawing a major event (重大活动, PM-07) while none of its visits started.

An event's ``before_event`` visits are keyed by the event, not by its date, so a new date
cannot reuse them: the event's visits that never started are removed, and the re-planning
that follows every change of a contract's major events (``weibao.maintenance.signals``)
plans the day before the new date. Once an engineer checked in at one of its visits the
event is part of the record and stays as it is (409)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from weibao.maintenance.choices import VisitStatus
from weibao.maintenance.models import MajorEvent, Visit
from weibao.maintenance.services.errors import VisitConflict
from weibao.maintenance.services.generation import check_major_event

if TYPE_CHECKING:
    from weibao.core.models import User

__all__ = ["change_major_event", "withdraw_major_event"]

_NOT_STARTED = Q(status__in=[VisitStatus.PLANNED, VisitStatus.CANCELLED],
                 checked_in_at__isnull=True)


def _locked(event: MajorEvent, actor: User, perm: str) -> MajorEvent:
    if not actor.has_perm(perm, event):
        raise PermissionDenied(_("You may not change major events of this contract."))
    locked = MajorEvent.objects.select_for_update().select_related("contract").get(
        pk=event.pk)
    visits = Visit.objects.select_for_update().filter(event=locked)
    if visits.exclude(_NOT_STARTED).exists():
        raise VisitConflict(_("A visit for this event has already started; the event can no "
                              "longer be changed or withdrawn."))
    return locked


def change_major_event(event: MajorEvent, actor: User, *, name: str, date: datetime.date,
                       notes: str = "") -> MajorEvent:
    """Rename, re-date or annotate an event; a new date re-plans its visits."""
    check_major_event(event.contract, name, date)
    with transaction.atomic():
        locked = _locked(event, actor, "maintenance.change_majorevent")
        if locked.date != date:
            Visit.objects.filter(event=locked).delete()
        locked.name, locked.date, locked.notes = name.strip(), date, notes
        locked.save(update_fields=["name", "date", "notes", "updated_at"])
    return locked


def withdraw_major_event(event: MajorEvent, actor: User) -> None:
    """The event will not take place: it goes, with its visits that never started."""
    with transaction.atomic():
        locked = _locked(event, actor, "maintenance.delete_majorevent")
        Visit.objects.filter(event=locked).delete()
        locked.delete()
