"""The demo team of each example contract (STF-01), idempotent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.staff.demo import load_demo
from weibao.staff.models import Member
from weibao.staff.selectors import contract_compliance
from weibao.staff.services import add_member
from weibao.testing.examples import example_setup


@pytest.mark.django_db
def test_demo_teams_and_their_compliance_stf01() -> None:
    contracts = {e: example_setup(e, e[:3]).contract for e in (
        "000-shanghai-sbk-outlets.yaml", "001-changzhou-hrss-onsite.yaml",
        "002-shanghai-hrss-ca-integration.yaml", "004-qingpu-egov-cloud.yaml")}
    lines: list[str] = []
    load_demo(lines.append)
    load_demo(lines.append)
    assert len(lines) == 4 and Member.objects.count() == 20 + 2 + 23 + 1
    for example, contract in contracts.items():
        short = [r for r in contract_compliance(contract, contract.start_date) if not r.ok]
        if example.startswith("000"):
            assert [str(r) for r in short] == [
                "≥2 持麒麟操作系统应用专项技术证书: 1 — short by 1"]
        else:
            assert short == []


@pytest.mark.django_db
def test_add_member_refuses_bad_input() -> None:
    contract = example_setup("004-qingpu-egov-cloud.yaml", "m").contract
    with pytest.raises(ValidationError, match="姓名"):
        add_member(contract, "  ", starts_on=contract.start_date)
    with pytest.raises(ValidationError, match="未知角色"):
        add_member(contract, "张三", starts_on=contract.start_date, role="boss")


@pytest.mark.django_db
def test_demo_accounts_are_linked_to_the_team_so_the_engineer_can_check_in() -> None:
    from weibao.staff.demo import after_accounts

    setup = example_setup("001-changzhou-hrss-onsite.yaml", "lnk")
    load_demo(lambda line: None)
    lines: list[str] = []
    after_accounts(lines.append)
    after_accounts(lines.append)  # idempotent
    engineer = Member.objects.get(contract=setup.contract, user=setup.people["engineer"])
    manager = Member.objects.get(contract=setup.contract, user=setup.people["manager"])
    assert engineer.resident and engineer.role == "engineer"
    assert manager.role == "project_manager"
    assert lines == ["staff: 2 demo accounts linked to team members"]
