"""Visit generation (PM-01, PM-03..07, PM-09): idempotent, assigned by district and load,
planned on working days, re-planned when sites or plans change; a manager's moves,
reassignments and cancellations; major events; engineers' districts."""

from __future__ import annotations

import datetime
import threading
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from weibao.assets.models import Asset, AssetType
from weibao.core.choices import Role
from weibao.maintenance.choices import DayRule, Frequency, PlanScope, VisitStatus
from weibao.maintenance.models import EngineerArea, MaintenancePlan, MajorEvent, Visit
from weibao.maintenance.services.errors import StaleVisit, VisitConflict
from weibao.maintenance.services.generation import (
    cancel_visit,
    create_visit,
    generate_visits,
    move_visit,
    reassign_visit,
    record_major_event,
    set_engineer_areas,
)
from weibao.maintenance.tests.conftest import Setup, _setup, at, make_plan
from weibao.reports.models import Deliverable
from weibao.sites.choices import SiteStatus
from weibao.sites.models import Site
from weibao.testing.calendars import ensure_national_calendars

D = datetime.date
TODAY = D(2025, 10, 10)
NATIONAL_DAY = {D(2025, 10, d) for d in range(1, 9)}


@pytest.fixture
def sbk(outlets: Setup) -> Setup:
    """Seed 000 without the example spec's own plans: each test brings its plan."""
    MaintenancePlan.objects.filter(contract=outlets.contract).delete()
    return outlets


@pytest.fixture
def systems(ca: Setup) -> Setup:
    """Seed 002 without its plans; its UPS reports (deliverables triggered by a plan's
    visits) go first, since a plan they name cannot be deleted."""
    Deliverable.objects.filter(contract=ca.contract, trigger_plan__isnull=False).delete()
    MaintenancePlan.objects.filter(contract=ca.contract).delete()
    return ca


def _monthly(setup: Setup, **extra: object) -> MaintenancePlan:
    return make_plan(setup.contract, site_types=[setup.site_type("sbk-outlet")], **extra)


def test_generation_is_idempotent(sbk: Setup) -> None:
    """PM-01: each active outlet of the plan's type gets one visit per month, for the
    current month and the months starting within the horizon; running again creates
    nothing and changes nothing."""
    plan = _monthly(sbk)
    a = sbk.add_site("a", site_type="sbk-outlet", district="huangpu")
    b = sbk.add_site("b", site_type="sbk-outlet", district="xuhui")
    sbk.add_site("rp", site_type="rp-outlet", district="xuhui")
    sbk.add_site("shut", site_type="sbk-outlet", district="xuhui", status=SiteStatus.CLOSED)
    first = generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    assert (first.created, first.cancelled, first.unchanged) == (4, 0, 0)
    assert set(Visit.objects.values_list("key", flat=True)) == {
        f"site:{a.pk}:2025-10", f"site:{b.pk}:2025-10", f"site:{a.pk}:2025-11",
        f"site:{b.pk}:2025-11"}
    october = Visit.objects.get(key=f"site:{a.pk}:2025-10")
    assert (october.window_start, october.window_end, october.plan, october.contract) == (
        at("2025-10-01 00:00"), at("2025-11-01 00:00"), plan, sbk.contract)
    before = list(Visit.objects.order_by("pk").values_list("pk", "version", "assignee",
                                                           "planned_for"))
    again = generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    assert (again.created, again.cancelled, again.unchanged) == (0, 0, 4)
    assert list(Visit.objects.order_by("pk").values_list(
        "pk", "version", "assignee", "planned_for")) == before


def test_planned_days_are_working_days_spread_over_the_window(sbk: Setup) -> None:
    """PM-01: planned days fall on working days of the contract calendar inside the window
    (not on the National Day holidays that open October) and are spread so one engineer does
    not get every outlet on the first working day."""
    _monthly(sbk)
    for i in range(20):
        sbk.add_site(f"s{i:02d}", site_type="sbk-outlet", district="huangpu")
    generate_visits(sbk.contract, today=D(2025, 9, 20), horizon_days=15)
    october = list(Visit.objects.filter(window_start=at("2025-10-01 00:00")))
    assert len(october) == 20
    days = [v.planned_for for v in october]
    assert all(d is not None and D(2025, 10, 9) <= d <= D(2025, 10, 31) for d in days)
    assert not NATIONAL_DAY & set(days)
    assert all(d.weekday() < 5 or d == D(2025, 10, 11) for d in days if d)
    assert max(Counter(days).values()) <= 2, "20 visits over 17 working days"
    # Generated on the 10th: the current month's visits are planned from today on.
    late = sbk.add_site("late", site_type="sbk-outlet", district="huangpu")
    generate_visits(sbk.contract, today=D(2025, 10, 20), horizon_days=5)
    planned = Visit.objects.get(key=f"site:{late.pk}:2025-10").planned_for
    assert planned is not None and planned >= D(2025, 10, 20)


