"""The contract spec's ``deliverables`` section: checks with paths and clear messages, an
idempotent import, the deletion rule and the export round trip (RPT-01..07)."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.exporter import export_data, export_text
from weibao.contracts.spec.importer import import_spec, import_text
from weibao.contracts.spec.loader import load_yaml
from weibao.contracts.spec.validate import spec_errors
from weibao.reports.choices import Cadence, Covers, DelayUnit, TriggerKind
from weibao.reports.models import Deliverable, ReportTemplate, Submission
from weibao.reports.spec import check

from .conftest import at

BASE: dict[str, Any] = {
    "spec_version": 1,
    "contract": {"number": "RPT-SPEC-1", "title": "报告测试合同", "amount": Decimal("100000.00"),
                 "period": {"start": "2025-01-01", "end": "2025-12-31"}},
    "parties": [
        {"role": "purchaser",
         "organisation": {"name": "报告甲方", "code": "rpt-purchaser", "kind": "purchaser"}},
        {"role": "vendor",
         "organisation": {"name": "报告乙方", "code": "rpt-vendor", "kind": "vendor"}},
    ],
    "tickets": {"types": [{"code": "fault", "name": "故障", "category": "fault"}]},
    "maintenance": {
        "checklists": [{"code": "ups", "name": "UPS 保养",
                        "items": [{"code": "ok", "text": "运行正常", "kind": "pass_fail"}]}],
        "plans": [{"code": "ups-quarterly", "name": "UPS 季度保养", "checklist": "ups",
                   "scope": {"contract": True}, "frequency": "quarterly"}],
    },
    "deliverables": [
        {"code": "weekly-report", "name": "网点运维周报表", "cadence": "weekly",
         "due": {"weekday": 2, "before": True}, "sections": ["tickets", "sla"],
         "missed": {"breach": True, "penalty_percent": 1}, "clause": "每周二前递交"},
        {"code": "monthly-plan", "name": "月度维护计划", "cadence": "monthly",
         "covers": "current", "due": {"day": 5}, "sections": ["inspections"]},
        {"code": "half-yearly", "name": "运行维护报告", "cadence": "half_yearly",
         "due": {"after": {"amount": 10, "unit": "working_days"}},
         "review_within_working_days": 10},
        {"code": "ups-report", "name": "UPS 维护保养检查报告", "cadence": "after_event",
         "trigger": {"visit_done": "ups-quarterly"},
         "due": {"after": {"amount": 7, "unit": "days"}},
         "sections": ["inspections", "checklist_problems"]},
        {"code": "fault-report", "name": "运维故障报告", "cadence": "after_event",
         "trigger": {"ticket_restored": "fault"}},
        {"code": "summary", "name": "运维服务总结报告", "cadence": "after_event",
         "trigger": {"contract_end": True}, "missed": {"breach": True}, "active": False},
    ],
}

DELETE = object()


def spec(**changes: Any) -> dict[str, Any]:
    """BASE with dotted-path changes below ``deliverables``, e.g.
    spec(**{"0.cadence": "monthly"})."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = data["deliverables"]
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


def _messages(data: dict[str, Any]) -> list[str]:
    return [e.message("en") for e in spec_errors(data)]


