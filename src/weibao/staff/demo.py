"""Demo data of the staff app, loaded by ``weibao demo``: a fictitious team per example
contract, sized by its spec's staffing rules (seed 000: 20 outlet engineers, 1 with the Kylin
certificate — short by 1 on purpose; 001: 2 resident; 002: 23 with 15 resident; 004: 1
resident), written through the services, with fictitious personal data (every resident holds a
bachelor's degree, as seed 001 asks) and the last 30 days of the residents' attendance: checked
in on most working days, one absent day each, closed like the nightly task does. A contract
that already has a team is skipped."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.staff.choices import AttendanceStatus, Education, StaffRole
from weibao.staff.models import AttendanceDay, Member, PersonalData
from weibao.staff.services import add_member
from weibao.staff.services.attendance import close_days, working_days
from weibao.staff.services.personal import valid_id_number

__all__ = ["TEAMS", "after_accounts", "load_demo"]

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
            member = add_member(contract, SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
                       + "（示例）", starts_on=starts_on, resident=i < residents,
                       role=StaffRole.PROJECT_MANAGER if i == 0 and size > 1
                       else StaffRole.ENGINEER,
                       certificates=certificates)
            PersonalData.objects.create(
                member=member, id_number=demo_id_number(i), phone=f"1380000{i:04d}",
                education=Education.BACHELOR if i < max(residents, 1) else Education.COLLEGE,
                major="计算机科学与技术", years_experience=3 + i % 8)
        _attendance(contract)
        write(f"staff: {contract.number} — {size} members")


def demo_id_number(i: int) -> str:
    """A fictitious ID number with a valid check character (area 110101, born 1990)."""
    stem = f"11010119900101{i:03d}"
    return next(stem + c for c in "0123456789X" if valid_id_number(stem + c))


def _attendance(contract: Contract) -> None:
    """The last 30 days of the service (up to yesterday) for each resident."""
    last = min(contract.end_date, timezone.localdate() - datetime.timedelta(days=1))
    first = max(contract.start_date, last - datetime.timedelta(days=30))
    if last < first:
        return
    days = working_days(contract).between(first, last)  # type: ignore[attr-defined]
    residents = list(Member.objects.filter(contract=contract, resident=True))
    tz = timezone.get_current_timezone()
    rows = []
    for n, member in enumerate(residents):
        for k, day in enumerate(days):
            if k == (n * 3 + 5) % max(len(days), 1):
                continue  # one absent day each
            start = datetime.datetime.combine(day, datetime.time(8, 40 + (k + n) % 20),
                                              tzinfo=tz)
            rows.append(AttendanceDay(member=member, day=day, status=AttendanceStatus.PRESENT,
                                      check_in_at=start,
                                      check_out_at=start + datetime.timedelta(hours=9),
                                      location="甲方机房（示例）"))
    AttendanceDay.objects.bulk_create(rows, ignore_conflicts=True)
    close_days(contract, last, since=first)


def after_accounts(write: Callable[[str], object]) -> None:
    """Each demo vendor engineer and manager is the first unlinked resident (or member) of
    their contracts' teams: the engineer can check in on the phone, the manager is the project
    manager. Idempotent: a member already linked stays as it is."""
    from weibao.core.choices import Role
    from weibao.core.models import User

    linked = 0
    for number in TEAMS:
        contract = Contract.objects.filter(number=number).first()
        vendor = contract.vendor if contract is not None else None
        if vendor is None:
            continue
        team = Member.objects.filter(contract=contract).order_by("-resident", "pk")
        for role, member_role in ((Role.VENDOR_MANAGER, StaffRole.PROJECT_MANAGER),
                                  (Role.VENDOR_ENGINEER, StaffRole.ENGINEER)):
            user = User.objects.filter(organisation=vendor.organisation, role=role).first()
            if user is None or team.filter(user=user).exists():
                continue
            member = team.filter(user__isnull=True, role=member_role).first()
            if member is not None:
                Member.objects.filter(pk=member.pk).update(user=user)
                linked += 1
    if linked:
        write(f"staff: {linked} demo accounts linked to team members")
