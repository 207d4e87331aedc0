"""A report's figures (RPT-07, PM-01 item 14, PM-09, SLA-05, SPR-01, AST-07) checked against
counts computed independently in Python from the rows a factory-built dataset wrote, and
the number of queries each section runs checked not to grow with the data."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.assets.choices import AssetCategory
from weibao.assets.models import Asset, AssetType, Certificate
from weibao.contracts.models import Contract
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import User
from weibao.maintenance.choices import Frequency, ItemKind, PlanScope, VisitStatus
from weibao.maintenance.models import (
    ChecklistTemplate,
    MaintenancePlan,
    Visit,
    VisitResult,
)
from weibao.reports.choices import Cadence, ReportSection
from weibao.reports.collect import collect
from weibao.reports.models import Submission
from weibao.reports.tests.conftest import at, make_deliverable
from weibao.sites.choices import SiteStatus
from weibao.sites.models import AreaClass, District, Site, SiteType
from weibao.spares.choices import Condition, MovementKind
from weibao.spares.models import PartType, StockMovement, Warehouse
from weibao.testing.factories import OrganisationFactory, UserFactory, make_contract
from weibao.tickets.choices import TicketCategory
from weibao.tickets.models import SlaAlert, Ticket, TicketStage, TicketType

START, END = datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)


@dataclass
class Data:
    contract: Contract
    sites: list[Site]
    types: list[TicketType]
    engineers: list[User]
    plan: MaintenancePlan
    tickets: list[Ticket]
    visits: list[Visit]
    n: int = 0


def _ticket(d: Data, *, type_: int, site: int | None, level: str, reported: str,
            closed: str | None = None, engineer: int = 0, override: str = "",
            arrived: str | None = None, restored: str | None = None) -> Ticket:
    d.n += 1
    ticket = Ticket.objects.create(
        contract=d.contract, number=f"T{d.n:05d}", title=f"故障{d.n}",
        ticket_type=d.types[type_], site=d.sites[site] if site is not None else None,
        fault_level=level, fault_level_override=override, reported_at=at(reported),
        closed_at=at(closed) if closed else None, assignee=d.engineers[engineer],
        arrived_at=at(arrived) if arrived else None,
        restored_at=at(restored) if restored else None,
        state="closed" if closed else "accepted")
    d.tickets.append(ticket)
    return ticket


def _visit(d: Data, site: int, window_end: str, status: str, *, late: bool = False,
           breach: str | None = None, checked_in: str | None = None,
           completed: str | None = None) -> Visit:
    visit = Visit.objects.create(
        contract=d.contract, plan=d.plan, key=f"v{len(d.visits)}", site=d.sites[site],
        window_start=at(window_end) - datetime.timedelta(days=30), window_end=at(window_end),
        status=status, late=late, breach_recorded_at=at(breach) if breach else None,
        penalty_percent=Decimal("0.5") if breach else None,
        checked_in_at=at(checked_in) if checked_in else None,
        completed_at=at(completed) if completed else None,
        completed_by=d.engineers[1] if completed else None)
    d.visits.append(visit)
    return visit


@pytest.fixture
def data(db: None) -> Data:
    purchaser = OrganisationFactory(name="测试甲方", code="rpt-p",
                                    kind=OrganisationKind.PURCHASER)
    vendor = OrganisationFactory(name="测试乙方", code="rpt-v", kind=OrganisationKind.VENDOR)
    contract = make_contract(purchaser, vendor, number="RPT-COLLECT", title="报表测试合同",
                             start_date=datetime.date(2025, 1, 1),
                             end_date=datetime.date(2025, 12, 31))
    urban = AreaClass.objects.create(contract=contract, code="urban", name="市区")
    suburb = AreaClass.objects.create(contract=contract, code="suburb", name="郊区")
    d1 = District.objects.create(contract=contract, code="d1", name="黄浦区", area_class=urban)
    d2 = District.objects.create(contract=contract, code="d2", name="崇明区", area_class=suburb)
    outlet = SiteType.objects.create(contract=contract, code="outlet", name="网点")
    sites = [Site.objects.create(contract=contract, code=f"s{i}", name=f"网点{i}",
                                 district=district, site_type=outlet, status=SiteStatus.ACTIVE,
                                 area_class_override=override)
             for i, (district, override) in enumerate([(d1, None), (d2, None), (d1, suburb)])]
    types = [TicketType.objects.create(contract=contract, code="hw", name="硬件故障",
                                       category=TicketCategory.FAULT),
             TicketType.objects.create(contract=contract, code="sr", name="服务请求",
                                       category=TicketCategory.SERVICE_REQUEST)]
    engineers = [UserFactory(username=f"rpt-eng{i}", organisation=vendor,
                             role=Role.VENDOR_ENGINEER, last_name="工程师", first_name=str(i))
                 for i in range(2)]
    checklist = ChecklistTemplate.objects.create(contract=contract, code="c", name="检查表")
    plan = MaintenancePlan.objects.create(contract=contract, code="monthly", name="月度巡检",
                                          checklist=checklist, frequency=Frequency.MONTHLY,
                                          scope=PlanScope.SITE)
    d = Data(contract, sites, types, engineers, plan, [], [])
    # Tickets: the period is October 2025 (Beijing time).
    _ticket(d, type_=0, site=0, level="一级", reported="2025-10-02 09:00",
            closed="2025-10-03 10:00", arrived="2025-10-02 10:00",
            restored="2025-10-02 12:30")
    _ticket(d, type_=0, site=1, level="二级", reported="2025-10-10 09:00",
            arrived="2025-10-10 11:00", restored="2025-10-10 12:00")
    _ticket(d, type_=1, site=2, level="二级", override="一级", reported="2025-10-31 23:30",
            engineer=1)
    _ticket(d, type_=1, site=None, level="", reported="2025-10-15 08:00",
            closed="2025-11-02 08:00", engineer=1)
    # Before the period: one closed in it, one still open; after it: not counted.
    _ticket(d, type_=0, site=0, level="三级", reported="2025-09-28 09:00",
            closed="2025-10-01 00:00")
    _ticket(d, type_=0, site=1, level="三级", reported="2025-09-29 09:00")
    _ticket(d, type_=0, site=1, level="一级", reported="2025-11-01 00:00")
    # SLA stages stopped in the period (and one outside).
    for ticket, code, name, status, stopped in [
            (d.tickets[0], "respond", "响应", "met", "2025-10-02 09:10"),
            (d.tickets[0], "restore", "修复", "breached", "2025-10-02 12:30"),
            (d.tickets[1], "respond", "响应", "met", "2025-10-10 09:20"),
            (d.tickets[1], "restore", "修复", "met", "2025-10-10 12:00"),
            (d.tickets[4], "respond", "响应", "breached", "2025-10-01 08:00"),
            (d.tickets[5], "respond", "响应", "met", "2025-09-29 09:10")]:
        TicketStage.objects.create(ticket=ticket, order=1 if code == "respond" else 2,
                                   code=code, name=name, status=status,
                                   stopped_at=at(stopped))
    for ticket, kind, when, penalty in [(d.tickets[0], "breach", "2025-10-02 12:00", "0.50"),
                                        (d.tickets[0], "warning", "2025-10-02 11:00", None),
                                        (d.tickets[4], "breach", "2025-10-01 08:00", "0.25"),
                                        (d.tickets[5], "breach", "2025-09-30 08:00", "1.00")]:
        SlaAlert.objects.create(ticket=ticket, contract=contract, stage="restore", kind=kind,
                                at=at(when), penalty_percent=Decimal(penalty) if penalty
                                else None)
    # Visits whose windows end in October, one ending in November.
    v0 = _visit(d, 0, "2025-10-31 00:00", VisitStatus.DONE, checked_in="2025-10-08 09:00",
                completed="2025-10-08 10:30")
    v1 = _visit(d, 1, "2025-10-31 00:00", VisitStatus.DONE, late=True,
                checked_in="2025-10-20 09:00", completed="2025-10-20 09:30")
    _visit(d, 2, "2025-10-31 00:00", VisitStatus.MISSED, breach="2025-10-31 01:00")
    _visit(d, 0, "2025-11-30 00:00", VisitStatus.PLANNED)
    for visit, item, ticket in [(v0, "UPS 电池鼓包", d.tickets[1]), (v1, "UPS 电池鼓包", None),
                                (v1, "网线松动", None), (v0, "柜面整洁", None)]:
        VisitResult.objects.create(visit=visit, item_code=item, text=item,
                                   kind=ItemKind.PASS_FAIL, abnormal=item != "柜面整洁",
                                   ticket=ticket)
    # Spares: issues and returns in October, an issue in September.
    part = PartType.objects.create(contract=contract, code="printer", name="打印机",
                                   unit_cost=Decimal("1000"))
    store = Warehouse.objects.create(contract=contract, code="w", name="仓库")
    for kind, quantity, when in [(MovementKind.RECEIVE, 10, "2025-10-01 09:00"),
                                 (MovementKind.ISSUE, -3, "2025-10-05 09:00"),
                                 (MovementKind.ISSUE, -2, "2025-10-25 09:00"),
                                 (MovementKind.RETURN_FAULTY, 1, "2025-10-26 09:00"),
                                 (MovementKind.ISSUE, -4, "2025-09-05 09:00")]:
        StockMovement.objects.create(contract=contract, warehouse=store, part_type=part,
                                     kind=kind, condition=Condition.NEW, quantity=quantity,
                                     unit_cost=Decimal("1000"), amount=Decimal("0"),
                                     occurred_at=at(when))
    # Certificates and product software.
    software = AssetType.objects.create(contract=contract, code="sw", name="核心系统",
                                        category=AssetCategory.PRODUCT_SOFTWARE)
    asset = Asset.objects.create(contract=contract, asset_type=software, name="CA 系统",
                                 attributes={"version": "1.10"})
    for holder, expires in [("证书甲", "2025-10-15"), ("证书乙", "2025-12-20"),
                            ("证书丙", "2026-03-01"), ("证书丁", "2025-09-30")]:
        Certificate.objects.create(contract=contract, holder=holder, asset=asset,
                                   expires_on=datetime.date.fromisoformat(expires))
    return d


def _in_period(when: datetime.datetime | None) -> bool:
    return when is not None and at("2025-10-01 00:00") <= when < at("2025-11-01 00:00")


def test_rpt07_collect_is_json_clean_with_period_and_contract(data: Data):
    """RPT-07: the data is JSON-serialisable (the snapshot kept with the files) and names the
    period and the contract with its parties."""
    result = collect(data.contract, START, END, [])
    assert json.loads(json.dumps(result)) == result
    assert result["period"] == {"start": "2025-10-01", "end": "2025-10-31"}
    assert result["contract"]["number"] == "RPT-COLLECT"
    assert set(result["contract"]["parties"].values()) == {"测试甲方", "测试乙方"}
    assert set(ReportSection.values) <= set(result)


def test_rpt07_tickets_by_level_type_site_district_area_class(data: Data):
    """RPT-07: tickets opened in the period by level (the override wins), type, site,
    district and area class (the site's override wins); opened, closed, open at the end."""
    tickets = collect(data.contract, START, END, ["tickets"])["tickets"]
    opened = [t for t in data.tickets if _in_period(t.reported_at)]
    assert tickets["opened"] == len(opened) == 4
    assert tickets["closed"] == sum(_in_period(t.closed_at) for t in data.tickets) == 2
    until = at("2025-11-01 00:00")
    assert tickets["open_at_end"] == sum(
        t.reported_at < until and (t.closed_at is None or t.closed_at >= until)
        for t in data.tickets) == 4
    assert tickets["by_level"] == dict(Counter(
        (t.fault_level_override or t.fault_level or "—") for t in opened))
    assert tickets["by_type"] == dict(Counter(t.ticket_type.name for t in opened))
    assert tickets["by_site"] == dict(Counter(t.site.name if t.site else "—" for t in opened))
    assert tickets["by_district"] == dict(Counter(
        t.site.district.name if t.site else "—" for t in opened))
    assert tickets["by_area_class"] == dict(Counter(
        (t.site.area_class.name if t.site and t.site.area_class else "—") for t in opened))
    assert tickets["by_area_class"] == {"郊区": 2, "市区": 1, "—": 1}
    assert tickets["charts"] and tickets["charts"][0].startswith("<svg")


def test_rpt07_sla_attainment_per_stage(data: Data):
    """RPT-07, SLA-05: per stage stopped in the period — count, met, breached and
    attainment %."""
    sla = collect(data.contract, START, END, ["sla"])["sla"]
    stages = TicketStage.objects.filter(ticket__contract=data.contract)
    expected: dict[str, Counter[str]] = {}
    for stage in stages:
        if _in_period(stage.stopped_at):
            expected.setdefault(stage.code, Counter())[stage.status] += 1
    got = {row["code"]: row for row in sla["stages"]}
    assert set(got) == set(expected)
    for code, counts in expected.items():
        total = sum(counts.values())
        assert (got[code]["count"], got[code]["met"], got[code]["breached"]) == (
            total, counts["met"], counts["breached"])
        assert got[code]["attainment"] == round(counts["met"] * 100 / total, 1)
    assert (sla["count"], sla["met"], sla["attainment"]) == (5, 3, 60.0)


def test_rpt07_asm03_breaches_list_sla_inspection_and_deliverable(data: Data):
    """RPT-07, RPT-06, ASM-03: breaches recorded in the period — SLA breaches (not
    warnings), missed visits with a breach, late deliverables with a breach — each with its
    date and penalty %."""
    weekly = make_deliverable(data.contract, "weekly", cadence=Cadence.WEEKLY, due_weekday=2,
                              late_is_breach=True, penalty_percent=Decimal("1"))
    for key, breach in (("w40", "2025-10-07 00:00"), ("w44", "2025-11-04 00:00")):
        Submission.objects.create(contract=data.contract, deliverable=weekly, key=key,
                                  period_start=START, period_end=START, due_at=at(breach),
                                  breach_recorded_at=at(breach),
                                  penalty_percent=Decimal("1"))
    breaches = collect(data.contract, START, END, ["breaches"])["breaches"]
    alerts = [a for a in SlaAlert.objects.filter(contract=data.contract)
              if a.kind == "breach" and _in_period(a.at)]
    visits = [v for v in data.visits if _in_period(v.breach_recorded_at)]
    assert breaches["total"] == len(alerts) + len(visits) + 1 == 4
    assert [r["date"] for r in breaches["rows"]] == ["2025-10-01", "2025-10-02", "2025-10-07",
                                                     "2025-10-31"]
    assert breaches["penalty_percent"] == float(
        sum(a.penalty_percent for a in alerts) + sum(v.penalty_percent for v in visits) + 1)
    assert sorted(breaches["by_kind"].values()) == [1, 1, 2]


def test_pm09_inspections_due_done_late_missed(data: Data):
    """RPT-07, PM-09: visits whose window ends in the period — due, done on time, late,
    missed — in total, by plan and by district."""
    inspections = collect(data.contract, START, END, ["inspections"])["inspections"]
    due = [v for v in data.visits if at("2025-10-01 00:00") < v.window_end
           <= at("2025-11-01 00:00")]
    assert inspections["due"] == len(due) == 3
    assert inspections["on_time"] == sum(v.status == "done" and not v.late for v in due)
    assert inspections["late"] == sum(v.status == "done" and v.late for v in due)
    assert inspections["missed"] == sum(v.status == "missed" for v in due)
    assert [r["name"] for r in inspections["by_plan"]] == ["月度巡检"]
    assert {r["name"]: r["due"] for r in inspections["by_district"]} == {"黄浦区": 2,
                                                                         "崇明区": 1}


def test_pm01_item14_checklist_problems_grouped_by_item(data: Data):
    """PM-01 item 14 (月度归类统计、分析): abnormal results grouped by item text with counts
    and the tickets they raised; normal results are not problems."""
    problems = collect(data.contract, START, END, ["checklist_problems"])["checklist_problems"]
    abnormal = [r for r in VisitResult.objects.select_related("visit") if r.abnormal]
    assert problems["total"] == len(abnormal) == 3
    assert {r["item"]: r["count"] for r in problems["by_item"]} == dict(
        Counter(r.text for r in abnormal))
    battery = problems["by_item"][0]
    assert battery["item"] == "UPS 电池鼓包" and battery["tickets"] == 1
    assert battery["ticket_numbers"] == data.tickets[1].number


def test_spr01_spares_issued_and_returned_in_the_period(data: Data):
    """RPT-07, SPR-01: parts issued and returned in the period by part type, and stock
    compliance from the ratio rules (none here: compliant)."""
    spares = collect(data.contract, START, END, ["spares"])["spares"]
    assert spares["by_part_type"] == {"打印机": {"issued": 5, "returned": 1}}
    assert (spares["issued"], spares["returned"]) == (5, 1)
    assert spares["stock"][0]["part_type"] == "打印机" and spares["compliant"] is True


def test_ast07_certificates_expiring_in_the_period_or_the_next_90_days(data: Data):
    """RPT-07, AST-07: certificates expiring in the period or within 90 days after it, in
    date order; expired earlier or later ones are not listed."""
    certificates = collect(data.contract, START, END, ["certificates"])["certificates"]
    assert [r["certificate"] for r in certificates["rows"]] == ["证书甲", "证书乙"]
    assert (certificates["in_period"], certificates["within_90_days"]) == (1, 1)


def test_rpt07_effort_per_engineer_and_category(data: Data):
    """RPT-07 (人力资源分类分析统计): tickets opened in the period per engineer and category,
    visits completed per engineer; hours approximated from arrival to restoration and from
    check-in to completion."""
    effort = collect(data.contract, START, END, ["effort"])["effort"]
    engineers = effort["by_engineer"]
    assert engineers["工程师0"] == {"tickets": 2, "visits": 0, "hours": 3.5}
    assert engineers["工程师1"] == {"tickets": 2, "visits": 2, "hours": 2.0}
    counts = {name: row["count"] for name, row in effort["by_category"].items()}
    assert sorted(counts.values()) == [2, 2, 2] and sum(counts.values()) == 6


def test_rpt07_product_versions(data: Data):
    """RPT-07 (seed 002 产品版本清单): product software assets with their version, as text."""
    versions = collect(data.contract, START, END, ["versions"])["versions"]
    assert versions["rows"] == [{"asset": "CA 系统", "code": "", "type": "核心系统",
                                 "version": "1.10"}]


def _queries(contract: Contract, section: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        collect(contract, START, END, [section])
    return len(queries)


@pytest.mark.parametrize("section", ReportSection.values)
def test_rpt07_queries_per_section_do_not_grow_with_the_data(data: Data, section: str):
    """RPT-07 performance: each section runs a fixed number of queries (GROUP BY in the
    database), the same with three times the tickets, visits and results (caches such as
    the contract's SLA policy warmed first)."""
    collect(data.contract, START, END, [section])
    before = _queries(data.contract, section)
    for i in range(6):
        ticket = _ticket(data, type_=i % 2, site=i % 3, level=f"{i % 3}级",
                         reported=f"2025-10-{i + 3:02d} 09:00", engineer=i % 2,
                         arrived=f"2025-10-{i + 3:02d} 10:00",
                         restored=f"2025-10-{i + 3:02d} 11:00")
        TicketStage.objects.create(ticket=ticket, order=1, code=f"s{i}", name=f"环节{i}",
                                   status="met", stopped_at=at(f"2025-10-{i + 3:02d} 10:00"))
        visit = _visit(data, i % 3, "2025-10-31 00:00", VisitStatus.DONE,
                       checked_in="2025-10-09 09:00", completed="2025-10-09 10:00")
        VisitResult.objects.create(visit=visit, item_code=f"x{i}", text=f"问题{i}",
                                   kind=ItemKind.PASS_FAIL, abnormal=True, ticket=ticket)
    assert _queries(data.contract, section) == before
    assert before <= 8, section