# (changes, expected path, expected English message fragment)
BROKEN = [
    ({"1.code": "weekly-report"}, "deliverables[1].code", "weekly-report appears more than once"),
    ({"0.due": {"day": 21}}, "deliverables[0].due.day", "a weekly report has no day"),
    ({"1.due": {"weekday": 2}}, "deliverables[1].due.weekday", "a monthly report has no weekday"),
    ({"1.due": {"after": {"amount": 3, "unit": "days"}}}, "deliverables[1].due.after",
     "a monthly report has no after"),
    ({"2.due": {"day": 1}}, "deliverables[2].due.day", "a half_yearly report has no day"),
    ({"3.due": {"weekday": 1}}, "deliverables[3].due.weekday",
     "a after_event report has no weekday"),
    ({"2.covers": "current"}, "deliverables[2].covers",
     "only weekly and monthly reports have covers"),
    ({"3.trigger": DELETE}, "deliverables[3].trigger", "an after_event report needs a trigger"),
    ({"0.trigger": {"contract_end": True}}, "deliverables[0].trigger",
     "only after_event reports have a trigger"),
    ({"3.trigger": {"visit_done": "ups-quarterly", "contract_end": True}},
     "deliverables[3].trigger", "exactly one of visit_done, ticket_restored or contract_end"),
    ({"3.trigger": {}}, "deliverables[3].trigger", "exactly one of"),
    ({"3.trigger": {"visit_done": "nope"}}, "deliverables[3].trigger.visit_done",
     "nope is not a maintenance plan of this contract"),
    ({"4.trigger": {"ticket_restored": "nope"}}, "deliverables[4].trigger.ticket_restored",
     "nope is not a ticket type of this contract"),
    ({"0.template": "nope"}, "deliverables[0].template",
     "nope is not a report template of this contract or a default one"),
    ({"0.missed": {"breach": False, "penalty_percent": 1}},
     "deliverables[0].missed.penalty_percent",
     "a penalty is only charged when a late report is a breach"),
    ({"0.missed.penalty_percent": Decimal("0.0001")}, "deliverables[0].missed.penalty_percent",
     "has more than 3 decimals"),
    ({"0.missed.penalty_percent": 0}, "deliverables[0].missed.penalty_percent",
     "must be greater than 0"),
    ({"0.sections": ["tickets", "weather"]}, "deliverables[0].sections[1]", "is not one of"),
    ({"0.sections": ["tickets", "tickets"]}, "deliverables[0].sections", "has duplicate entries"),
    ({"0.cadence": "daily"}, "deliverables[0].cadence", "is not one of"),
    ({"0.due.weekday": 8}, "deliverables[0].due.weekday", "8 is greater than 7"),
    ({"1.due.day": 0}, "deliverables[1].due.day", "0 is less than 1"),
    ({"2.due.after.unit": "hours"}, "deliverables[2].due.after.unit", "is not one of"),
    ({"2.accepted_by": "vendor_manager"}, "deliverables[2].accepted_by", "is not one of"),
    ({"2.accepted_by": "supervisor"}, "deliverables[2].accepted_by", "is not one of"),
    ({"0.deadline": "周二"}, "deliverables[0].deadline", "unknown key"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "path", "fragment"), BROKEN,
                         ids=[b[1] + ":" + b[2][:20] for b in BROKEN])
def test_broken_deliverables_section_names_the_place_and_the_rule(changes, path, fragment):
    """RPT-01..06: every rule a deliverable breaks is reported with its path and a clear
    message, and nothing is written."""
    data = spec(**changes)
    messages = _messages(data)
    assert any(m.startswith(f"{path}: ") and fragment in m for m in messages), messages
    with pytest.raises(SpecInvalid):
        import_spec(data)
    assert not Deliverable.objects.exists()


@pytest.mark.django_db
def test_the_base_section_is_valid():
    """RPT-01..06: each cadence with the due rule that fits it, and each kind of trigger."""
    assert spec_errors(spec()) == []
    # Without a due rule every cadence falls back to its default (see weibao.reports.schedule).
    bare = spec(**{f"{i}.due": DELETE for i in range(4)})
    assert spec_errors(bare) == []