def test_replanning_cancels_future_visits_out_of_scope_and_adds_new_sites(sbk: Setup) -> None:
    """PM-01/PM-09: a closed site's future visit is cancelled with a reason, its current one
    (window already started) is kept; a new site gets its visits; started or done visits are
    never touched; when the site reopens its future visit comes back."""
    _monthly(sbk)
    a = sbk.add_site("a", site_type="sbk-outlet", district="huangpu")
    b = sbk.add_site("b", site_type="sbk-outlet", district="xuhui")
    generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    Visit.objects.filter(key=f"site:{b.pk}:2025-11").update(status=VisitStatus.IN_PROGRESS)
    a.status = SiteStatus.CLOSED
    a.save()
    b.status = SiteStatus.CLOSED
    b.save()
    c = sbk.add_site("c", site_type="sbk-outlet", district="xuhui")
    result = generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    assert (result.created, result.cancelled) == (2, 1)
    future = Visit.objects.get(key=f"site:{a.pk}:2025-11")
    assert future.status == VisitStatus.CANCELLED
    assert "no longer in the plan's scope" in future.cancel_reason
    assert Visit.objects.get(key=f"site:{a.pk}:2025-10").status == VisitStatus.PLANNED
    assert Visit.objects.get(key=f"site:{b.pk}:2025-11").status == VisitStatus.IN_PROGRESS
    assert Visit.objects.filter(site=c).count() == 2
    a.status = SiteStatus.ACTIVE
    a.save()
    assert generate_visits(sbk.contract, today=TODAY, horizon_days=35).restored == 1
    future.refresh_from_db()
    assert (future.status, future.cancel_reason) == (VisitStatus.PLANNED, "")


def test_deactivated_plan_and_changed_frequency_replan(sbk: Setup) -> None:
    """PM-01/PM-05: a plan switched to quarterly loses its future monthly visits and gets
    quarterly ones; a deactivated plan's future visits are cancelled, and come back when it
    is active again."""
    plan = _monthly(sbk)
    site = sbk.add_site("a", site_type="sbk-outlet", district="huangpu")
    generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    plan.frequency = Frequency.QUARTERLY
    plan.save()
    result = generate_visits(sbk.contract, today=TODAY, horizon_days=35)
    assert result.cancelled == 1  # November's monthly visit
    assert Visit.objects.get(key=f"site:{site.pk}:2025-11").cancel_reason == (
        "The plan's schedule changed.")
    assert Visit.objects.filter(key=f"site:{site.pk}:2025-Q4").exists()
    plan.active = False
    plan.save()
    generate_visits(sbk.contract, today=D(2025, 12, 20), horizon_days=35)
    q1 = Visit.objects.filter(key=f"site:{site.pk}:2026-Q1")
    assert not q1.exists()
    plan.active = True
    plan.save()
    generate_visits(sbk.contract, today=D(2025, 12, 20), horizon_days=35)
    plan.active = False
    plan.save()
    assert generate_visits(sbk.contract, today=D(2025, 12, 20), horizon_days=35).cancelled == 1
    assert q1.get().cancel_reason == "The plan was deactivated."
    plan.active = True
    plan.save()
    again = generate_visits(sbk.contract, today=D(2025, 12, 20), horizon_days=35)
    assert (again.restored, again.created, q1.get().status) == (1, 0, VisitStatus.PLANNED)


