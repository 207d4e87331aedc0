"""The contract spec's ``assessment`` section: checks with paths and clear messages, an
idempotent import, the removal rules and the export round trip (ASM-01..05, PAY-03)."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.assessment.choices import BreachSource, Method, Metric, Scoring
from weibao.assessment.models import (
    Assessment,
    AssessmentItem,
    AssessmentLine,
    AssessmentScheme,
    Breach,
    PenaltyRule,
)
from weibao.assessment.spec import PARAMS, check
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.validate import spec_errors
from weibao.testing.factories import UserFactory

from .conftest import at

MILESTONE = {"name": "尾款", "remainder": "final_price", "trigger": {"kind": "after_assessment"}}
BASE: dict[str, Any] = {
    "spec_version": 1,
    "contract": {"number": "ASM-SPEC-1", "title": "考核测试合同", "amount": Decimal("100000.00"),
                 "period": {"start": "2025-01-01", "end": "2025-12-31"}},
    "parties": [
        {"role": "purchaser",
         "organisation": {"name": "考核甲方", "code": "asm-purchaser", "kind": "purchaser"}},
        {"role": "vendor",
         "organisation": {"name": "考核乙方", "code": "asm-vendor", "kind": "vendor"}},
    ],
    "payment": {"milestones": [MILESTONE],
                "final_price": {"factor_by_score": [{"above": 85, "factor": 100},
                                                    {"factor": 90}]}},
    "tickets": {"types": [{"code": "fault", "name": "故障", "category": "fault"}]},
    "service_levels": {
        "calendar": "7x24",
        "stages": [{"code": "respond", "name": "响应", "start": "reported", "stop": "responded"}],
        "targets": [{"stage": "respond", "within": {"amount": 2, "unit": "hours"}}],
    },
    "maintenance": {
        "checklists": [{"code": "ups", "name": "UPS 保养",
                        "items": [{"code": "ok", "text": "运行正常", "kind": "pass_fail"}]}],
        "plans": [{"code": "ups-quarterly", "name": "UPS 季度保养", "checklist": "ups",
                   "scope": {"contract": True}, "frequency": "quarterly"}],
    },
    "deliverables": [{"code": "monthly", "name": "月报", "cadence": "monthly"}],
    "assessment": {
        "method": "score",
        "total_points": 100,
        "review_working_days": 10,
        "clause": "总分值100分",
        "items": [
            {"code": "respond", "name": "响应度", "metric": "stage_attainment",
             "params": {"stage": "respond", "ticket_types": ["fault"]}, "points": 30,
             "scoring": "proportional", "clause": "响应度 30分"},
            {"code": "inspections", "name": "巡检", "metric": "inspection_coverage",
             "params": {"plans": ["ups-quarterly"]}, "points": 20, "scoring": "proportional"},
            {"code": "reports", "name": "报告", "metric": "deliverables_on_time",
             "params": {"deliverables": ["monthly"]}, "points": Decimal("19.5"),
             "scoring": "manual", "unit": "%"},
            {"code": "attendance", "name": "出勤率", "metric": "manual", "points": Decimal("30.5"),
             "scoring": "manual"},
        ],
        "termination": {"breaches": 5, "penalty_percent": 20},
        "penalties": [
            {"code": "integrity", "name": "违反廉洁协议", "min_percent": 1, "max_percent": 5,
             "clause": "1 至 5 %"},
            {"code": "not-rectified", "name": "未按时整改", "percent": 20},
            {"code": "untrue", "name": "虚假承诺", "min_percent": 30},
        ],
    },
}

CRITERIA: dict[str, Any] = {
    "method": "criteria",
    "items": [
        {"code": "order", "name": "下单", "metric": "manual", "comparison": "le",
         "threshold": 60, "unit": "日"},
        {"code": "respond", "name": "故障响应", "metric": "response_within",
         "params": {"minutes": 15}, "comparison": "ge", "threshold": 100, "unit": "%"},
        {"code": "resolve", "name": "处理率", "metric": "resolved_within",
         "params": {"working_days": 3}, "comparison": "gt", "threshold": Decimal("95.5")},
    ],
    "grades": [{"met": 3, "rating": "优秀"}, {"met": 2, "rating": "一般"}],
}

DELETE = object()


def spec(**changes: Any) -> dict[str, Any]:
    """BASE with dotted-path changes below ``assessment``, e.g. spec(**{"items.0.points": 5})."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = data["assessment"]
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


