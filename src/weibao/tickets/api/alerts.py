"""``/api/sla-alerts/`` (SLA-10): the warnings and breaches of the caller's contracts, with the
page's filters (kind, stage, level, site, period)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from weibao.contracts.selectors import scope_to_user
from weibao.tickets.api.serializers import BuiltOnce
from weibao.tickets.filtersets import SlaAlertFilterSet
from weibao.tickets.models import SlaAlert

__all__ = ["SlaAlertSerializer", "SlaAlertViewSet"]


class SlaAlertSerializer(BuiltOnce, serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    ticket_number = serializers.CharField(source="ticket.number")
    fault_level = serializers.CharField(source="ticket.effective_level")
    site = serializers.CharField(source="ticket.site.code", default=None)

    class Meta:
        model = SlaAlert
        fields = ["id", "contract", "ticket", "ticket_number", "stage", "kind", "occurrence",
                  "at", "recorded_at", "penalty_percent", "fault_level", "site"]


class SlaAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Alerts of the caller's contracts only (PLT-01); newest first."""

    queryset = SlaAlert.objects.all()
    serializer_class = SlaAlertSerializer
    filterset_class = SlaAlertFilterSet
    ordering_fields = ["at", "recorded_at"]
    ordering = ["-at", "-pk"]

    def get_queryset(self) -> QuerySet[SlaAlert]:
        queryset: QuerySet[SlaAlert] = scope_to_user(SlaAlert.objects.all(), self.request.user)
        return queryset.select_related("contract", "ticket__site")
