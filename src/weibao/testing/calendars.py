"""Transactional tests (threads, live server) flush the database after each test, which also
removes the national calendars seeded by a data migration; put them back the way the
migration does. (``serialized_rollback`` would do it too, but clashes with the content types
that a flush by another transactional test recreates.)"""

from __future__ import annotations

import importlib

from django.apps import apps

__all__ = ["ensure_national_calendars"]


def ensure_national_calendars() -> None:
    from weibao.calendars.models import HolidaySet

    if not HolidaySet.objects.filter(code="cn").exists():
        importlib.import_module("weibao.calendars.migrations.0002_seed").seed(apps, None)
