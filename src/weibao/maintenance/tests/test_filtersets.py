"""The maintenance filtersets and tables shared by the pages and the API (PM-01, PM-02, PM-09,
PLT-01): each filter narrows as its name says, a bad month is a readable form error, choices
offer only the caller's contracts, and the tables render a visit's state."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from weibao.maintenance.choices import Frequency, VisitStatus
from weibao.maintenance.filtersets import PlanFilterSet, SheetFilterSet, VisitFilterSet
from weibao.maintenance.models import MaintenancePlan, Visit, VisitSheet
from weibao.maintenance.selectors import month_bounds
from weibao.maintenance.tables import PlanTable, SheetTable, VisitTable
from weibao.maintenance.tests.api_helpers import ApiWorld, make_visit, world_of
from weibao.maintenance.tests.conftest import Setup, at, make_plan


@pytest.fixture
def world(outlets: Setup) -> ApiWorld:
    return world_of(outlets)


def request_of(user: object) -> SimpleNamespace:
    return SimpleNamespace(user=user)


def ids(data: dict[str, object], world: ApiWorld, user: object = None) -> set[int]:
    user = user or world.people["manager"]
    filterset = VisitFilterSet(data, queryset=Visit.objects.all(), request=request_of(user))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12))
def test_filter_months_tile_the_year(year: int, month: int):
    """PM-09: the month the filters use starts on the 1st at local midnight and ends where
    the next month starts, so consecutive months neither overlap nor leave a gap."""
    start, end = month_bounds(year, month)
    assert (start.day, start.hour, start.minute) == (1, 0, 0)
    assert start.tzinfo is not None and start < end
    following = month_bounds(year + month // 12, month % 12 + 1)[0]
    assert end == following
    assert 28 <= (end - start).days <= 31


def test_month_filter_keeps_windows_starting_in_that_month(world: ApiWorld):
    """PM-01/PM-09: ``month=2025-10`` keeps October's visits, not September's or
    November's."""
    october = make_visit(world, month="2025-10")
    make_visit(world, month="2025-09")
    make_visit(world, month="2025-11")
    assert ids({"month": "2025-10"}, world) == {october.pk}


@pytest.mark.parametrize("month", ["2025-13", "10-2025", "2025/10", "soon"])
def test_a_bad_month_is_a_readable_error(world: ApiWorld, month: str):
    """A month the filter cannot read is refused with the expected format, not ignored."""
    filterset = VisitFilterSet({"month": month}, queryset=Visit.objects.all(),
                               request=request_of(world.people["manager"]))
    assert not filterset.is_valid()
    assert "YYYY-MM" in str(filterset.errors["month"])


def test_status_open_late_and_breach(world: ApiWorld):
    """PM-09: status (several at once), open, late and breach filters."""
    planned = make_visit(world)
    done_late = make_visit(world, status=VisitStatus.DONE, late=True)
    missed = make_visit(world, status=VisitStatus.MISSED,
                        breach_recorded_at=at("2025-11-01 00:00"))
    assert ids({"status": ["done", "missed"]}, world) == {done_late.pk, missed.pk}
    assert ids({"open": "true"}, world) == {planned.pk}
    assert ids({"open": "false"}, world) == {done_late.pk, missed.pk}
    assert ids({"late": "true"}, world) == {done_late.pk}
    assert ids({"breach": "true"}, world) == {missed.pk}
    assert ids({"breach": "false"}, world) == {planned.pk, done_late.pk}


def test_site_district_engineer_and_mine(world: ApiWorld):
    """Visits by site, district (the site's), engineer, unassigned, and the caller's own."""
    engineer = world.people["engineer"]
    mine = make_visit(world, assignee=engineer)
    elsewhere = make_visit(world, site=world.other_site, assignee=world.people["engineer2"])
    nobody = make_visit(world)
    assert ids({"site": world.site.pk}, world) == {mine.pk, nobody.pk}
    assert ids({"district": world.setup.district("huangpu").pk}, world) == {elsewhere.pk}
    assert ids({"assignee": engineer.pk}, world) == {mine.pk}
    assert ids({"unassigned": "true"}, world) == {nobody.pk}
    assert ids({"mine": "true"}, world, engineer) == {mine.pk}
    assert ids({"mine": "false"}, world, engineer) == {mine.pk, elsewhere.pk, nobody.pk}


def test_window_range_keeps_overlapping_windows(world: ApiWorld):
    """``window_after``/``window_before`` keep the windows that overlap the dates given."""
    september = make_visit(world, month="2025-09")
    october = make_visit(world, month="2025-10")
    november = make_visit(world, month="2025-11")
    assert ids({"window_after": "2025-10-01"}, world) == {october.pk, november.pk}
    assert ids({"window_before": "2025-09-30"}, world) == {september.pk}
    assert ids({"window_after": "2025-10-15", "window_before": "2025-10-20"},
               world) == {october.pk}


def test_search_plan_and_frequency(world: ApiWorld):
    """Search by site code or plan name; by plan and by the plan's frequency."""
    daily = make_plan(world.contract, "daily-check", frequency=Frequency.DAILY,
                      name="每日检查")
    monthly = make_visit(world)
    check = make_visit(world, plan=daily)
    assert ids({"q": "S001"}, world) == {monthly.pk, check.pk}
    assert ids({"q": "每日"}, world) == {check.pk}
    assert ids({"plan": daily.pk}, world) == {check.pk}
    assert ids({"frequency": "monthly"}, world) == {monthly.pk}


