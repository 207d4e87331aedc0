"""Serializers of the calendars API. Writes go through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from weibao.calendars.choices import YearStatus
from weibao.calendars.models import CalendarDay, HolidayDay, HolidaySet, HolidayYear, WorkCalendar
from weibao.calendars.worktime import Unit

__all__ = [
    "CalendarDaySerializer",
    "CalendarDetailSerializer",
    "CalendarSerializer",
    "ComputeSerializer",
    "HolidayDaySerializer",
    "HolidaySetSerializer",
    "HolidayYearSerializer",
    "YearImportSerializer",
]


class CalendarSerializer(serializers.ModelSerializer):
    holiday_set: serializers.SlugRelatedField[HolidaySet] = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    based_on: serializers.SlugRelatedField[WorkCalendar] = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True,
                                            default=None)

    class Meta:
        model = WorkCalendar
        fields = ["code", "name", "description", "kind", "timezone", "holiday_set", "contract",
                  "contract_number", "based_on", "updated_at"]
        read_only_fields = fields


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "segments"]


class CalendarDetailSerializer(CalendarSerializer):
    weekly_hours = serializers.SerializerMethodField()
    days = CalendarDaySerializer(many=True, read_only=True)

    class Meta(CalendarSerializer.Meta):
        fields = [*CalendarSerializer.Meta.fields, "weekly_hours", "days"]
        read_only_fields = fields

    def get_weekly_hours(self, obj: WorkCalendar) -> dict[str, list[str]]:
        return obj.hours()


class HolidayYearSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(read_only=True, source="day_count", default=None)

    class Meta:
        model = HolidayYear
        fields = ["year", "status", "source", "updated_at", "days"]
        read_only_fields = fields


class HolidayDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = HolidayDay
        fields = ["date", "kind", "name", "segments"]


class HolidaySetSerializer(serializers.ModelSerializer):
    years = HolidayYearSerializer(many=True, read_only=True)

    class Meta:
        model = HolidaySet
        fields = ["code", "name", "authority", "description", "years"]


class YearImportSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    status = serializers.ChoiceField(choices=YearStatus.choices, default=YearStatus.PROVISIONAL)
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="",
                                 trim_whitespace=False,
                                 help_text="Lines 'date kind [name] [hours]', CSV or YAML.")
    file_format = serializers.ChoiceField(choices=["text", "csv", "yaml"], default="text",
                                          help_text="How text is written.")
    replace = serializers.BooleanField(default=False)


class LocalDateTimeField(serializers.Field):
    """An ISO 8601 time kept as given: naive stays naive (the calendar's zone applies)."""

    default_error_messages = {"invalid": "Not an ISO 8601 date and time: {value}."}

    def to_internal_value(self, data: Any) -> datetime.datetime:
        try:
            value = parse_datetime(str(data).strip())
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid", value=str(data)[:40])
        return value

    def to_representation(self, value: datetime.datetime) -> str:
        return value.isoformat()


class ComputeSerializer(serializers.Serializer):
    """``{start, amount, unit}`` -> due time; ``{start, end, unit}`` -> elapsed."""

    start = LocalDateTimeField(
        help_text="ISO 8601; without an offset it is read in the calendar's time zone.")
    amount = serializers.DecimalField(max_digits=12, decimal_places=6, required=False,
                                      min_value=Decimal(0))
    end = LocalDateTimeField(required=False)
    unit = serializers.ChoiceField(choices=[u.value for u in Unit])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("amount" in attrs) == ("end" in attrs):
            raise serializers.ValidationError("Give either amount (a due time) or end "
                                              "(the time elapsed), not both.")
        return attrs
