"""Translatable texts for the engine's day notes (the engine itself is plain Python and
writes English reasons; anything shown to a person goes through these)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.calendars.worktime import DayKind, DayNote

__all__ = ["day_reason"]


def day_reason(note: DayNote) -> str:
    """Why a day is special or skipped, in the active language: e.g. ``节假日：国庆节``."""
    name = note.name or _("unnamed")
    if note.kind is DayKind.REGULAR:
        return _("regular working day") if note.working else _("rest day (weekly schedule)")
    if note.kind is DayKind.HOLIDAY:
        return _("holiday: %(name)s") % {"name": name}
    if note.kind is DayKind.ADJUSTED_WORKDAY:
        return _("adjusted workday (调休): %(name)s") % {"name": name}
    if note.kind is DayKind.WORKDAY:
        return _("extra workday: %(name)s") % {"name": name}
    if note.kind is DayKind.HALF_DAY:
        return _("half day: %(name)s") % {"name": name}
    if note.working:
        return _("special hours: %(name)s") % {"name": name}
    return _("closed: %(name)s") % {"name": name}
