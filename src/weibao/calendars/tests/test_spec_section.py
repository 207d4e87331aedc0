"""CAL-02: the contract spec's ``calendars`` section — checks, apply, dump, round trip."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from auditlog.models import LogEntry

from weibao.calendars.models import WorkCalendar
from weibao.calendars.selectors import calendar_engine
from weibao.calendars.tests.conftest import contract_calendar
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.registry import build_schema
from weibao.contracts.spec.validate import spec_errors

pytestmark = pytest.mark.django_db

CALENDARS: list[dict[str, Any]] = [
    {"code": "sh-outlets", "name": "网点营业时间", "based_on": "cn-0830-1730-lunch",
     "hours": {"sat": ["09:00-12:00"]},
     "days": [{"date": "2025-10-09", "kind": "holiday", "name": "网点搬迁"},
              {"date": "2025-12-31", "kind": "half_day", "name": "年终",
               "segments": ["08:30-12:00"]}]},
    {"code": "sh-outlets-late", "name": "晚班", "based_on": "sh-outlets",
     "hours": {"mon": ["13:00-21:00"]}},
    {"code": "sh-duty", "name": "值班", "based_on": "7x24"},
]


def spec(calendars: list[dict[str, Any]] | None = None, number: str = "CAL-001") -> dict:
    data: dict[str, Any] = {
        "spec_version": 1,
        "contract": {"number": number, "title": "日历测试合同", "amount": 1000,
                     "period": {"start": "2025-01-01", "end": "2025-12-31"}},
        "parties": [
            {"role": "purchaser", "organisation": {"name": "日历甲方", "code": "cal-p",
                                                   "kind": "purchaser"}},
            {"role": "vendor", "organisation": {"name": "日历乙方", "code": "cal-v",
                                                "kind": "vendor"}},
        ],
    }
    if calendars is not None:
        data["calendars"] = copy.deepcopy(calendars)
    return data


def test_cal02_calendars_are_created_linked_and_computed():
    contract = import_spec(spec(CALENDARS)).contract
    outlets = WorkCalendar.objects.get(code="sh-outlets")
    assert outlets.contract == contract and outlets.based_on.code == "cn-0830-1730-lunch"
    assert outlets.holiday_set.code == "cn"
    assert outlets.hours()["mon"] == ["08:30-12:00", "13:00-17:30"]
    assert outlets.hours()["sat"] == ["09:00-12:00"]
    late = WorkCalendar.objects.get(code="sh-outlets-late")
    assert late.based_on == outlets and late.hours()["sat"] == ["09:00-12:00"]
    assert late.hours()["mon"] == ["13:00-21:00"]
    assert WorkCalendar.objects.get(code="sh-duty").is_always
    engine = calendar_engine("sh-outlets")
    assert not engine.is_working_day(datetime.date(2025, 10, 9))


def test_round_trip_and_reimport_writes_nothing():
    contract = import_spec(spec(CALENDARS)).contract
    exported = export_data(contract)
    assert exported["calendars"] == CALENDARS
    entries = LogEntry.objects.count()
    import_spec(spec(exported["calendars"]))
    assert LogEntry.objects.count() == entries
    assert import_text(export_text(contract)).created is False
    assert LogEntry.objects.count() == entries


def test_a_calendar_dropped_from_the_list_is_removed_and_absent_section_keeps_them():
    import_spec(spec(CALENDARS))
    import_spec(spec())  # no calendars key: left as they are
    assert WorkCalendar.objects.filter(contract__number="CAL-001").count() == 3
    import_spec(spec(CALENDARS[:1]))
    assert list(WorkCalendar.objects.filter(contract__number="CAL-001")
                .values_list("code", flat=True)) == ["sh-outlets"]


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    calendars = copy.deepcopy(CALENDARS)
    calendars[index].update(changes)
    return calendars


# (calendars, expected path, English fragment)
BAD = [
    (_with(0, based_on="no-such"), "calendars[0].based_on", "neither a national calendar"),
    (_with(0, based_on="sh-outlets-late"), "calendars[0].based_on", "neither a national"),
    (_with(0, hours={"mon": ["08:30-12:00", "11:00-17:30"]}), "calendars[0].hours.mon",
     "overlapping"),
    (_with(0, hours={"mon": ["12:00-08:30"]}), "calendars[0].hours.mon", "empty or reversed"),
    (_with(0, hours={"mon": ["25:00-26:00"]}), "calendars[0].hours.mon", "invalid"),
    (_with(1, code="sh-outlets"), "calendars[1].code", "appears more than once"),
    (_with(0, code="cn-0830-1730"), "calendars[0].code", "a national calendar"),
    (_with(0, code="new"), "calendars[0].code", "reserved"),
    (_with(2, hours={"mon": ["08:00-09:00"]}), "calendars[2].hours", "7×24"),
    (_with(0, days=[{"date": "2025-10-09", "kind": "holiday"},
                    {"date": "2025-10-09", "kind": "half_day", "segments": ["08:30-12:00"]}]),
     "calendars[0].days[1].date", "appears more than once"),
    (_with(0, days=[{"date": "2025-10-09", "kind": "half_day"}]), "calendars[0].days[0]",
     "a half day needs"),
    (_with(0, hours={"mon": ["8.30-17.30"]}), "calendars[0].hours.mon[0]", "does not match"),
    (_with(0, days=[{"date": "2025-10-09", "kind": "weekend"}]),
     "calendars[0].days[0].kind", "is not one of"),
]


@pytest.mark.parametrize(("calendars", "path", "fragment"), BAD,
                         ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD)])
def test_bad_calendars_are_rejected_with_their_path(calendars, path, fragment):
    messages = [e.message("en") for e in spec_errors(spec(calendars))]
    assert any(m.startswith(path) and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(spec(calendars))
    assert not WorkCalendar.objects.filter(contract__isnull=False).exists()


def test_a_code_of_another_contract_is_refused(world):
    contract_calendar(world, "b", "sh-outlets")
    messages = [e.message("en") for e in spec_errors(spec(CALENDARS))]
    assert any(m.startswith("calendars[0].code") and "another contract" in m
               for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(spec(CALENDARS))
    assert WorkCalendar.objects.get(code="sh-outlets").contract == world.b


def test_schema_publishes_the_section():
    schema = build_schema()["properties"]["calendars"]
    assert schema["items"]["required"] == ["code", "name", "based_on"]
