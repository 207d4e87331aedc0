"""Every change of calendar data — through a service, the spec, the admin or a shell — gives
the data a new version token, so cached calendars are rebuilt in every process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_delete, post_save

from weibao.calendars.models import (
    CalendarDay,
    HolidayDay,
    HolidaySet,
    HolidayYear,
    WorkCalendar,
    bump_data_version,
)

__all__ = ["one_version_bump"]

# Inside ``one_version_bump``: a one-element list, set to True once a row changed.
_batch: ContextVar[list[bool] | None] = ContextVar("calendar_version_batch", default=None)


@contextlib.contextmanager
def one_version_bump() -> Iterator[None]:
    """Inside a service's transaction: many row changes, one new version token (none when
    nothing changed, so an idempotent re-import keeps every cached calendar)."""
    if _batch.get() is not None:
        yield
        return
    changed = [False]
    reset = _batch.set(changed)
    try:
        yield
    finally:
        _batch.reset(reset)
    if changed[0]:
        bump_data_version()


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    batch = _batch.get()
    if batch is not None:
        batch[0] = True
    else:
        bump_data_version()


for _model in (HolidaySet, HolidayYear, HolidayDay, WorkCalendar, CalendarDay):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"calendar-version-{_model.__name__}")
    post_delete.connect(_changed, sender=_model,
                        dispatch_uid=f"calendar-version-{_model.__name__}-delete")
