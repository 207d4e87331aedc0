"""Attendance of resident staff (出勤率, STF-04).

A resident checks in and out on the phone; each working day of the contract calendar (its
holidays and 调休 working weekends included) that ends without a check-in is closed by
:func:`close_days` (the worker runs it every night for yesterday) as absent — or on leave, or
covered when the leave's substitute was present. The vendor manager corrects a day with a
reason; the purchaser confirms or rejects the correction. The monthly rate of a person is the
share of their due working days attended (present, or covered by a present substitute); the
contract's rate is the same over all residents — the ``attendance_rate`` metric of the
assessment counts the same closed days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff import notices
from weibao.staff.choices import ATTENDED, AttendanceStatus, CorrectionStatus
from weibao.staff.models import AttendanceCorrection, AttendanceDay, Leave, Member

__all__ = ["MemberMonth", "MonthlyAttendance", "add_leave", "check_in", "check_out",
           "close_days", "decide_correction", "monthly_attendance", "request_correction",
           "working_days"]


def working_days(contract: Contract) -> object:
    """The contract's working days (callable day → bool, with ``between``)."""
    from weibao.maintenance.schedule import contract_working_days

    return contract_working_days(contract)


def _own_or_keeper(actor: User, member: Member) -> None:
    if member.user_id == actor.pk:
        return
    if actor.has_perm("staff.change_attendanceday"):
        from weibao.contracts.selectors import visible_contracts

        if visible_contracts(actor).filter(pk=member.contract_id).exists():
            return
    raise PermissionDenied("Only the member or their manager records this attendance. / "
                           "只有本人或其项目经理可以登记考勤。")


def _active_resident(member: Member, day: datetime.date) -> None:
    if not member.resident:
        raise ValidationError("Only resident (驻场) members check in. / 只有驻场人员需要签到。")
    if day < member.starts_on or (member.ends_on is not None and day > member.ends_on):
        raise ValidationError(f"{member} is not on the team on {day}. / "
                              f"{member} 在 {day} 不在项目团队中。")


@transaction.atomic
def check_in(member: Member, actor: User, *, at: datetime.datetime | None = None,
             location: str = "") -> AttendanceDay:
    """Record the arrival of ``member`` (idempotent: the first check-in of the day stays)."""
    _own_or_keeper(actor, member)
    at = at or timezone.now()
    day = timezone.localdate(at)
    _active_resident(member, day)
    Member.objects.select_for_update().get(pk=member.pk)
    row, created = AttendanceDay.objects.get_or_create(
        member=member, day=day, defaults={"status": AttendanceStatus.PRESENT,
                                          "check_in_at": at, "location": location[:120]})
    if not created and row.check_in_at is None:
        row.status, row.check_in_at = AttendanceStatus.PRESENT, at
        row.location = row.location or location[:120]
        row.save(update_fields=["status", "check_in_at", "location"])
    return row


@transaction.atomic
def check_out(member: Member, actor: User, *,
              at: datetime.datetime | None = None) -> AttendanceDay:
    """Record the departure of ``member`` (the last check-out of the day counts)."""
    _own_or_keeper(actor, member)
    at = at or timezone.now()
    row = (AttendanceDay.objects.select_for_update()
           .filter(member=member, day=timezone.localdate(at), check_in_at__isnull=False).first())
    if row is None:
        raise ValidationError("Check in first. / 请先签到。")
    if at < row.check_in_at:  # type: ignore[operator]
        raise ValidationError("The check-out is before the check-in. / 签退时间早于签到时间。")
    row.check_out_at = at
    row.save(update_fields=["check_out_at"])
    return row


@transaction.atomic
def add_leave(member: Member, actor: User, *, starts_on: datetime.date, ends_on: datetime.date,
              substitute: Member | None = None, reason: str = "") -> Leave:
    """Whole days of leave for ``member``, with the substitute who covers the post."""
    if not actor.has_perm("staff.add_leave"):
        raise PermissionDenied("You may not record leave. / 您无权登记请假。")
    if ends_on < starts_on:
        raise ValidationError("The leave ends before it starts. / 请假结束日期早于开始日期。")
    if substitute is not None and (substitute.pk == member.pk
                                   or substitute.contract_id != member.contract_id):
        raise ValidationError({"substitute": "The substitute is another member of the same "
                                             "team. / 替岗人员须为同一团队的其他成员。"})
    Member.objects.select_for_update().get(pk=member.pk)
    if Leave.objects.filter(member=member, starts_on__lte=ends_on,
                            ends_on__gte=starts_on).exists():
        raise ValidationError("This leave overlaps another leave of the member. / "
                              "与该成员已有的请假时间重叠。")
    return Leave.objects.create(member=member, starts_on=starts_on, ends_on=ends_on,
                                substitute=substitute, reason=reason.strip())