def criteria(**changes: Any) -> dict[str, Any]:
    """A criteria scheme with rating bands, changed like spec()."""
    data = spec(**changes) if not changes else spec()
    data["assessment"] = copy.deepcopy(CRITERIA)
    data["payment"]["final_price"] = {"factor_by_rating": [{"rating": "优秀", "factor": 100},
                                                           {"rating": "一般", "factor": 97}]}
    for dotted, value in changes.items():
        target: Any = data["assessment"]
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


def ledger() -> dict[str, Any]:
    data = spec()
    data["assessment"] = {"method": "ledger", "termination": {"breaches": 5},
                          "penalties": [{"code": "other", "name": "其他违约", "percent": 1}]}
    del data["payment"]["final_price"]
    return data


def _messages(data: dict[str, Any]) -> list[str]:
    return [e.message("en") for e in spec_errors(data)]


# (spec, expected path, expected English message fragment)
BROKEN = [
    (spec(**{"items.1.code": "respond"}), "assessment.items[1].code",
     "respond appears more than once"),
    (spec(**{"items.0.points": 40}), "assessment.items",
     "the items' points add up to 110, not 100"),
    (spec(total_points=DELETE), "assessment.total_points", "a score scheme needs total_points"),
    (spec(items=[]), "assessment.items", "a score scheme needs items"),
    (spec(grades=[{"met": 1, "rating": "优秀"}]), "assessment.grades",
     "a score scheme has no grades"),
    (spec(**{"items.0.points": DELETE}), "assessment.items[0].points",
     "a score scheme needs points"),
    (spec(**{"items.0.scoring": DELETE}), "assessment.items[0].scoring",
     "a score scheme needs scoring"),
    (spec(**{"items.0.threshold": 90}), "assessment.items[0].threshold",
     "a score scheme has no threshold"),
    (spec(**{"items.3.scoring": "proportional"}), "assessment.items[3].scoring",
     "proportional scoring needs a measured percentage, not manual"),
    (spec(**{"items.0.params": {}}), "assessment.items[0].params",
     "the metric stage_attainment needs stage"),
    (spec(**{"items.0.params.minutes": 15}), "assessment.items[0].params.minutes",
     "the metric stage_attainment takes no minutes"),
    (spec(**{"items.3.params": {"stage": "respond"}}), "assessment.items[3].params.stage",
     "the metric manual takes no stage"),
    (spec(**{"items.0.params.stage": "arrive"}), "assessment.items[0].params.stage",
     "arrive is not a stage of this contract's service levels"),
    (spec(**{"items.0.params.ticket_types": ["fault", "nope"]}),
     "assessment.items[0].params.ticket_types[1]", "nope is not a ticket type of this contract"),
    (spec(**{"items.1.params.plans": ["nope"]}), "assessment.items[1].params.plans[0]",
     "nope is not a maintenance plan of this contract"),
    (spec(**{"items.2.params.deliverables": ["nope"]}),
     "assessment.items[2].params.deliverables[0]", "nope is not a deliverable of this contract"),
    (spec(**{"items.0.params.minutes": 0}), "assessment.items[0].params.minutes",
     "0 is less than 1"),
    (spec(**{"items.0.params.working_days": Decimal("1.5")}),
     "assessment.items[0].params.working_days", "is not of type"),
    (spec(**{"items.0.params.colour": "red"}), "assessment.items[0].params.colour",
     "unknown key"),
    (spec(**{"items.0.metric": "attendance"}), "assessment.items[0].metric", "is not one of"),
    (spec(**{"items.0.points": Decimal("30.001")}), "assessment.items[0].points",
     "has more than 2 decimals"),
    (spec(**{"items.0.points": 0}), "assessment.items[0].points", "must be greater than 0"),
    (spec(method="grade"), "assessment.method", "is not one of"),
    (spec(method=DELETE), "assessment.method", "required"),
    (spec(**{"termination.breaches": 0}), "assessment.termination.breaches",
     "0 is less than 1"),
    (spec(**{"termination": {"penalty_percent": 20}}), "assessment.termination.breaches",
     "required"),
    (spec(**{"termination.penalty_percent": Decimal("0.0001")}),
     "assessment.termination.penalty_percent", "has more than 3 decimals"),
    (spec(**{"penalties.1.code": "integrity"}), "assessment.penalties[1].code",
     "integrity appears more than once"),
    (spec(**{"penalties.1.min_percent": 5}), "assessment.penalties[1]",
     "give either percent or min_percent"),
    (spec(**{"penalties.1.percent": DELETE}), "assessment.penalties[1]",
     "give either percent or min_percent"),
    (spec(**{"penalties.0.min_percent": DELETE}), "assessment.penalties[0]",
     "give either percent or min_percent"),
    (spec(**{"penalties.0.min_percent": 6}), "assessment.penalties[0].max_percent",
     "min_percent 6 is more than max_percent 5"),
    (spec(**{"penalties.1.percent": 101}), "assessment.penalties[1].percent",
     "101 is greater than 100"),
    (spec(clause=""), "assessment.clause", "is shorter than 1 characters"),
    (spec(weights=[]), "assessment.weights", "unknown key"),
    (criteria(**{"items.0.comparison": DELETE}), "assessment.items[0].comparison",
     "a criteria scheme needs comparison"),
    (criteria(**{"items.0.threshold": DELETE}), "assessment.items[0].threshold",
     "a criteria scheme needs threshold"),
    (criteria(**{"items.0.points": 10}), "assessment.items[0].points",
     "a criteria scheme has no points"),
    (criteria(**{"items.0.scoring": "manual"}), "assessment.items[0].scoring",
     "a criteria scheme has no scoring"),
    (criteria(**{"items.0.comparison": "ne"}), "assessment.items[0].comparison",
     "is not one of"),
    (criteria(**{"items.2.threshold": Decimal("95.0001")}), "assessment.items[2].threshold",
     "has more than 3 decimals"),
    (criteria(grades=DELETE), "assessment.grades", "a criteria scheme needs grades"),
    (criteria(total_points=100), "assessment.total_points",
     "a criteria scheme has no total_points"),
    (criteria(**{"grades.1.rating": "良好"}), "assessment.grades[1].rating",
     "良好 has no factor in payment.final_price.factor_by_rating"),
    (criteria(**{"grades.0.met": 4}), "assessment.grades[0].met",
     "4 is more than the 3 criteria"),
    (criteria(**{"grades.1.met": 3}), "assessment.grades[1].met", "3 appears more than once"),
    (criteria(**{"grades.1.rating": "优秀"}), "assessment.grades[1].rating",
     "优秀 appears more than once"),
    (criteria(**{"items.1.params": {"working_days": 1}}), "assessment.items[1].params",
     "the metric response_within needs minutes"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "path", "fragment"), BROKEN,
                         ids=[b[1] + ":" + b[2][:24] for b in BROKEN])