def test_choices_offer_only_the_callers_contracts(world: ApiWorld):
    """PLT-01: an outsider's contract, plan and site choices are empty; a party's are its
    own contract's."""
    outsider = VisitFilterSet({}, queryset=Visit.objects.all(),
                              request=request_of(world.people["outsider"]))
    assert not outsider.filters["contract"].queryset.exists()
    assert not outsider.filters["plan"].queryset.exists()
    assert not outsider.filters["site"].queryset.exists()
    manager = VisitFilterSet({}, queryset=Visit.objects.all(),
                             request=request_of(world.people["manager"]))
    assert list(manager.filters["contract"].queryset) == [world.contract]
    staff = VisitFilterSet({}, queryset=Visit.objects.all(),
                           request=request_of(world.people["site_staff"]))
    assert list(staff.filters["site"].queryset) == [world.site]
    # Choosing another contract's plan is refused as an invalid choice.
    refused = VisitFilterSet({"plan": world.plan.pk}, queryset=Visit.objects.all(),
                             request=request_of(world.people["outsider"]))
    assert not refused.is_valid() and "plan" in refused.errors


def test_plan_filters(world: ApiWorld):
    """Plans by frequency, checklist code, search and breach rule (PM-01..07, PM-09)."""
    daily = make_plan(world.contract, "ca-twice", frequency=Frequency.DAILY, name="CA 巡检")
    request = request_of(world.people["manager"])

    def codes(data: dict[str, object]) -> set[str]:
        filterset = PlanFilterSet(data, queryset=MaintenancePlan.objects.all(),
                                  request=request)
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs.values_list("code", flat=True))

    assert "ca-twice" in codes({"frequency": "daily"})
    assert world.plan.code not in codes({"frequency": "daily"})
    assert codes({"q": "ca-tw"}) == {"ca-twice"}
    assert codes({"checklist": daily.checklist.code}) == {"ca-twice"}
    breach = codes({"missed_is_breach": "true"})
    assert world.plan.code in breach and "ca-twice" not in breach


def _sheet(visit: Visit, version: int) -> VisitSheet:
    return VisitSheet.objects.create(visit=visit, version=version, pdf="", digest=f"d{version}",
                                     signer_name="王某", signed_at=timezone.now())


def test_sheet_filters_month_and_latest(world: ApiWorld):
    """PM-02: the month's sheets, and only the latest version of each visit's sheet."""
    october = make_visit(world, status=VisitStatus.DONE)
    november = make_visit(world, month="2025-11", status=VisitStatus.DONE)
    first, second = _sheet(october, 1), _sheet(october, 2)
    other = _sheet(november, 1)
    request = request_of(world.people["manager"])

    def pks(data: dict[str, object]) -> set[int]:
        filterset = SheetFilterSet(data, queryset=VisitSheet.objects.all(), request=request)
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs.values_list("pk", flat=True))

    assert pks({"month": "2025-10"}) == {first.pk, second.pk}
    assert pks({"latest": "true"}) == {second.pk, other.pk}
    assert pks({"month": "2025-10", "latest": "true"}) == {second.pk}
    assert pks({"site": world.site.pk, "version": 1}) == {first.pk, other.pk}


def test_tables_render_status_late_and_breach(world: ApiWorld):
    """The visit table shows the status with late and breach badges and the target; the
    plan table the frequency with its daily checks; links fall back to text until the pages
    exist."""
    make_visit(world, status=VisitStatus.MISSED, breach_recorded_at=at("2025-11-01 00:00"),
               assignee=world.people["engineer"])
    done = make_visit(world, status=VisitStatus.DONE, late=True,
                      completed_at=at("2025-11-02 10:00"))
    request = RequestFactory().get("/")
    request.user = world.people["manager"]
    table = VisitTable(Visit.objects.select_related("site__district", "plan", "assignee"))
    html = table.as_html(request)
    assert 'data-status="missed"' in html and "breach" in html and "late" in html
    assert "S001" in html and "徐汇区" in html
    rows = list(VisitTable(Visit.objects.filter(pk=done.pk)).as_values())
    assert "done" in rows[1] and "S001" in rows[1]
    make_plan(world.contract, "ca-twice", frequency=Frequency.DAILY,
              slots=[{"code": "am", "name": "上午"}, {"code": "pm", "name": "下午"}])
    plans = PlanTable(MaintenancePlan.objects.select_related("contract", "checklist"))
    assert "上午, 下午" in plans.as_html(request)
    sheet = _sheet(done, 1)
    sheets = SheetTable(VisitSheet.objects.filter(pk=sheet.pk).select_related(
        "visit__plan", "visit__site", "created_by"))
    sheet_html = sheets.as_html(request)
    assert "d1" in sheet_html and "2025-10-01" in sheet_html


# Fields of a visit that no one filters on as such: the key and timestamps are internal;
# windows are filtered by ``month``/``window_after``/``window_before``, the breach time by
# ``breach``; coordinates, notes and reasons are read, not searched.
_UNFILTERED = {"id", "key", "created_at", "updated_at", "window_start", "window_end",
               "checked_in_at", "latitude", "longitude", "completed_at", "completed_by",
               "breach_recorded_at", "penalty_percent", "cancel_reason", "notes", "version"}


def test_every_visit_field_has_a_filter_or_a_reason():
    """A new field of the visit model fails here until it gets a filter (shared by the
    pages and the API) or is named above as not filtered."""
    fields = {field.name for field in Visit._meta.concrete_fields}
    filters = set(VisitFilterSet.base_filters)
    assert fields - _UNFILTERED - filters == set()
