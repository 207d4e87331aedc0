"""The team roster from a spreadsheet (STF-01, STF-02; key ``staff``): one row per person.

Columns: name, role (project_manager / engineer / design_engineer / expert, or 项目经理 /
工程师 / 设计工程师 / 专家), resident (是/否), on the contract from, until (optional), mobile
phone, ID number, education (本科, 大专 …), years of experience, one certificate with its
expiry. A row whose name is already on the contract's team updates that member (its role,
residence, period and personal data; the certificate is added when new).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.imports.registry import Column, Importer, RowError, register
from weibao.imports.values import parse_bool, parse_date, parse_int
from weibao.staff.choices import Education, StaffRole
from weibao.staff.models import Certificate, Member, PersonalData
from weibao.staff.services.personal import valid_id_number

__all__ = ["RosterImporter", "register_importers"]

_ROLES = {**{r.value: r.value for r in StaffRole},
          "项目经理": StaffRole.PROJECT_MANAGER, "项目负责人": StaffRole.PROJECT_MANAGER,
          "工程师": StaffRole.ENGINEER, "运维工程师": StaffRole.ENGINEER,
          "设计工程师": StaffRole.DESIGN_ENGINEER, "专家": StaffRole.EXPERT,
          "专家组": StaffRole.EXPERT, "": StaffRole.ENGINEER}
_EDUCATION = {**{e.value: e.value for e in Education if e.value},
              "": "", "高中": Education.SECONDARY, "中专": Education.SECONDARY,
              "大专": Education.COLLEGE, "专科": Education.COLLEGE, "本科": Education.BACHELOR,
              "硕士": Education.MASTER, "研究生": Education.MASTER, "博士": Education.DOCTOR}


class RosterImporter(Importer):
    key = "staff"
    title = gettext_lazy("Team roster")
    permission = "staff.add_member"
    columns = (
        Column("name", gettext_lazy("name"), required=True),
        Column("role", gettext_lazy("role"),
               help=gettext_lazy("项目经理, 工程师, 设计工程师 or 专家; empty = engineer")),
        Column("resident", gettext_lazy("resident (驻场)"), help=gettext_lazy("是 or 否")),
        Column("starts_on", gettext_lazy("on the contract from"), required=True,
               help=gettext_lazy("YYYY-MM-DD")),
        Column("ends_on", gettext_lazy("on the contract until"), help=gettext_lazy("YYYY-MM-DD")),
        Column("phone", gettext_lazy("mobile phone")),
        Column("id_number", gettext_lazy("ID number")),
        Column("education", gettext_lazy("education"), help=gettext_lazy("本科, 大专 …")),
        Column("years_experience", gettext_lazy("years of experience")),
        Column("certificate", gettext_lazy("certificate")),
        Column("certificate_expires_on", gettext_lazy("certificate expires on"),
               help=gettext_lazy("YYYY-MM-DD")),
    )

    def prepare(self, contract: Any) -> dict[str, Any]:
        return {"seen": {}}

    def clean_row(self, contract: Any, values: dict[str, str], row: int,
                  context: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors: list[RowError] = []
        cleaned: dict[str, Any] = {"name": values.get("name", "")[:60]}
        if not cleaned["name"]:
            errors.append(RowError(row, "name", _("A team member needs a name.")))
        elif cleaned["name"] in context["seen"]:
            errors.append(RowError(row, "name", _("Same name as row %(row)s.") % {
                "row": context["seen"][cleaned["name"]]}))
        else:
            context["seen"][cleaned["name"]] = row
        cleaned["role"] = _ROLES.get(values.get("role", "").strip().lower())
        if cleaned["role"] is None:
            errors.append(RowError(row, "role", _("Unknown role %(value)s.") % {
                "value": values.get("role", "")}))
        cleaned["resident"] = parse_bool(values.get("resident", ""))
        for key in ("starts_on", "ends_on", "certificate_expires_on"):
            try:
                cleaned[key] = parse_date(values.get(key, ""))
            except ValueError:
                errors.append(RowError(row, key, _("Not a date: %(value)s.") % {
                    "value": values.get(key, "")}))
        if "starts_on" in cleaned and cleaned["starts_on"] is None:
            errors.append(RowError(row, "starts_on", _("Say from when the person is on the "
                                                       "contract.")))
        elif (cleaned.get("starts_on") and cleaned.get("ends_on")
              and cleaned["ends_on"] < cleaned["starts_on"]):
            errors.append(RowError(row, "ends_on", _("The end is before the start.")))
        phone = re.sub(r"[\s-]", "", values.get("phone", ""))
        if phone and not re.fullmatch(r"1\d{10}", phone):
            errors.append(RowError(row, "phone", _("A mobile phone has 11 digits starting "
                                                   "with 1.")))
        id_number = values.get("id_number", "").strip().upper()
        if id_number and not valid_id_number(id_number):
            errors.append(RowError(row, "id_number", _("Not a valid 18-character ID number.")))
        cleaned["education"] = _EDUCATION.get(values.get("education", "").strip().lower())
        if cleaned["education"] is None:
            errors.append(RowError(row, "education", _("Unknown education %(value)s.") % {
                "value": values.get("education", "")}))
        try:
            cleaned["years_experience"] = parse_int(values.get("years_experience", ""))
        except ValueError:
            errors.append(RowError(row, "years_experience", _("Not a whole number.")))
        cleaned.update(phone=phone, id_number=id_number,
                       certificate=values.get("certificate", "")[:100])
        return (None, errors) if errors else (cleaned, [])

    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        existing = {m.name: m for m in Member.objects.filter(contract=contract)}
        for row in rows:
            member = existing.get(row["name"])
            fields = {"role": row["role"], "resident": row["resident"],
                      "starts_on": row["starts_on"], "ends_on": row["ends_on"]}
            if member is None:
                member = Member.objects.create(contract=contract, name=row["name"], **fields)
            else:
                Member.objects.filter(pk=member.pk).update(**fields)
            PersonalData.objects.update_or_create(member=member, defaults={
                "phone": row["phone"], "id_number": row["id_number"],
                "education": row["education"], "years_experience": row["years_experience"]})
            if row["certificate"]:
                Certificate.objects.update_or_create(
                    member=member, name=row["certificate"],
                    defaults={"expires_on": row["certificate_expires_on"]})
        return len(rows)


def register_importers() -> None:
    register(RosterImporter())
