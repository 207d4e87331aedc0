"""Serializers of the staff API: personal data masked as the caller may see it (PLT-02)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.staff.choices import AttendanceStatus
from weibao.staff.models import (
    AttendanceCorrection,
    AttendanceDay,
    DutyShift,
    Member,
    PersonalData,
    PersonnelChange,
)
from weibao.staff.services.personal import PersonalAccess, mask_id_number, mask_phone


class StaffMemberSerializer(serializers.ModelSerializer[Member]):
    contract = serializers.CharField(source="contract.number", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    certificates = serializers.SerializerMethodField()
    education = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    masked = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ["id", "contract", "name", "role", "resident", "starts_on", "ends_on", "user",
                  "certificates", "education", "phone", "id_number", "masked"]

    def _personal(self, member: Member) -> PersonalData | None:
        try:
            return member.personal
        except PersonalData.DoesNotExist:
            return None

    def _full(self, member: Member) -> bool:
        # One PersonalAccess per response (kept on the root serializer): one contract check
        # per contract, not one per member.
        root = self.root
        access = getattr(root, "_personal_access", None)
        if access is None:
            access = PersonalAccess(self.context["request"].user)
            root._personal_access = access  # type: ignore[attr-defined]
        return bool(access(member))

    def get_certificates(self, member: Member) -> list[dict[str, Any]]:
        return [{"name": c.name, "expires_on": c.expires_on} for c in member.certificates.all()]

    def get_education(self, member: Member) -> str:
        data = self._personal(member)
        return data.education if data else ""

    def get_phone(self, member: Member) -> str:
        data = self._personal(member)
        value = data.phone if data else ""
        return value if self._full(member) else mask_phone(value)

    def get_id_number(self, member: Member) -> str:
        data = self._personal(member)
        value = data.id_number if data else ""
        return value if self._full(member) else mask_id_number(value)

    def get_masked(self, member: Member) -> bool:
        return not self._full(member)


class StaffCheckInInput(serializers.Serializer[Any]):
    location = serializers.CharField(max_length=120, required=False, default="",
                                     allow_blank=True)


class AttendanceDaySerializer(serializers.ModelSerializer[AttendanceDay]):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = AttendanceDay
        fields = ["id", "member", "member_name", "day", "status", "check_in_at",
                  "check_out_at", "location", "substitute", "corrected"]


class AttendanceCorrectionInput(serializers.Serializer[Any]):
    status_to = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(max_length=500)


class AttendanceCorrectionSerializer(serializers.ModelSerializer[AttendanceCorrection]):
    class Meta:
        model = AttendanceCorrection
        fields = ["id", "day", "status_to", "reason", "requested_by", "status", "decided_by",
                  "decided_at", "created_at"]


class StaffDecisionInput(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class PersonnelChangeSerializer(serializers.ModelSerializer[PersonnelChange]):
    contract = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = PersonnelChange
        fields = ["id", "contract", "leaving", "replacement", "reason", "demanded_by_purchaser",
                  "status", "effective_on", "handover_from", "requested_by", "decided_by",
                  "decided_at", "decision_note", "created_at"]


class PersonnelChangeInput(serializers.Serializer[Any]):
    contract = serializers.CharField(help_text="The contract's number.")
    leaving = serializers.IntegerField()
    replacement = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000)
    effective_on = serializers.DateField()
    demanded_by_purchaser = serializers.BooleanField(required=False, default=False)


class DutyShiftSerializer(serializers.ModelSerializer[DutyShift]):
    contract = serializers.CharField(source="contract.number", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = DutyShift
        fields = ["id", "contract", "user", "starts_at", "ends_at"]


class StaffDutyShiftInput(serializers.Serializer[Any]):
    contract = serializers.CharField()
    user = serializers.CharField(help_text="The username of the person on duty.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