def test_assignment_by_district_then_load(sbk: Setup) -> None:
    """PM-01: visits go to the engineers of the site's district, the least loaded first
    (ties to the lower id), anyone of the plan's roles when no one covers the district; an
    existing assignee is kept."""
    e1, e2 = sbk.people["engineer"], sbk.people["engineer2"]
    EngineerArea.objects.create(contract=sbk.contract, engineer=e1,
                                district=sbk.district("huangpu"))
    EngineerArea.objects.create(contract=sbk.contract, engineer=e2,
                                district=sbk.district("xuhui"))
    EngineerArea.objects.create(contract=sbk.contract, engineer=e1,
                                district=sbk.district("jingan"))
    EngineerArea.objects.create(contract=sbk.contract, engineer=e2,
                                district=sbk.district("jingan"))
    _monthly(sbk)
    sites = {code: sbk.add_site(code, site_type="sbk-outlet", district=district)
             for code, district in [("h1", "huangpu"), ("h2", "huangpu"), ("x1", "xuhui"),
                                    ("j1", "jingan"), ("j2", "jingan"), ("j3", "jingan"),
                                    ("j4", "jingan"), ("m1", "minhang")]}
    generate_visits(sbk.contract, today=TODAY, horizon_days=5)
    assigned = dict(Visit.objects.values_list("site__code", "assignee"))
    assert assigned["h1"] == assigned["h2"] == e1.pk
    assert assigned["x1"] == e2.pk
    jingan = Counter(assigned[c] for c in ("j1", "j2", "j3", "j4"))
    assert jingan == Counter({e1.pk: 1, e2.pk: 3}), "e1 already had two in huangpu"
    assert assigned["m1"] == e1.pk, "no one covers 闵行: the least loaded (3 each) lower id"
    assert sbk.people["manager"].pk not in assigned.values()
    visit = Visit.objects.get(site=sites["h1"])
    reassign_visit(visit, sbk.people["manager"], assignee=e2)
    generate_visits(sbk.contract, today=TODAY, horizon_days=5)
    assert Visit.objects.get(site=sites["h1"]).assignee == e2


def test_performer_roles_and_unassigned_visits_get_an_engineer_later(sbk: Setup) -> None:
    """PM-04: a plan done by managers goes to a manager; a visit generated when no one could
    do it is assigned by a later run."""
    make_plan(sbk.contract, "mgr", scope=PlanScope.CONTRACT, performer_roles=["vendor_manager"])
    manager = sbk.people["manager"]
    manager.role = Role.VENDOR_ENGINEER
    manager.save()
    generate_visits(sbk.contract, today=TODAY, horizon_days=5)
    visit = Visit.objects.get()
    assert visit.assignee is None
    manager.role = Role.VENDOR_MANAGER
    manager.save()
    assert generate_visits(sbk.contract, today=TODAY, horizon_days=5).assigned == 1
    assert Visit.objects.get().assignee == manager


def test_twice_daily_contract_checks(systems: Setup) -> None:
    """PM-03: seed 002's morning and evening checks: two system visits a day, no site."""
    make_plan(systems.contract, "ca-daily", frequency=Frequency.DAILY, scope=PlanScope.CONTRACT,
              slots=[{"code": "am", "name": "早", "start": "08:30", "end": "09:30"},
                     {"code": "pm", "name": "晚", "start": "17:30", "end": "18:30"}])
    result = generate_visits(systems.contract, today=TODAY, horizon_days=6)
    assert result.created == 14
    first = Visit.objects.order_by("window_start").first()
    assert first is not None
    assert (first.key, first.slot, first.site, first.planned_for) == (
        "contract:2025-10-10:am", "am", None, TODAY)


def test_working_day_checks_skip_holidays(sbk: Setup) -> None:
    """PM-04: a working-days daily check has no visit on the National Day holidays."""
    make_plan(sbk.contract, "db", frequency=Frequency.DAILY, scope=PlanScope.CONTRACT,
              days=DayRule.WORKING_DAYS)
    generate_visits(sbk.contract, today=D(2025, 9, 30), horizon_days=11)
    days = sorted(timezone.localtime(v.window_start).date() for v in Visit.objects.all())
    assert days == [D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 10), D(2025, 10, 11)]


