"""Fixtures of the calendar tests (the shared world is in src/weibao/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from weibao.calendars import services
from weibao.calendars.models import WorkCalendar
from weibao.conftest import World


def contract_calendar(world: World, contract_attr: str, code: str,
                      base: str = "cn-0830-1730") -> WorkCalendar:
    base_calendar = WorkCalendar.objects.get(code=base)
    return services.save_calendar(services.CalendarInput(
        code=code, name=f"{code} hours", kind=base_calendar.kind,
        timezone=base_calendar.timezone, holiday_set=base_calendar.holiday_set,
        weekly_hours=base_calendar.hours(), contract=getattr(world, contract_attr),
        based_on=base_calendar))


@pytest.fixture
def cal_world(world: World) -> World:
    """The shared world plus contract A's own calendar ``a-hours`` and B's ``b-hours``."""
    contract_calendar(world, "a", "a-hours")
    contract_calendar(world, "b", "b-hours")
    return world


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages raised by services are asserted in English here; the Chinese catalog's
    completeness is checked by core/tests/test_i18n.py."""
    with translation.override("en"):
        yield
