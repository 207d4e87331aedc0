from __future__ import annotations

from typing import Any

from rest_framework import serializers

from weibao.core.models import Organisation, User

__all__ = ["OrganisationSerializer", "UserSerializer"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "code", "kind", "credit_code", "address",
                  "postcode", "phone", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                     style={"input_type": "password"})
    phone = serializers.CharField(source="masked_phone", read_only=True)
    phone_number = serializers.CharField(source="phone", write_only=True, required=False,
                                         allow_blank=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "phone", "phone_number",
                  "organisation", "role", "is_active", "last_login", "date_joined", "password"]
        read_only_fields = ["last_login", "date_joined"]

    def validate_password(self, value: str) -> str:
        if value:
            from django.contrib.auth.password_validation import validate_password

            validate_password(value)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["A new user needs a password."]})
        return attrs
