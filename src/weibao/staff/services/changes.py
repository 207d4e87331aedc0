"""Personnel changes (STF-05): the vendor asks in writing, naming a replacement at least as
qualified as the leaving member; the purchaser approves or refuses; the replacement works on
site alongside the leaving member for the contract's handover days (≥20 in 001) and the request
comes the contract's notice days before the change (30 in 002). The purchaser may demand a
replacement with a reason.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.core.models import User
from weibao.staff import notices
from weibao.staff.choices import EDUCATION_RANK, ChangeStatus
from weibao.staff.models import Member, PersonnelChange, StaffingTerms
from weibao.staff.selectors import contract_rules, education_of, satisfies
from weibao.utils.files import track_new_file

__all__ = ["complete_change", "decide_change", "qualification_gaps", "request_change"]


def qualification_gaps(leaving: Member, replacement: Member,
                       on: datetime.date) -> list[str]:
    """Why ``replacement`` is less qualified than ``leaving`` (empty when not): each staffing
    rule the leaving member counts for and the replacement does not, a lower education, a
    valid certificate the replacement lacks."""
    gaps = []
    for rule in contract_rules(leaving.contract):
        if satisfies(leaving, rule, on) and not satisfies(replacement, rule, on):
            gaps.append(f"does not count for “{rule.label}” / 不满足“{rule.label}”")
    if EDUCATION_RANK.get(education_of(replacement), 0) < EDUCATION_RANK.get(
            education_of(leaving), 0):
        gaps.append("lower education / 学历低于原人员")
    held = {c.name for c in replacement.certificates.all()
            if c.expires_on is None or c.expires_on >= on}
    for cert in leaving.certificates.all():
        if (cert.expires_on is None or cert.expires_on >= on) and cert.name not in held:
            gaps.append(f"lacks the certificate {cert.name} / 缺少证书 {cert.name}")
    return gaps


def _terms(contract: Contract) -> StaffingTerms:
    return (StaffingTerms.objects.filter(contract=contract).first()
            or StaffingTerms(contract=contract))


@transaction.atomic
def request_change(contract: Contract, actor: User, *, leaving: Member,
                   replacement: Member | None, reason: str, effective_on: datetime.date,
                   demanded_by_purchaser: bool = False,
                   request_letter: UploadedFile | None = None,
                   today: datetime.date | None = None) -> PersonnelChange:
    """A personnel change: by the vendor manager in writing, or demanded by the purchaser
    with a reason (then the vendor names the replacement later)."""
    perm = "staff.decide_personnelchange" if demanded_by_purchaser else "staff.add_personnelchange"
    if not actor.has_perm(perm):
        raise PermissionDenied("You may not request this personnel change. / "
                               "您无权提出该人员变更。")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if leaving.contract_id != contract.pk:
        errors["leaving"] = "The member is not on this contract's team. / 该成员不在本合同团队中。"
    if not reason.strip():
        errors["reason"] = "Say why. / 请说明原因。"
    terms = _terms(contract)
    if not demanded_by_purchaser:
        if replacement is None:
            errors["replacement"] = ("Name the replacement. / 请指定接替人员。")
        elif replacement.pk == leaving.pk or replacement.contract_id != contract.pk:
            errors["replacement"] = ("The replacement is another member of this team. / "
                                     "接替人员须为本团队的其他成员。")
        else:
            gaps = qualification_gaps(leaving, replacement, effective_on)
            if gaps:
                errors["replacement"] = ("The replacement is less qualified than the leaving "
                                         "member / 接替人员资质低于原人员: " + "; ".join(gaps))
            elif terms.handover_days and (effective_on - replacement.starts_on).days \
                    < terms.handover_days:
                errors["replacement"] = (
                    f"The contract asks for at least {terms.handover_days} days of on-site "
                    f"handover: the replacement must start by "
                    f"{effective_on - datetime.timedelta(days=terms.handover_days)}. / "
                    f"合同要求不少于 {terms.handover_days} 天现场交接，接替人员最迟应于 "
                    f"{effective_on - datetime.timedelta(days=terms.handover_days)} 到岗。")
        if terms.notice_days and (effective_on - today).days < terms.notice_days:
            errors["effective_on"] = (
                f"The contract asks for written notice {terms.notice_days} days before the "
                f"change: the earliest day is {today + datetime.timedelta(days=terms.notice_days)}"
                f". / 合同要求变动前 {terms.notice_days} 天书面通知，最早变动日为 "
                f"{today + datetime.timedelta(days=terms.notice_days)}。")
    if errors:
        raise ValidationError(errors)
    Contract.objects.select_for_update().get(pk=contract.pk)
    if PersonnelChange.objects.filter(leaving=leaving, status__in=(
            ChangeStatus.REQUESTED, ChangeStatus.APPROVED)).exists():
        raise ValidationError("A change of this member is already open. / "
                              "该成员已有进行中的变更。")
    change = PersonnelChange(
        contract=contract, leaving=leaving, replacement=replacement, reason=reason.strip(),
        demanded_by_purchaser=demanded_by_purchaser, requested_by=actor,
        effective_on=effective_on,
        status=ChangeStatus.APPROVED if demanded_by_purchaser else ChangeStatus.REQUESTED)
    if demanded_by_purchaser:
        change.decided_by, change.decided_at = actor, timezone.now()
    if request_letter is not None:
        change.request_letter.save(request_letter.name or "request", request_letter, save=False)
        track_new_file(change.request_letter.storage, change.request_letter.name or "")
    change.save()
    (notices.change_decided if demanded_by_purchaser else notices.change_requested)(change)
    return change


@transaction.atomic
def decide_change(change: PersonnelChange, actor: User, *, approve: bool,
                  note: str = "") -> PersonnelChange:
    """The purchaser approves (the handover starts) or refuses a requested change."""
    if not actor.has_perm("staff.decide_personnelchange"):
        raise PermissionDenied("Only the purchaser decides personnel changes. / "
                               "只有甲方可以审批人员变更。")
    locked = PersonnelChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeStatus.REQUESTED:
        raise ValidationError("This change was already decided. / 该变更已处理。")
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the change is refused. / 请说明不同意的理由。"})
    locked.status = ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_note = note.strip()
    if approve and locked.replacement is not None:
        locked.handover_from = max(locked.replacement.starts_on, timezone.localdate())
    locked.save()
    notices.change_decided(locked)
    return locked


@transaction.atomic
def complete_change(change: PersonnelChange, actor: User) -> PersonnelChange:
    """The handover is over: the leaving member leaves the team on the change's day."""
    if not actor.has_perm("staff.change_personnelchange"):
        raise PermissionDenied("You may not complete this change. / 您无权完成该变更。")
    locked = PersonnelChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeStatus.APPROVED or locked.replacement is None:
        raise ValidationError("Only an approved change with a replacement is completed. / "
                              "只有已批准且已指定接替人员的变更可以完成。")
    Member.objects.filter(pk=locked.leaving_id).update(ends_on=locked.effective_on)
    locked.status = ChangeStatus.COMPLETED
    locked.save(update_fields=["status", "updated_at"])
    return locked
