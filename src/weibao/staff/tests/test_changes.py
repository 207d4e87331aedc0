"""Personnel changes (STF-05): a replacement less qualified is refused (seed 001: 本科 for the
residents, the handover of ≥20 days; seed 002: 30 days of notice), the purchaser approves or
refuses with a reason, may demand a replacement, and the handover ends the leaving member's
time on the team."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.staff.choices import ChangeStatus, Education, StaffRole
from weibao.staff.models import Member, PersonalData
from weibao.staff.services import add_member
from weibao.staff.services import changes as services
from weibao.testing.examples import Setup, example_setup

START = datetime.date(2024, 9, 1)
LEAVES = datetime.date(2024, 11, 30)


@pytest.fixture
def onsite(db: object) -> Setup:
    return example_setup("001-changzhou-hrss-onsite.yaml", "chg")


def _person(s: Setup, name: str, education: str, *, starts_on: datetime.date = START,
            certificates: list[str] | None = None) -> Member:
    member = add_member(s.contract, name, starts_on=starts_on, resident=True,
                        role=StaffRole.ENGINEER,
                        certificates=[(c, None) for c in certificates or []])
    PersonalData.objects.create(member=member, education=education)
    return member


def test_stf05_a_less_qualified_replacement_is_refused(onsite: Setup) -> None:
    manager = onsite.people["manager"]
    leaving = _person(onsite, "王本科", Education.BACHELOR, certificates=["信息系统运行管理员"])
    college = _person(onsite, "李大专", Education.COLLEGE, starts_on=datetime.date(2024, 10, 1),
                      certificates=["信息系统运行管理员"])
    with pytest.raises(ValidationError) as caught:
        services.request_change(onsite.contract, manager, leaving=leaving, replacement=college,
                                reason="个人原因离职", effective_on=LEAVES)
    text = caught.value.message_dict["replacement"][0]
    assert "驻场运维服务技术支持人员（本科以上）" in text and "lower education" in text
    no_cert = _person(onsite, "赵本科", Education.BACHELOR, starts_on=datetime.date(2024, 10, 1))
    with pytest.raises(ValidationError, match="lacks the certificate 信息系统运行管理员"):
        services.request_change(onsite.contract, manager, leaving=leaving, replacement=no_cert,
                                reason="个人原因离职", effective_on=LEAVES)


def test_stf05_seed_001_handover_of_at_least_20_days(onsite: Setup) -> None:
    manager = onsite.people["manager"]
    leaving = _person(onsite, "王本科", Education.BACHELOR)
    late = _person(onsite, "钱本科", Education.BACHELOR,
                   starts_on=LEAVES - datetime.timedelta(days=19))
    with pytest.raises(ValidationError, match="at least 20 days of on-site handover"):
        services.request_change(onsite.contract, manager, leaving=leaving, replacement=late,
                                reason="调岗", effective_on=LEAVES)
    Member.objects.filter(pk=late.pk).update(starts_on=LEAVES - datetime.timedelta(days=20))
    late.refresh_from_db()
    change = services.request_change(onsite.contract, manager, leaving=leaving,
                                     replacement=late, reason="调岗", effective_on=LEAVES)
    assert change.status == ChangeStatus.REQUESTED
    with pytest.raises(ValidationError, match="already open"):
        services.request_change(onsite.contract, manager, leaving=leaving, replacement=late,
                                reason="调岗", effective_on=LEAVES)


def test_stf05_the_purchaser_decides_and_the_handover_ends_the_membership(onsite: Setup):
    manager, purchaser = onsite.people["manager"], onsite.people["purchaser"]
    leaving = _person(onsite, "王本科", Education.BACHELOR)
    replacement = _person(onsite, "孙硕士", Education.MASTER, starts_on=datetime.date(2024, 10, 1))
    change = services.request_change(onsite.contract, manager, leaving=leaving,
                                     replacement=replacement, reason="调岗",
                                     effective_on=LEAVES)
    with pytest.raises(PermissionDenied):
        services.decide_change(change, manager, approve=True)
    with pytest.raises(ValidationError):
        services.decide_change(change, purchaser, approve=False)  # a refusal needs a reason
    with pytest.raises(ValidationError, match="Only an approved change"):
        services.complete_change(change, manager)
    approved = services.decide_change(change, purchaser, approve=True, note="同意")
    assert approved.status == ChangeStatus.APPROVED and approved.decided_by == purchaser
    done = services.complete_change(change, manager)
    assert done.status == ChangeStatus.COMPLETED
    assert Member.objects.get(pk=leaving.pk).ends_on == LEAVES


def test_stf05_the_purchaser_may_demand_a_replacement(onsite: Setup) -> None:
    leaving = _person(onsite, "王本科", Education.BACHELOR)
    with pytest.raises(PermissionDenied):
        services.request_change(onsite.contract, onsite.people["engineer"], leaving=leaving,
                                replacement=None, reason="不合格", effective_on=LEAVES,
                                demanded_by_purchaser=True)
    change = services.request_change(onsite.contract, onsite.people["purchaser"],
                                     leaving=leaving, replacement=None,
                                     reason="多次未按时到岗", effective_on=LEAVES,
                                     demanded_by_purchaser=True)
    assert change.demanded_by_purchaser and change.status == ChangeStatus.APPROVED


@pytest.mark.django_db
def test_stf05_seed_002_written_notice_30_days_before() -> None:
    s = example_setup("002-shanghai-hrss-ca-integration.yaml", "n30")
    leaving = add_member(s.contract, "王工", starts_on=START)
    replacement = add_member(s.contract, "李工", starts_on=START)
    today = datetime.date(2024, 11, 1)
    with pytest.raises(ValidationError, match="30 days before"):
        services.request_change(s.contract, s.people["manager"], leaving=leaving,
                                replacement=replacement, reason="调岗",
                                effective_on=today + datetime.timedelta(days=29), today=today)
    change = services.request_change(s.contract, s.people["manager"], leaving=leaving,
                                     replacement=replacement, reason="调岗",
                                     effective_on=today + datetime.timedelta(days=30),
                                     today=today)
    assert change.pk is not None


def test_stf05_the_purchaser_is_told_of_a_request_and_the_manager_of_the_decision(
        onsite: Setup, django_capture_on_commit_callbacks: Any) -> None:
    from weibao.notifications.models import Notification

    manager, purchaser = onsite.people["manager"], onsite.people["purchaser"]
    leaving = _person(onsite, "王本科", Education.BACHELOR)
    replacement = _person(onsite, "孙硕士", Education.MASTER, starts_on=datetime.date(2024, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        change = services.request_change(onsite.contract, manager, leaving=leaving,
                                         replacement=replacement, reason="调岗",
                                         effective_on=LEAVES)
    told = Notification.objects.filter(kind="staff.change_requested")
    assert {n.recipient for n in told} == {purchaser}
    assert "王本科" in told[0].subject and told[0].link.startswith("/staff/changes/")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_change(change, purchaser, approve=True, note="同意")
    assert {n.recipient for n in Notification.objects.filter(kind="staff.change_decided")} \
        == {manager}
