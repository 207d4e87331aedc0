"""SLA alerts (SLA-10): the warnings and breaches the scan recorded, per contract, filtered by
kind, stage, fault level, site and period, with an Excel export; and the period attainment of
the contract's KPI targets (SLA-05)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.contracts.selectors import visible_contracts
from weibao.imports.exports import ExcelExportMixin
from weibao.tickets.filtersets import SlaAlertFilterSet
from weibao.tickets.models import SlaAlert
from weibao.tickets.selectors import kpi_attainment
from weibao.tickets.tables import SlaAlertTable
from weibao.utils.views import PermissionMixin

__all__ = ["SlaAlertListView", "kpi_period"]


def kpi_period(after: datetime.date | None,
               before: datetime.date | None) -> tuple[datetime.datetime, datetime.datetime]:
    """The period of the KPI table: the filter's dates (both included), by default the
    current month up to today, as local midnights."""
    today = timezone.localdate()
    first = after or today.replace(day=1)
    last = before or today
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return start, end


class SlaAlertListView(ExcelExportMixin, PermissionMixin, SingleTableMixin, FilterView):
    """``/tickets/alerts/``: SLA alerts of the user's contracts (PLT-01)."""

    permission_required = "tickets.view_slaalert"
    filterset_class = SlaAlertFilterSet
    table_class = SlaAlertTable
    paginate_by = 50
    template_name = "tickets/alert_list.html"

    def get_queryset(self) -> QuerySet[SlaAlert]:
        from weibao.contracts.selectors import scope_to_user

        queryset: QuerySet[SlaAlert] = scope_to_user(SlaAlert.objects.all(), self.request.user)
        return queryset.select_related("contract", "ticket__site")

    def get_export_filename(self) -> str:
        return f"sla-alerts-{timezone.localdate():%Y%m%d}.xlsx"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not getattr(htmx, "boosted", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.form.is_valid() else {}
        contract = data.get("contract")
        if contract is None:
            mine = list(visible_contracts(self.request.user)[:2])
            contract = mine[0] if len(mine) == 1 else None
        if contract is not None:
            start, end = kpi_period(data.get("after"), data.get("before"))
            context.update(kpi_contract=contract, kpi_rows=kpi_attainment(contract, start, end),
                           kpi_start=start, kpi_end=end - datetime.timedelta(days=1))
        return context
