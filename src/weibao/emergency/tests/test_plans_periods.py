"""Emergency plans (EMG-01 [002 §9.1.1 1]) with versions and an overdue review, and major
periods (EMG-04 [002 §3.7.1.1.3]) with on-site duty and security reports."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weibao.assets.models import Asset
from weibao.emergency.choices import PeriodKind
from weibao.emergency.services.common import EmergencyConflict
from weibao.emergency.services.periods import (
    assign_duty,
    create_period,
    file_period_report,
    remove_duty,
)
from weibao.emergency.services.plans import create_plan, issue_version, record_review
from weibao.testing.examples import Setup

SECTIONS = {"organisation": "组长：项目经理", "prevention": "每日检查、每月隐患排查",
            "response_levels": "Ⅰ级：30 分钟内到场", "disposal": "隔离、切换、取证",
            "recovery": "从备份恢复"}


def test_emg01_plan_versions_and_review(ca: Setup) -> None:
    """EMG-01: a plan per system; each version numbered with the sections; a review moves
    the next review date; a review date passed shows the plan overdue."""
    manager = ca.people["manager"]
    system = Asset.objects.get(contract=ca.contract, code="sys-labour")
    plan = create_plan(ca.contract, manager, title="劳动保障系统应急预案", system=system)
    with pytest.raises(EmergencyConflict):
        record_review(plan, ca.people["purchaser"],
                      next_review=timezone.localdate() + datetime.timedelta(days=90))
    with pytest.raises(ValidationError) as error:
        issue_version(plan, manager, {})
    assert "disposal" in error.value.message_dict
    first = issue_version(plan, manager, SECTIONS, expected_version=plan.version)
    second = issue_version(plan, manager, {"note": "更新联系人", "review_due": None},
                           document=SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf"))
    assert (first.number, second.number) == (1, 2)
    plan.refresh_from_db()
    assert plan.current_version == 2 and plan.last_reviewed_on == timezone.localdate()
    today = timezone.localdate()
    plan.review_due = today - datetime.timedelta(days=1)
    assert plan.review_overdue(today)
    reviewed = record_review(plan, ca.people["purchaser"],
                             next_review=today + datetime.timedelta(days=180))
    assert not reviewed.review_overdue(today)
    with pytest.raises(ValidationError):
        record_review(plan, manager, next_review=today)
    with pytest.raises(ValidationError) as error:
        create_plan(ca.contract, manager, title="重复", system=system)
    assert "already has an emergency plan" in error.value.message_dict["system"][0]
    hardware = Asset.objects.filter(contract=ca.contract).exclude(
        asset_type__category="information_system").first()
    with pytest.raises(ValidationError):
        create_plan(ca.contract, manager, title="UPS", system=hardware)
    for person in ("engineer", "purchaser", "outsider"):
        with pytest.raises(PermissionDenied):
            create_plan(ca.contract, ca.people[person], title="x")


def test_emg04_major_period_duty_and_report(ca: Setup, onsite: Setup) -> None:
    """EMG-04: a period, who is on site on which day (a person of the contract's parties,
    within the period, once per shift), and its security report."""
    purchaser, engineer = ca.people["purchaser"], ca.people["engineer"]
    start = datetime.date(2025, 10, 1)
    with pytest.raises(ValidationError):
        create_period(ca.contract, purchaser, name="国庆", kind=PeriodKind.HOLIDAY,
                      starts_on=start, ends_on=start - datetime.timedelta(days=1))
    period = create_period(ca.contract, purchaser, name="国庆保障", kind=PeriodKind.HOLIDAY,
                           starts_on=start, ends_on=datetime.date(2025, 10, 7))
    duty = assign_duty(period, ca.people["manager"], person=engineer, day=start, shift="白班",
                       place="天山路1800号")
    with pytest.raises(ValidationError):
        assign_duty(period, ca.people["manager"], person=engineer, day=start, shift="白班")
    with pytest.raises(ValidationError):
        assign_duty(period, ca.people["manager"], person=engineer,
                    day=datetime.date(2025, 10, 8))
    with pytest.raises(ValidationError):
        assign_duty(period, ca.people["manager"], person=onsite.people["engineer"], day=start)
    with pytest.raises(PermissionDenied):
        assign_duty(period, engineer, person=engineer, day=start)
    with pytest.raises(ValidationError):
        file_period_report(period, engineer, title="重保报告")
    report = file_period_report(period, engineer, title="《重保时期安全服务报告》",
                                content="值守期间无安全事件")
    assert report.filed_by == engineer
    remove_duty(duty, ca.people["manager"])
    assert not period.duties.exists()
    with pytest.raises(PermissionDenied):
        create_period(ca.contract, ca.people["outsider"], name="x", kind=PeriodKind.EVENT,
                      starts_on=start, ends_on=start)
