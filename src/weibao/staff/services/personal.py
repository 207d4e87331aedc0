"""Personal data and papers of team members (STF-02, STF-03, PLT-02).

ID numbers and phones are encrypted at rest (:class:`weibao.core.fields.EncryptedCharField`)
and shown in full only to those who need them: the purchaser and the vendor manager of a
contract they can see (permission ``staff.view_personaldata``) and the member themselves;
everyone else sees them masked (``3201**********123X``, ``138****5678``). Papers follow the
same rule.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from weibao.core.models import User
from weibao.staff.choices import DocumentKind, Education
from weibao.staff.models import Member, MemberDocument, PersonalData, RequiredDocument
from weibao.utils.files import track_new_file

__all__ = ["DocumentState", "PersonalAccess", "add_document", "document_states",
           "mask_id_number", "mask_phone", "may_see_personal", "set_personal_data",
           "valid_id_number"]

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def valid_id_number(value: str) -> bool:
    """A resident ID number of GB 11643: 17 digits and the check character."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == value[17]


def mask_id_number(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 7 else value


class PersonalAccess:
    """:func:`may_see_personal` for many members of a page or a response: the contract check
    runs once per contract, not once per member."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._contracts: dict[int, bool] = {}

    def __call__(self, member: Member) -> bool:
        user = self.user
        if not user.is_authenticated:
            return False
        if member.user_id is not None and member.user_id == user.pk:
            return True
        if not user.has_perm("staff.view_personaldata"):
            return False
        if member.contract_id not in self._contracts:
            from weibao.contracts.selectors import visible_contracts

            self._contracts[member.contract_id] = visible_contracts(user).filter(
                pk=member.contract_id).exists()
        return self._contracts[member.contract_id]


def may_see_personal(user: User, member: Member) -> bool:
    """Whether ``user`` sees ``member``'s ID number, phone and papers unmasked."""
    return PersonalAccess(user)(member)


def _require_keeper(actor: User, member: Member) -> None:
    if not (actor.has_perm("staff.change_personaldata") and may_see_personal(actor, member)):
        raise PermissionDenied("You may not keep this member's personal data. / "
                               "您无权维护该成员的个人信息。")


@transaction.atomic
def set_personal_data(member: Member, actor: User, *, id_number: str = "", phone: str = "",
                      education: str = "", major: str = "",
                      years_experience: int | None = None) -> PersonalData:
    """Record ``member``'s ID number, phone, education and experience (STF-02)."""
    _require_keeper(actor, member)
    errors: dict[str, str] = {}
    id_number, phone = id_number.strip().upper(), re.sub(r"[\s-]", "", phone)
    if id_number and not valid_id_number(id_number):
        errors["id_number"] = ("Not a valid 18-character ID number (check character wrong?). / "
                               "身份证号码无效（18 位，校验位不符？）。")
    if phone and not re.fullmatch(r"1\d{10}", phone):
        errors["phone"] = ("A mobile phone has 11 digits starting with 1. / "
                           "手机号码应为以 1 开头的 11 位数字。")
    if education not in Education.values:
        errors["education"] = f"Unknown education {education!r}. / 未知学历 {education!r}。"
    if years_experience is not None and not 0 <= years_experience <= 60:
        errors["years_experience"] = "Years of experience: 0 to 60. / 工作年限应在 0 到 60 之间。"
    if errors:
        raise ValidationError(errors)
    personal, _ = PersonalData.objects.select_for_update().get_or_create(member=member)
    personal.id_number, personal.phone = id_number, phone
    personal.education, personal.major = education, major.strip()
    personal.years_experience = years_experience
    personal.full_clean()
    personal.save()
    return personal


@transaction.atomic
def add_document(member: Member, actor: User, *, kind: str, upload: UploadedFile,
                 signed_on: datetime.date, covers_month: datetime.date | None = None,
                 note: str = "") -> MemberDocument:
    """File a paper of ``member`` (STF-02/03): the purchaser or the member's organisation."""
    _require_keeper(actor, member)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}. / 未知材料类型 {kind!r}。"})
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": "The file is larger than 20 MB. / 文件超过 20 MB。"})
    if kind == DocumentKind.SOCIAL_INSURANCE and covers_month is None:
        raise ValidationError({"covers_month": "Say which month the proof covers. / "
                                               "请填写社保证明所缴月份。"})
    document = MemberDocument(member=member, kind=kind, signed_on=signed_on, note=note.strip(),
                              covers_month=covers_month.replace(day=1) if covers_month else None,
                              uploaded_by=actor)
    document.file.save(upload.name or kind, upload, save=False)
    track_new_file(document.file.storage, document.file.name or "")
    document.save()
    return document


@dataclass(frozen=True)
class DocumentState:
    """Whether a member has a required paper: ``due_on`` (arrival + N working days) or
    ``valid_from`` (N months back); ``document`` the one that satisfies it, if any."""

    required: RequiredDocument
    document: MemberDocument | None
    due_on: datetime.date | None
    overdue: bool

    @property
    def ok(self) -> bool:
        return self.document is not None

    @property
    def late(self) -> bool:
        """Filed, but signed after the day it was due (e.g. the 15th working day)."""
        return (self.document is not None and self.due_on is not None
                and self.document.signed_on > self.due_on)


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def document_states(member: Member, required: list[RequiredDocument], today: datetime.date,
                    due_on: dict[int, datetime.date | None]) -> list[DocumentState]:
    """The state of each required paper of ``member`` (documents prefetched); ``due_on``: the
    due day of each requirement counted in working days, by requirement id."""
    states = []
    for req in required:
        docs = [d for d in member.documents.all() if d.kind == req.kind]
        if req.within_months:
            since = _months_back(today, req.within_months)
            docs = [d for d in docs if (d.covers_month or d.signed_on) >= since]
        due = due_on.get(req.pk)
        found = max(docs, key=lambda d: d.signed_on, default=None)
        states.append(DocumentState(req, found, due, found is None and due is not None
                                    and today > due))
    return states