@pytest.mark.django_db
def test_import_writes_deliverables_as_the_file_says():
    """RPT-01/02/03/05/06: cadence, covered period, due rule, trigger, sections, acceptance,
    review time, breach and penalty land in the Deliverable fields the scheduler reads."""
    contract = import_spec(spec()).contract
    rows = {d.code: d for d in Deliverable.objects.filter(contract=contract)}
    assert list(rows) == ["weekly-report", "monthly-plan", "half-yearly", "ups-report",
                          "fault-report", "summary"]
    weekly = rows["weekly-report"]
    assert (weekly.cadence, weekly.covers, weekly.due_weekday, weekly.due_exclusive) == (
        Cadence.WEEKLY, Covers.PREVIOUS, 2, True)
    assert weekly.late_is_breach and weekly.penalty_percent == Decimal("1.000")
    assert weekly.sections == ["tickets", "sla"] and weekly.clause == "每周二前递交"
    assert weekly.accepted_by == "purchaser_staff" and weekly.active
    plan = rows["monthly-plan"]
    assert (plan.covers, plan.due_day, plan.due_exclusive) == (Covers.CURRENT, 5, False)
    half = rows["half-yearly"]
    assert (half.due_after_amount, half.due_after_unit) == (10, DelayUnit.WORKING_DAYS)
    assert half.accepted_by == "purchaser_staff" and half.review_working_days == 10
    assert half.due_weekday is None and half.due_day is None and not half.late_is_breach
    ups = rows["ups-report"]
    assert ups.trigger == TriggerKind.VISIT_DONE and ups.trigger_plan is not None
    assert ups.trigger_plan.code == "ups-quarterly" and ups.trigger_plan.contract == contract
    assert (ups.due_after_amount, ups.due_after_unit) == (7, DelayUnit.DAYS)
    fault = rows["fault-report"]
    assert fault.trigger == TriggerKind.TICKET_RESTORED
    assert fault.trigger_ticket_type is not None and fault.trigger_ticket_type.code == "fault"
    assert fault.due_after_amount is None and fault.due_after_unit == ""
    summary = rows["summary"]
    assert summary.trigger == TriggerKind.CONTRACT_END and not summary.active
    assert summary.late_is_breach and summary.penalty_percent is None


@pytest.mark.django_db
def test_reimport_writes_nothing_and_export_round_trips():
    """RPT-01: importing the same file again changes nothing (no audit entries); the export
    is the file's section, and export then import gives the same data."""
    from auditlog.models import LogEntry

    contract = import_spec(spec()).contract
    entries = LogEntry.objects.count()
    import_spec(spec())
    assert LogEntry.objects.count() == entries, "an identical re-import must write nothing"
    assert export_data(contract)["deliverables"] == BASE["deliverables"]
    text = export_text(contract)
    again = import_text(text)
    assert again.contract.pk == contract.pk
    assert LogEntry.objects.count() == entries
    assert load_yaml(export_text(again.contract)) == load_yaml(text)


@pytest.mark.django_db
def test_reimport_updates_in_place_and_removes_what_has_no_submissions():
    """A changed file updates the deliverables it names, keeps their ids and order, and
    removes the ones without submissions it no longer lists."""
    contract = import_spec(spec()).contract
    weekly_id = Deliverable.objects.get(contract=contract, code="weekly-report").pk
    changed = spec(**{"0.due": {"weekday": 1}, "0.missed": DELETE, "4": DELETE})
    changed["deliverables"].reverse()
    import_spec(changed)
    weekly = Deliverable.objects.get(contract=contract, code="weekly-report")
    assert weekly.pk == weekly_id
    assert (weekly.due_weekday, weekly.due_exclusive, weekly.late_is_breach,
            weekly.penalty_percent) == (1, False, False, None)
    assert list(Deliverable.objects.filter(contract=contract).values_list("code", flat=True)) == [
        "summary", "ups-report", "half-yearly", "monthly-plan", "weekly-report"]


@pytest.mark.django_db
def test_a_deliverable_with_submissions_is_not_removed_but_may_be_deactivated():
    """RPT-04: a submission is evidence of the contract's performance: the deliverable it
    belongs to cannot be removed from the file (the import says to set active: false, and
    writes nothing); with active: false it stays and is kept inactive."""
    contract = import_spec(spec()).contract
    weekly = Deliverable.objects.get(contract=contract, code="weekly-report")
    Submission.objects.create(contract=contract, deliverable=weekly, key="2025-W02",
                              period_start=datetime.date(2025, 1, 6),
                              period_end=datetime.date(2025, 1, 12),
                              due_at=at("2025-01-14 00:00"))
    with pytest.raises(SpecInvalid) as raised:
        import_spec(spec(**{"0": DELETE}))
    messages = [e.message("en") for e in raised.value.errors]
    assert any("weekly-report has submissions and cannot be removed" in m
               and "active: false" in m for m in messages), messages
    assert Deliverable.objects.filter(contract=contract).count() == 6
    import_spec(spec(**{"0.active": False}))
    weekly.refresh_from_db()
    assert weekly.active is False


