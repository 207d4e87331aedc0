"""Contracts in the Django admin, limited to the contracts visible to the user (PLT-01)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from weibao.contracts.models import (
    Amendment,
    Contract,
    ContractDocument,
    ContractEvent,
    ContractParty,
    FactorBand,
    Invoice,
    Payment,
    PaymentMilestone,
    PerformanceBond,
)
from weibao.contracts.selectors import scope_to_user


class ScopedAdmin(admin.ModelAdmin):
    contract_path = "contract"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.contract_path == "":
            from weibao.contracts.selectors import visible_contracts

            return queryset.filter(pk__in=visible_contracts(request.user).values("pk"))
        return scope_to_user(queryset, request.user, self.contract_path)


class PartyInline(admin.TabularInline):
    model = ContractParty
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = PaymentMilestone
    extra = 0


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    contract_path = ""
    list_display = ["number", "title", "amount", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title", "internal_number"]
    inlines = [PartyInline, MilestoneInline]


@admin.register(ContractDocument)
class DocumentAdmin(ScopedAdmin):
    list_display = ["title", "doc_type", "contract", "size"]
    list_filter = ["doc_type"]


@admin.register(Amendment)
class AmendmentAdmin(ScopedAdmin):
    list_display = ["contract", "sequence", "title", "signed_on"]


@admin.register(PerformanceBond)
class BondAdmin(ScopedAdmin):
    list_display = ["contract", "percent", "amount", "status"]


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdmin):
    contract_path = "milestone__contract"
    list_display = ["number", "milestone", "issued_on", "amount"]


@admin.register(Payment)
class PaymentAdmin(ScopedAdmin):
    contract_path = "milestone__contract"
    list_display = ["milestone", "paid_on", "amount"]


@admin.register(ContractEvent)
class ContractEventAdmin(ScopedAdmin):
    """Read-only here: events are recorded on the contract page (rules in the service)."""

    list_display = ["contract", "kind", "occurred_on", "factor", "penalties", "amount", "year",
                    "deliverable", "source", "entered_by"]
    list_filter = ["kind", "source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FactorBand)
class FactorBandAdmin(ScopedAdmin):
    """Read-only here: factor bands are contract terms, written by the contract spec."""

    list_display = ["contract", "sequence", "above_score", "rating", "factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