def test_broken_assessment_section_names_the_place_and_the_rule(data, path, fragment):
    """ASM-01..05: every rule the section breaks is reported with its path and a clear
    message, and nothing is written."""
    messages = _messages(data)
    assert any(m.startswith(f"{path}: ") and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(data)
    assert not AssessmentScheme.objects.exists() and not PenaltyRule.objects.exists()


@pytest.mark.django_db
def test_a_score_scheme_needs_score_bands_and_a_ledger_no_items():
    """PAY-03: a score has no factor without payment.final_price.factor_by_score; a ledger
    scheme has no items, grades or total."""
    data = spec()
    del data["payment"]["final_price"]
    assert any(m.startswith("assessment.method: ") and "factor_by_score" in m
               for m in _messages(data))
    broken = ledger()
    broken["assessment"]["items"] = copy.deepcopy(BASE["assessment"]["items"])
    broken["assessment"]["grades"] = [{"met": 1, "rating": "优秀"}]
    messages = _messages(broken)
    assert any(m.startswith("assessment.items: ") and "a ledger scheme has no items" in m
               for m in messages), messages
    assert any(m.startswith("assessment.grades: ") for m in messages)


@pytest.mark.django_db
def test_the_three_methods_are_valid():
    """ASM-01/02/03: a weighted score, a criteria count with grades, the ledger alone."""
    assert spec_errors(spec()) == []
    assert spec_errors(criteria()) == []
    assert spec_errors(ledger()) == []


@pytest.mark.django_db
def test_import_writes_the_scheme_its_items_and_penalty_rules():
    """ASM-01/03/04: method, total, review time, termination, items in order with their
    metric, params and scoring, and the penalty rules with their ranges."""
    contract = import_spec(spec()).contract
    scheme = AssessmentScheme.objects.get(contract=contract)
    assert (scheme.method, scheme.total_points, scheme.review_working_days) == (
        Method.SCORE, Decimal("100.00"), 10)
    assert (scheme.termination_breaches, scheme.termination_penalty_percent) == (
        5, Decimal("20.000"))
    assert scheme.clause == "总分值100分" and scheme.grades == []
    items = list(AssessmentItem.objects.filter(scheme=scheme))
    assert [(i.sequence, i.code) for i in items] == [
        (1, "respond"), (2, "inspections"), (3, "reports"), (4, "attendance")]
    respond = items[0]
    assert (respond.metric, respond.params, respond.points, respond.scoring) == (
        Metric.STAGE_ATTAINMENT, {"stage": "respond", "ticket_types": ["fault"]},
        Decimal("30.00"), Scoring.PROPORTIONAL)
    assert respond.comparison == "" and respond.threshold is None
    assert items[2].points == Decimal("19.50") and items[2].unit == "%"
    rules = {r.code: (r.min_percent, r.max_percent) for r in
             PenaltyRule.objects.filter(contract=contract)}
    assert rules == {"integrity": (Decimal(1), Decimal(5)),
                     "not-rectified": (Decimal(20), Decimal(20)),
                     "untrue": (Decimal(30), Decimal(100))}


@pytest.mark.django_db
def test_import_writes_criteria_and_grades():
    """ASM-02: each criterion's comparison, threshold and unit; the grades as written."""
    contract = import_spec(criteria()).contract
    scheme = AssessmentScheme.objects.get(contract=contract)
    assert scheme.method == Method.CRITERIA and scheme.total_points is None
    assert scheme.grades == [{"met": 3, "rating": "优秀"}, {"met": 2, "rating": "一般"}]
    resolve = scheme.items.get(code="resolve")
    assert (resolve.comparison, resolve.threshold, resolve.points, resolve.scoring) == (
        "gt", Decimal("95.500"), None, "")


@pytest.mark.django_db
@pytest.mark.parametrize("make", [spec, criteria, ledger], ids=["score", "criteria", "ledger"])
def test_reimport_writes_nothing_and_export_round_trips(make):
    """ASM-01..04: importing the same file again changes nothing (no audit entries); the
    export is the file's section, and export then import gives the same data."""
    from auditlog.models import LogEntry

    data = make()
    contract = import_spec(data).contract
    entries = LogEntry.objects.count()
    import_spec(make())
    assert LogEntry.objects.count() == entries, "an identical re-import must write nothing"
    assert export_data(contract)["assessment"] == data["assessment"]
    text = export_text(contract)
    again = import_text(text)
    assert again.contract.pk == contract.pk
    assert LogEntry.objects.count() == entries
    assert load_yaml(export_text(again.contract)) == load_yaml(text)


@pytest.mark.django_db
def test_a_file_without_the_section_leaves_the_scheme():
    """The key absent from the file leaves the scheme and the penalty rules as they are."""
    contract = import_spec(spec()).contract
    data = spec()
    del data["assessment"]
    import_spec(data)
    assert AssessmentScheme.objects.filter(contract=contract).exists()
    assert PenaltyRule.objects.filter(contract=contract).count() == 3


@pytest.mark.django_db
def test_reimport_updates_in_place_and_removes_what_nothing_refers_to():
    """A changed file updates the items it names (same ids, new order) and removes the items
    and rules no assessment or breach refers to."""
    contract = import_spec(spec()).contract
    scheme = AssessmentScheme.objects.get(contract=contract)
    respond_id = scheme.items.get(code="respond").pk
    changed = spec(**{"items.0.points": Decimal("49.5"), "items.2": DELETE,
                      "penalties.2": DELETE})
    changed["assessment"]["items"].reverse()
    import_spec(changed)
    assert list(scheme.items.values_list("code", "sequence")) == [
        ("attendance", 1), ("inspections", 2), ("respond", 3)]
    respond = scheme.items.get(code="respond")
    assert respond.pk == respond_id and respond.points == Decimal("49.50")
    assert set(PenaltyRule.objects.filter(contract=contract).values_list("code", flat=True)) == {
        "integrity", "not-rectified"}


def _assessment(contract: Any) -> Assessment:
    user = UserFactory()
    return Assessment.objects.create(contract=contract, period_start=datetime.date(2025, 1, 1),
                                     period_end=datetime.date(2025, 6, 30), created_by=user)


@pytest.mark.django_db
def test_what_an_assessment_or_a_breach_refers_to_is_not_removed():
    """ASM-04/06: an item measured by an assessment, a penalty rule applied to a breach, and
    the method of a contract with assessments stay; the import names them and writes
    nothing."""
    contract = import_spec(spec()).contract
    scheme = AssessmentScheme.objects.get(contract=contract)
    assessment = _assessment(contract)
    AssessmentLine.objects.create(assessment=assessment, item=scheme.items.get(code="reports"))
    Breach.objects.create(contract=contract, source=BreachSource.OTHER,
                          penalty_rule=PenaltyRule.objects.get(contract=contract,
                                                               code="untrue"),
                          occurred_at=at("2025-03-01 10:00"), description="虚假承诺",
                          penalty_percent=Decimal(30), penalty_amount=Decimal("30000.00"))
    with pytest.raises(SpecInvalid) as raised:
        import_spec(spec(**{"items.3.points": 50, "items.2": DELETE, "penalties.2": DELETE}))
    messages = [e.message("en") for e in raised.value.errors]
    assert any("item reports has been assessed and cannot be removed" in m for m in messages)
    assert any("penalty rule untrue has been applied to breaches" in m for m in messages)
    assert scheme.items.count() == 4 and PenaltyRule.objects.filter(contract=contract).count() == 3
    with pytest.raises(SpecInvalid) as raised:
        import_spec(ledger())
    assert any(m.startswith("assessment.method: ") and "the method stays score" in m
               for m in (e.message("en") for e in raised.value.errors))
    assert AssessmentScheme.objects.get(contract=contract).method == Method.SCORE


@pytest.mark.django_db
def test_a_partial_file_refers_to_what_is_recorded():
    """A file with only the assessment (no lists of stages, ticket types, plans, deliverables
    or payment) may name the codes and bands recorded for the contract, and no others."""
    import_spec(spec())
    partial = spec()
    for key in ("tickets", "service_levels", "maintenance", "deliverables", "payment"):
        del partial[key]
    assert spec_errors(partial) == []
    other = copy.deepcopy(partial)
    other["contract"]["number"] = "ASM-SPEC-2"
    messages = _messages(other)
    for path in ("assessment.items[0].params.stage",
                 "assessment.items[0].params.ticket_types[0]",
                 "assessment.items[1].params.plans[0]",
                 "assessment.items[2].params.deliverables[0]", "assessment.method"):
        assert any(m.startswith(f"{path}: ") for m in messages), (path, messages)


def test_checks_run_without_a_database_when_the_file_has_every_list():
    """`weibao contract validate` before migrate: the checks read the file's own lists."""
    for data in (spec(), criteria(), ledger()):
        data["contract"] = {k: v for k, v in data["contract"].items() if k != "number"}
        assert check(data["assessment"], data) == []


def test_every_metric_has_its_params():
    """The Metric list and the params table agree: a metric without a rule cannot be written."""
    assert set(PARAMS) == set(Metric.values)


@given(metric=st.sampled_from(list(Metric.values)),
       keys=st.sets(st.sampled_from(["stage", "minutes", "working_days", "ticket_types",
                                     "plans", "deliverables", "sources"]), max_size=4))
def test_params_are_refused_exactly_when_the_metric_does_not_take_them(
        metric: str, keys: set[str]) -> None:
    """ASM-01/02: each metric takes its own params; any other is refused naming it, and a
    missing required one is named."""
    values = {"stage": "respond", "minutes": 15, "working_days": 3, "ticket_types": ["fault"],
              "plans": ["ups-quarterly"], "deliverables": ["monthly"], "sources": ["sla"]}
    data = copy.deepcopy(BASE)
    data["contract"] = {}
    item = {"code": "x", "name": "项", "metric": metric, "points": 100, "scoring": "manual",
            "params": {key: values[key] for key in keys}}
    data["assessment"] = {"method": "score", "total_points": 100, "items": [item]}
    required, optional = PARAMS[metric]
    errors = check(data["assessment"], data)
    expected = {f"assessment.items[0].params.{key}" for key in keys - required - optional}
    if required - keys:
        expected.add("assessment.items[0].params")
    assert {e.path for e in errors} == expected


@pytest.mark.django_db
def test_schema_documents_every_key():
    """The published reference shows the section with a description per key."""
    from weibao.contracts.spec.registry import build_schema

    section = build_schema()["properties"]["assessment"]
    assert {"method", "total_points", "review_working_days", "items", "grades",
            "termination", "penalties"} <= set(section["properties"])
    item = section["properties"]["items"]["items"]["properties"]
    assert all("description" in item[key] for key in
               ("metric", "points", "scoring", "comparison", "threshold"))


@pytest.mark.django_db
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("60.49"), places=2),
       threshold=st.decimals(min_value=-999, max_value=999, places=3),
       percent=st.decimals(min_value=Decimal("0.001"), max_value=100, places=3))
def test_numbers_survive_import_and_export_exactly(points: Decimal, threshold: Decimal,
                                                   percent: Decimal) -> None:
    """ASM-01/02/04: points (2 decimals), thresholds and percents (3) are stored and exported
    exactly; re-importing the export changes nothing."""
    data = spec(**{"items.0.points": points, "items.3.points": Decimal("60.5") - points,
                   "penalties.1.percent": percent})
    contract = import_spec(data).contract
    exported = export_data(contract)["assessment"]
    assert Decimal(str(exported["items"][0]["points"])) == points
    assert Decimal(str(exported["penalties"][1]["percent"])) == percent
    rated = criteria(**{"items.2.threshold": threshold})
    rated["contract"]["number"] = "ASM-SPEC-3"
    other = import_spec(rated).contract
    assert Decimal(str(export_data(other)["assessment"]["items"][2]["threshold"])) == threshold
    assert load_yaml(export_text(import_text(export_text(contract)).contract))[
        "assessment"] == exported