@pytest.mark.django_db
def test_a_partial_file_refers_to_what_is_recorded():
    """A file with only the deliverables (no maintenance or tickets lists) may name the plans
    and ticket types already recorded for the contract, and no others."""
    import_spec(spec())
    partial = spec()
    del partial["maintenance"], partial["tickets"]
    assert spec_errors(partial) == []
    other = copy.deepcopy(partial)
    other["contract"]["number"] = "RPT-SPEC-2"
    messages = _messages(other)
    assert any(m.startswith("deliverables[3].trigger.visit_done: ") for m in messages)
    assert any(m.startswith("deliverables[4].trigger.ticket_restored: ") for m in messages)


@pytest.mark.django_db
def test_a_template_is_the_contracts_own_or_a_default_one():
    """RPT-07: a deliverable names a Word template by code — a default one, or the contract's
    own, which wins over a default of the same code; the export names it again."""
    ReportTemplate.objects.create(code="standard", name="默认模板",
                                  file=ContentFile(b"docx", name="standard.docx"))
    contract = import_spec(spec(**{"0.template": "standard"})).contract
    weekly = Deliverable.objects.get(contract=contract, code="weekly-report")
    assert weekly.template is not None and weekly.template.contract is None
    own = ReportTemplate.objects.create(contract=contract, code="standard", name="甲方格式",
                                        file=ContentFile(b"docx", name="own.docx"))
    import_spec(spec(**{"0.template": "standard"}))
    weekly.refresh_from_db()
    assert weekly.template == own
    assert export_data(contract)["deliverables"][0]["template"] == "standard"


def test_checks_run_without_a_database_when_the_file_has_every_list():
    """`weibao contract validate` before migrate: the checks read the file's own lists."""
    data = spec()
    data["contract"] = {k: v for k, v in data["contract"].items() if k != "number"}
    assert check(data["deliverables"], data) == []


@given(cadence=st.sampled_from(list(Cadence.values)),
       keys=st.sets(st.sampled_from(["weekday", "day", "after"]), max_size=3))
def test_a_due_rule_is_refused_exactly_when_it_does_not_fit_the_cadence(
        cadence: str, keys: set[str]) -> None:
    """RPT-01/02/05: weekly reports take a weekday, monthly ones a day of the month, the
    others a delay; any other due key is refused, naming it."""
    values = {"weekday": 2, "day": 21, "after": {"amount": 1, "unit": "days"}}
    entry: dict[str, Any] = {"code": "r", "name": "报告", "cadence": cadence,
                             "due": {key: values[key] for key in keys}}
    if cadence == Cadence.AFTER_EVENT:
        entry["trigger"] = {"contract_end": True}
    fits = {Cadence.WEEKLY: "weekday", Cadence.MONTHLY: "day"}.get(cadence, "after")
    errors = check([entry], {"contract": {}})
    assert sorted(e.path for e in errors) == sorted(
        f"deliverables[0].due.{key}" for key in keys if key != fits)


@pytest.mark.django_db
def test_schema_documents_every_key():
    """The published reference shows the section with a description per key."""
    from weibao.contracts.spec.registry import build_schema

    section = build_schema()["properties"]["deliverables"]
    entry = section["items"]["properties"]
    assert {"cadence", "covers", "due", "trigger", "sections", "template", "accepted_by",
            "review_within_working_days", "missed", "active"} <= set(entry)
    assert all("description" in entry[key] for key in
               ("cadence", "covers", "sections", "template", "accepted_by"))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(penalty=st.decimals(min_value=Decimal("0.001"), max_value=100, places=3),
       amount=st.integers(0, 366))
def test_numbers_survive_import_and_export_exactly(penalty: Decimal, amount: int) -> None:
    """RPT-05/06: a penalty (up to 3 decimals) and a delay are stored and exported exactly;
    re-importing the export changes nothing."""
    data = spec(**{"0.missed.penalty_percent": penalty, "2.due.after.amount": amount})
    contract = import_spec(data).contract
    exported = export_data(contract)["deliverables"]
    assert Decimal(str(exported[0]["missed"]["penalty_percent"])) == penalty
    assert exported[2]["due"]["after"]["amount"] == amount
    assert load_yaml(export_text(import_text(export_text(contract)).contract))[
        "deliverables"] == exported
