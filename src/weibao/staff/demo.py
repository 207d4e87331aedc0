"""Demo data of the staff app, loaded by ``weibao demo``: a fictitious team per example
contract, sized by its spec's staffing rules (seed 000: 20 outlet engineers, 1 with the Kylin
certificate — short by 1 on purpose; 001: 2 resident; 002: 23 with 15 resident; 004: 1
resident), written through the services. A contract that already has a team is skipped."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from weibao.contracts.models import Contract
from weibao.staff.choices import StaffRole
from weibao.staff.models import Member
from weibao.staff.services import add_member

__all__ = ["TEAMS", "load_demo"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜敏静磊洋勇艳杰涛明超秀霞平刚桂英华"
#: contract number → (team size, residents, Kylin certificate holders)
TEAMS = {"11N4252038312025801": (20, 0, 1), "20241149308": (2, 2, 0),
         "310000000241106144530-00183718": (23, 15, 0), "11N4251906122026201": (1, 1, 0)}


def load_demo(write: Callable[[str], object]) -> None:
    for number, (size, residents, kylin) in TEAMS.items():
        contract = Contract.objects.filter(number=number).first()
        if contract is None or Member.objects.filter(contract=contract).exists():
            continue
        starts_on = contract.start_date
        for i in range(size):
            certificates: list[tuple[str, datetime.date | None]] = [
                ("信息系统运行管理员（示例）", starts_on + datetime.timedelta(days=400 + i * 9))]
            if i < kylin:
                certificates.append(("麒麟操作系统应用专项技术证书（示例）",
                                     starts_on + datetime.timedelta(days=730)))
            add_member(contract, SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
                       + "（示例）", starts_on=starts_on, resident=i < residents,
                       role=StaffRole.PROJECT_MANAGER if i == 0 and size > 1
                       else StaffRole.ENGINEER,
                       certificates=certificates)
        write(f"staff: {contract.number} — {size} members")
