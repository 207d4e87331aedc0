"""The ledger table (its columns are also the Excel export's)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from weibao.spares.models import StockMovement

__all__ = ["MovementTable"]


class MovementTable(tables.Table):
    occurred_at = tables.DateTimeColumn(format="Y-m-d H:i")
    contract = tables.Column(accessor="contract__number", verbose_name=_("contract"))
    warehouse = tables.Column(accessor="warehouse__name")
    part_type = tables.Column(accessor="part_type__name")
    kind = tables.Column()
    condition = tables.Column()
    quantity = tables.Column(attrs={"td": {"class": "text-end"}})
    amount = tables.Column(attrs={"td": {"class": "text-end"}})
    reference = tables.Column(verbose_name=_("reference"), empty_values=(),
                              order_by=("reference_kind", "reference_id"))
    proposal_reference = tables.Column()
    reason = tables.Column()
    actor = tables.Column(accessor="actor__username", verbose_name=_("recorded by"))

    class Meta:
        model = StockMovement
        fields = ["occurred_at", "contract", "warehouse", "part_type", "kind", "condition",
                  "quantity", "amount", "reference", "proposal_reference", "reason", "actor"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "movement-table"}
        row_attrs = {"data-movement": lambda record: record.pk}

    def render_quantity(self, value: int) -> str:
        return f"{value:+d}"

    def render_amount(self, value: Any) -> str:
        return f"{value:,.2f}"

    def value_amount(self, value: Any) -> Any:
        return value

    def value_quantity(self, value: int) -> int:
        return value

    def render_reference(self, record: StockMovement) -> str:
        if not record.reference_kind:
            return "—"
        return f"{record.get_reference_kind_display()} {record.reference_id}"
