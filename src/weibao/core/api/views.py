"""``/api/organisations/`` and ``/api/users/``: administrators manage them here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission

from weibao.core.api.mixins import AuditActorMixin
from weibao.core.api.permissions import AdministratorOnly
from weibao.core.api.serializers import OrganisationSerializer, UserSerializer
from weibao.core.filtersets import OrganisationFilterSet, UserFilterSet
from weibao.core.models import Organisation, User
from weibao.core.services import save_organisation, save_user

__all__ = ["OrganisationViewSet", "UserViewSet"]


class _AdminWriteViewSet(AuditActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         viewsets.GenericViewSet):
    def get_permissions(self) -> list[BasePermission]:
        return [AdministratorOnly()]


class OrganisationViewSet(_AdminWriteViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name", "code", "kind"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = save_organisation(dict(serializer.validated_data))

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = save_organisation(dict(serializer.validated_data),
                                                serializer.instance)


class UserViewSet(_AdminWriteViewSet):
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    ordering_fields = ["username", "role"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("organisation")

    def _save(self, serializer: Any, user: User | None) -> None:
        values = dict(serializer.validated_data)
        password = values.pop("password", "")
        serializer.instance = save_user(values, password=password, user=user)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)

