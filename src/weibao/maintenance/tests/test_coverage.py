"""Coverage (PM-09): per contract and period, visits due, done on time, late, missed and
open, by district, plan or site type; who sees which visits; an engineer's day."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from weibao.core.choices import OrganisationKind, Role
from weibao.maintenance.choices import PlanScope, VisitStatus
from weibao.maintenance.models import MaintenancePlan, Visit
from weibao.maintenance.selectors import coverage, month_bounds, my_visits, visible_visits
from weibao.maintenance.tests.conftest import Setup, at, make_plan
from weibao.sites.models import Site
from weibao.testing.factories import OrganisationFactory, UserFactory

OCT = month_bounds(2025, 10)


def _visit(plan: MaintenancePlan, site: Site | None, key: str, status: str,
           end: str = "2025-11-01 00:00", start: str = "2025-10-01 00:00",
           **extra: Any) -> Visit:
    return Visit.objects.create(contract=plan.contract, plan=plan, key=key, site=site,
                                window_start=at(start), window_end=at(end),
                                status=status, **extra)


@pytest.fixture
def october(outlets: Setup) -> dict[str, Any]:
    """Huangpu: one on time, one late, one missed (a breach); Minhang: one open, one
    cancelled; a system check done on time; a November visit (not due in October)."""
    sbk = make_plan(outlets.contract, "sbk", site_types=[outlets.site_type("sbk-outlet")])
    rp = make_plan(outlets.contract, "rp", site_types=[outlets.site_type("rp-outlet")])
    system = make_plan(outlets.contract, "sys", scope=PlanScope.CONTRACT)
    h1 = outlets.add_site("h1", site_type="sbk-outlet", district="huangpu")
    h2 = outlets.add_site("h2", site_type="sbk-outlet", district="huangpu")
    h3 = outlets.add_site("h3", site_type="rp-outlet", district="huangpu")
    m1 = outlets.add_site("m1", site_type="sbk-outlet", district="minhang")
    m2 = outlets.add_site("m2", site_type="sbk-outlet", district="minhang")
    _visit(sbk, h1, "1", VisitStatus.DONE)
    _visit(sbk, h2, "2", VisitStatus.DONE, late=True)
    _visit(rp, h3, "3", VisitStatus.MISSED, breach_recorded_at=at("2025-11-01 00:00"))
    _visit(sbk, m1, "4", VisitStatus.PLANNED)
    _visit(sbk, m2, "5", VisitStatus.CANCELLED)
    _visit(system, None, "6", VisitStatus.DONE, end="2025-10-02 00:00")
    _visit(sbk, h1, "7", VisitStatus.PLANNED, end="2025-12-01 00:00")
    # Ended at the first moment of October: September's.
    _visit(sbk, h1, "8", VisitStatus.MISSED, end="2025-10-01 00:00", start="2025-09-01 00:00")
    return {"setup": outlets, "sbk": sbk, "rp": rp, "system": system}


def _row(result: Any, label: str) -> tuple[int, int, int, int, int, float | None]:
    row = next(r for r in result.rows if r.label == label)
    return row.due, row.done_on_time, row.late, row.missed, row.open, row.rate


def test_coverage_by_district(october: dict[str, Any],
                              django_assert_max_num_queries: Any) -> None:
    """PM-09: visits whose windows end in the month are due (cancelled ones are not); each
    district's row counts them by outcome, with the on-time rate; system checks have a row
    of their own; the total adds up. Two queries."""
    setup: Setup = october["setup"]
    with django_assert_max_num_queries(2):
        result = coverage(setup.contract, *OCT, by="district")
    assert _row(result, "黄浦区") == (3, 1, 1, 1, 0, 1 / 3)
    assert _row(result, "闵行区") == (1, 0, 0, 0, 1, 0.0)
    assert _row(result, "Systems (no site)") == (1, 1, 0, 0, 0, 1.0)
    total = result.total
    assert (total.due, total.done_on_time, total.late, total.missed, total.open,
            total.breaches, total.done) == (5, 2, 1, 1, 1, 1, 3)
    assert total.rate == pytest.approx(0.4)
    assert [r.label for r in result.rows][-1] == "Systems (no site)"


def test_coverage_by_plan_and_site_type(october: dict[str, Any]) -> None:
    """PM-09: the same visits by plan and by site type."""
    setup: Setup = october["setup"]
    by_plan = coverage(setup.contract, *OCT, by="plan")
    assert _row(by_plan, "sbk 计划")[:5] == (3, 1, 1, 0, 1)
    assert _row(by_plan, "rp 计划")[:5] == (1, 0, 0, 1, 0)
    by_type = coverage(setup.contract, *OCT, by="site_type")
    assert _row(by_type, "社保卡受理网点")[:5] == (3, 1, 1, 0, 1)
    assert _row(by_type, "居住证受理网点")[:5] == (1, 0, 0, 1, 0)
    with pytest.raises(ValueError):
        coverage(setup.contract, *OCT, by="engineer")


def test_month_bounds_are_local_midnights() -> None:
    """PM-09: a month runs from local midnight of its first day to that of the next."""
    assert month_bounds(2025, 12) == (at("2025-12-01 00:00"), at("2026-01-01 00:00"))
    assert month_bounds(2026, 2) == (at("2026-02-01 00:00"), at("2026-03-01 00:00"))


def test_visible_visits_follow_contract_and_site(october: dict[str, Any]) -> None:
    """PLT-01/PM-02: parties of the contract see its visits; site staff only those of their
    own organisation's sites; an outsider none."""
    setup: Setup = october["setup"]
    owner = OrganisationFactory(name="黄浦网点", code="hp-owner",
                                kind=OrganisationKind.SITE_OWNER)
    from weibao.contracts.models import ContractParty

    ContractParty.objects.create(contract=setup.contract, organisation=owner, role="site_owner")
    Site.objects.filter(code="h1").update(organisation=owner)
    staff = UserFactory(username="hp-staff", organisation=owner, role=Role.SITE_STAFF)
    assert visible_visits(setup.people["manager"]).count() == 8
    assert visible_visits(setup.people["outsider"]).count() == 0
    assert set(visible_visits(staff).values_list("key", flat=True)) == {"1", "7", "8"}


def test_my_visits_for_the_day(outlets: Setup) -> None:
    """PM-01: an engineer's day lists the open visits that count that day and are planned
    for it or earlier, and what was completed that day, soonest due first."""
    plan = make_plan(outlets.contract, site_types=[outlets.site_type("sbk-outlet")])
    me, other = outlets.people["engineer"], outlets.people["engineer2"]
    site = outlets.add_site("h1", site_type="sbk-outlet", district="huangpu")
    day = datetime.date(2025, 10, 10)
    month = _visit(plan, site, "month", VisitStatus.PLANNED, assignee=me,
                   planned_for=datetime.date(2025, 10, 9))
    today = Visit.objects.create(contract=plan.contract, plan=plan, key="today", site=site,
                                 window_start=at("2025-10-10 08:30"),
                                 window_end=at("2025-10-10 10:00"), assignee=me,
                                 planned_for=day)
    _visit(plan, site, "later", VisitStatus.PLANNED, assignee=me,
           planned_for=datetime.date(2025, 10, 20))
    _visit(plan, site, "theirs", VisitStatus.PLANNED, assignee=other, planned_for=day)
    done = _visit(plan, site, "done", VisitStatus.DONE, assignee=me,
                  completed_at=at("2025-10-10 15:00"))
    _visit(plan, site, "done-before", VisitStatus.DONE, assignee=me,
           completed_at=at("2025-10-09 15:00"))
    assert list(my_visits(me, day)) == [today, month, done]