def test_asset_plans_cover_sub_types_in_service(sbk: Setup) -> None:
    """PM-05/AST-01: an asset plan covers the in-service assets of its types and their
    sub-types; the visit carries the asset's site."""
    ups = AssetType.objects.create(contract=sbk.contract, code="ups", name="UPS")
    big = AssetType.objects.create(contract=sbk.contract, code="ups-big", name="大UPS",
                                   parent=ups)
    other = AssetType.objects.create(contract=sbk.contract, code="pc", name="PC")
    site = sbk.add_site("a", site_type="sbk-outlet", district="huangpu")
    kept = [Asset.objects.create(contract=sbk.contract, asset_type=t, site=site, name=t.code)
            for t in (ups, big)]
    Asset.objects.create(contract=sbk.contract, asset_type=other, site=site, name="pc")
    Asset.objects.create(contract=sbk.contract, asset_type=ups, name="old",
                         status="decommissioned")
    plan = make_plan(sbk.contract, "ups", scope=PlanScope.ASSET)
    plan.asset_types.set([ups])
    generate_visits(sbk.contract, today=TODAY, horizon_days=5)
    assert sorted(Visit.objects.values_list("asset", "site", "key")) == [
        (a.pk, site.pk, f"asset:{a.pk}:2025-10") for a in kept]


# --- a manager's changes ----------------------------------------------------------------------

@pytest.fixture
def visit(sbk: Setup) -> Visit:
    _monthly(sbk)
    sbk.add_site("a", site_type="sbk-outlet", district="huangpu")
    generate_visits(sbk.contract, today=TODAY, horizon_days=5)
    return Visit.objects.get()


def test_move_visit_inside_its_window(sbk: Setup, visit: Visit) -> None:
    """PM-01: a manager moves a visit to another day of its window; the version moves on;
    a day outside the window is refused with a clear message."""
    moved = move_visit(visit, sbk.people["manager"], planned_for=D(2025, 10, 31),
                       expected_version=visit.version)
    assert (moved.planned_for, moved.version) == (D(2025, 10, 31), visit.version + 1)
    with pytest.raises(ValidationError) as error:
        move_visit(visit, sbk.people["manager"], planned_for=D(2025, 11, 1))
    assert error.value.message_dict["planned_for"] == [
        "The visit counts only from 2025-10-01 to 2025-10-31; plan it on one of those days."]


def test_only_managers_of_the_contract_plan_visits(sbk: Setup, visit: Visit) -> None:
    """PM-01 permission matrix: engineers, the purchaser and outsiders may not move,
    reassign or cancel visits."""
    for who in ("engineer", "purchaser", "outsider"):
        with pytest.raises(PermissionDenied):
            move_visit(visit, sbk.people[who], planned_for=D(2025, 10, 20))
        with pytest.raises(PermissionDenied):
            reassign_visit(visit, sbk.people[who], assignee=sbk.people["engineer2"])
        with pytest.raises(PermissionDenied):
            cancel_visit(visit, sbk.people[who], reason="x")


def test_stale_version_and_closed_visits_conflict(sbk: Setup, visit: Visit) -> None:
    """PM-01: a change based on an old version is refused (StaleVisit); a visit no longer
    open cannot be moved, reassigned or cancelled."""
    manager = sbk.people["manager"]
    move_visit(visit, manager, planned_for=D(2025, 10, 20), expected_version=1)
    with pytest.raises(StaleVisit):
        move_visit(visit, manager, planned_for=D(2025, 10, 21), expected_version=1)
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE)
    with pytest.raises(VisitConflict, match="only a planned or started visit"):
        reassign_visit(visit, manager, assignee=sbk.people["engineer2"])


def test_reassign_only_to_who_may_do_the_visit(sbk: Setup, visit: Visit) -> None:
    """PM-01: the new engineer must belong to the contract's vendor and be able to carry out
    visits."""
    manager = sbk.people["manager"]
    for who in ("outsider", "purchaser"):
        with pytest.raises(ValidationError) as error:
            reassign_visit(visit, manager, assignee=sbk.people[who])
        assert "may not carry out visits" in error.value.message_dict["assignee"][0]
    assert reassign_visit(visit, manager, assignee=sbk.people["engineer2"]).assignee == (
        sbk.people["engineer2"])


def test_cancel_visit_needs_a_reason(sbk: Setup, visit: Visit) -> None:
    """PM-09: a cancelled visit is not due; the manager says why."""
    with pytest.raises(ValidationError):
        cancel_visit(visit, sbk.people["manager"], reason=" ")
    done = cancel_visit(visit, sbk.people["manager"], reason="网点装修停业")
    assert (done.status, done.cancel_reason) == (VisitStatus.CANCELLED, "网点装修停业")