def close_days(contract: Contract, through: datetime.date,
               since: datetime.date | None = None) -> int:
    """Close every past working day of the contract's residents up to ``through`` that has no
    check-in: on leave (covered when the substitute was present) or absent. Idempotent (a
    closed or checked-in day is kept); returns the number of days closed."""
    members = list(Member.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=since or datetime.date.min),
        contract=contract, resident=True, starts_on__lte=through))
    if not members:
        return 0
    first = since or min(m.starts_on for m in members)
    days = working_days(contract).between(first, through)  # type: ignore[attr-defined]
    ids = [m.pk for m in members]
    present = set(AttendanceDay.objects.filter(member_id__in=ids, day__gte=first,
                                               day__lte=through)
                  .values_list("member_id", "day"))
    attended = set(AttendanceDay.objects.filter(member_id__in=ids, day__gte=first,
                                                day__lte=through, status__in=ATTENDED)
                   .values_list("member_id", "day"))
    leaves: dict[int, list[Leave]] = defaultdict(list)
    for taken in Leave.objects.filter(member_id__in=ids, ends_on__gte=first,
                                      starts_on__lte=through):
        leaves[taken.member_id].append(taken)
    rows = []
    for member in members:
        last = min(through, member.ends_on or through)
        for day in days:
            if day < member.starts_on or day > last or (member.pk, day) in present:
                continue
            leave: Leave | None = next(
                (lv for lv in leaves[member.pk] if lv.starts_on <= day <= lv.ends_on), None)
            status = AttendanceStatus.ABSENT
            if leave is not None:
                covered = (leave.substitute_id is not None
                           and (leave.substitute_id, day) in attended)
                status = AttendanceStatus.SUBSTITUTED if covered else AttendanceStatus.LEAVE
            rows.append(AttendanceDay(member=member, day=day, status=status,
                                      substitute_id=leave.substitute_id if leave else None))
    AttendanceDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


@transaction.atomic
def request_correction(day: AttendanceDay, actor: User, *, status_to: str,
                       reason: str) -> AttendanceCorrection:
    """The vendor manager asks to correct a day, with the reason (STF-04)."""
    if not actor.has_perm("staff.add_attendancecorrection"):
        raise PermissionDenied("Only the vendor manager corrects attendance. / "
                               "只有乙方项目经理可以更正考勤。")
    if status_to not in AttendanceStatus.values or status_to == day.status:
        raise ValidationError({"status_to": "Choose a status other than the day's. / "
                                            "请选择与当前不同的考勤状态。"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the day is corrected. / 请说明更正理由。"})
    AttendanceDay.objects.select_for_update().get(pk=day.pk)
    if day.corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise ValidationError("A correction of this day already awaits the purchaser. / "
                              "该日已有待甲方确认的更正。")
    correction = AttendanceCorrection.objects.create(day=day, status_to=status_to,
                                                     reason=reason.strip(), requested_by=actor)
    notices.correction_requested(correction)
    return correction


@transaction.atomic
def decide_correction(correction: AttendanceCorrection, actor: User, *,
                      confirm: bool) -> AttendanceCorrection:
    """The purchaser confirms (the day takes the corrected status) or rejects a correction."""
    if not actor.has_perm("staff.confirm_attendancecorrection"):
        raise PermissionDenied("Only the purchaser confirms attendance corrections. / "
                               "只有甲方可以确认考勤更正。")
    locked = AttendanceCorrection.objects.select_for_update().get(pk=correction.pk)
    if locked.status != CorrectionStatus.PENDING:
        raise ValidationError("This correction was already decided. / 该更正已处理。")
    locked.status = CorrectionStatus.CONFIRMED if confirm else CorrectionStatus.REJECTED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if confirm:
        AttendanceDay.objects.filter(pk=locked.day_id).update(status=locked.status_to,
                                                              corrected=True)
    notices.correction_decided(locked)
    return locked


_CENT = Decimal("0.01")


def _rate(attended: int, due: int) -> Decimal | None:
    if not due:
        return None
    return (Decimal(attended) * 100 / Decimal(due)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MemberMonth:
    member: Member
    due: int
    attended: int
    absent: int
    leave: int

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.attended, self.due)


@dataclass(frozen=True)
class MonthlyAttendance:
    """A month's attendance of a contract's residents, up to ``through``."""

    start: datetime.date
    through: datetime.date
    members: list[MemberMonth]

    @property
    def due(self) -> int:
        return sum(m.due for m in self.members)

    @property
    def attended(self) -> int:
        return sum(m.attended for m in self.members)

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.attended, self.due)


def monthly_attendance(contract: Contract, year: int, month: int,
                       today: datetime.date | None = None) -> MonthlyAttendance:
    """Each resident's due working days of the month (up to yesterday), attended, absent and
    on-leave days, and the rates (STF-04): one query for the members, one aggregate."""
    from django.db.models import Count

    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    today = today or timezone.localdate()
    through = min(end, today - datetime.timedelta(days=1))
    members = list(Member.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start), contract=contract, resident=True,
        starts_on__lte=end).order_by("name", "pk"))
    days = (working_days(contract).between(start, through)  # type: ignore[attr-defined]
            if through >= start else [])
    counts: dict[tuple[int, str], int] = {
        (row["member_id"], row["status"]): row["n"]
        for row in AttendanceDay.objects.filter(member__in=members, day__gte=start,
                                                day__lte=through)
        .values("member_id", "status").annotate(n=Count("pk")).order_by()}
    result = []
    for m in members:
        last = min(through, m.ends_on or through)
        due = sum(1 for d in days if m.starts_on <= d <= last)
        result.append(MemberMonth(
            m, due, sum(counts.get((m.pk, s), 0) for s in ATTENDED),
            counts.get((m.pk, AttendanceStatus.ABSENT), 0),
            counts.get((m.pk, AttendanceStatus.LEAVE), 0)))
    return MonthlyAttendance(start, through, result)