def test_major_event_creates_its_check_at_once(systems: Setup) -> None:
    """PM-07: recording a major event creates the day-before check immediately, however far
    ahead; only the purchaser or a manager may record one, within the service period."""
    make_plan(systems.contract, "pre", frequency=Frequency.BEFORE_EVENT,
              scope=PlanScope.CONTRACT)
    with pytest.raises(PermissionDenied):
        record_major_event(systems.contract, systems.people["engineer"], name="x",
                           date=D(2025, 11, 5))
    with pytest.raises(ValidationError) as error:
        record_major_event(systems.contract, systems.people["purchaser"], name="x",
                           date=D(2026, 3, 1))
    assert "date" in error.value.message_dict
    with time_machine.travel(at("2025-06-01 09:00"), tick=False):
        event = record_major_event(systems.contract, systems.people["purchaser"],
                                   name="进博会", date=D(2025, 11, 5))
    visit = Visit.objects.get()
    assert (visit.event, visit.window_start, visit.planned_for) == (
        event, at("2025-11-04 00:00"), D(2025, 11, 4))


def test_set_engineer_areas_replaces_districts(sbk: Setup) -> None:
    """PM-01: a manager replaces an engineer's districts; only vendor staff can cover one."""
    manager, engineer = sbk.people["manager"], sbk.people["engineer"]
    set_engineer_areas(sbk.contract, manager, engineer,
                       [sbk.district("huangpu"), sbk.district("xuhui")])
    areas = set_engineer_areas(sbk.contract, manager, engineer,
                               [sbk.district("xuhui"), sbk.district("minhang")])
    assert sorted(a.district.code for a in areas) == ["minhang", "xuhui"]
    with pytest.raises(ValidationError):
        set_engineer_areas(sbk.contract, manager, sbk.people["outsider"], [])
    with pytest.raises(PermissionDenied):
        set_engineer_areas(sbk.contract, engineer, engineer, [])


def test_create_visit_by_hand_survives_replanning(systems: Setup) -> None:
    """PM-06: an on-demand plan's visit is made by hand, assigned, planned in its window,
    and generation leaves it alone."""
    plan = make_plan(systems.contract, "scan", frequency=Frequency.ON_DEMAND,
                     scope=PlanScope.CONTRACT)
    made = create_visit(plan, systems.people["manager"], window_start=at("2025-10-13 00:00"),
                        window_end=at("2025-10-18 00:00"))
    assert made.key.startswith("contract:manual:")
    assert made.assignee == systems.people["engineer"]
    assert made.planned_for is not None and D(2025, 10, 13) <= made.planned_for
    generate_visits(systems.contract, today=TODAY, horizon_days=35)
    made.refresh_from_db()
    assert made.status == VisitStatus.PLANNED
    with pytest.raises(PermissionDenied):
        create_visit(plan, systems.people["engineer"], window_start=at("2025-10-13 00:00"),
                     window_end=at("2025-10-18 00:00"))


@pytest.fixture
def committed(transactional_db: None) -> Setup:
    """Seed 000 in a test whose transactions really commit (the flush of an earlier
    transactional test removed the seeded calendars: put them back)."""
    ensure_national_calendars()
    setup = _setup("000-shanghai-sbk-outlets.yaml", "sbk")
    MaintenancePlan.objects.filter(contract=setup.contract).delete()
    return setup


def test_site_change_replans_in_the_background(committed: Setup) -> None:
    """PM-01: adding a site re-plans its contract after the commit (huey runs immediately in
    tests)."""
    outlets = committed
    _monthly(outlets)
    with time_machine.travel(at("2025-10-10 09:00"), tick=False):
        site = outlets.add_site("new", site_type="sbk-outlet", district="huangpu")
    assert Visit.objects.filter(site=site).exists()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL")
def test_concurrent_generation_creates_each_visit_once(committed: Setup) -> None:
    """PM-01: two workers generating at once create every visit exactly once."""
    outlets = committed
    _monthly(outlets)
    Site.objects.bulk_create([Site(contract=outlets.contract, code=f"s{i}", name=f"s{i}",
                                   site_type=outlets.site_type("sbk-outlet"),
                                   district=outlets.district("huangpu")) for i in range(300)])
    results = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(generate_visits(outlets.contract, today=TODAY, horizon_days=35))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.created for r in results) == [0, 600]
    assert Visit.objects.count() == 600
    assert MajorEvent.objects.count() == 0
