"""Opening stock from a spreadsheet (AST-10, key ``stock``): each row is a receive movement.

Columns: warehouse code, part type code, quantity, unit cost (optional, default the part type's
cost), condition (optional, new/faulty; 新/坏 accepted). Re-importing the same file receives the
stock again: opening stock is loaded once per warehouse.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.imports.registry import Column, Importer, RowError, register
from weibao.spares.choices import Condition
from weibao.spares.models import PartType, Warehouse

__all__ = ["StockImporter", "register_importers"]

_CONDITIONS = {"": Condition.NEW, "new": Condition.NEW, "新": Condition.NEW,
               "全新": Condition.NEW, "faulty": Condition.FAULTY, "坏": Condition.FAULTY,
               "故障": Condition.FAULTY}


class StockImporter(Importer):
    key = "stock"
    title = gettext_lazy("Opening stock")
    permission = "spares.add_stockmovement"
    columns = (
        Column("warehouse", gettext_lazy("warehouse code"), required=True),
        Column("part_type", gettext_lazy("part type code"), required=True),
        Column("quantity", gettext_lazy("quantity"), required=True,
               help=gettext_lazy("whole number above 0")),
        Column("unit_cost", gettext_lazy("unit cost"),
               help=gettext_lazy("CNY; empty = the part type's unit cost")),
        Column("condition", gettext_lazy("condition"), help=gettext_lazy("new or faulty")),
    )

    def prepare(self, contract: Any) -> dict[str, Any]:
        return {"warehouses": {w.code: w for w in Warehouse.objects.filter(contract=contract)},
                "part_types": {p.code: p for p in PartType.objects.filter(contract=contract)}}

    def clean_row(self, contract: Any, values: dict[str, str], row: int,
                  context: dict[str, Any]) -> tuple[dict[str, Any] | None, list[RowError]]:
        errors: list[RowError] = []
        warehouse = context["warehouses"].get(values.get("warehouse", ""))
        if warehouse is None:
            errors.append(RowError(row, "warehouse", _("Unknown warehouse %(code)s.") % {
                "code": values.get("warehouse", "")}))
        part_type = context["part_types"].get(values.get("part_type", ""))
        if part_type is None:
            errors.append(RowError(row, "part_type", _("Unknown part type %(code)s.") % {
                "code": values.get("part_type", "")}))
        quantity = None
        text = values.get("quantity", "")
        try:
            number = Decimal(text)
            if number != number.to_integral_value() or number <= 0:
                raise InvalidOperation
            quantity = int(number)
        except InvalidOperation:
            errors.append(RowError(row, "quantity", _(
                "The quantity must be a whole number above 0, not %(value)s.") % {
                    "value": text}))
        unit_cost = None
        if values.get("unit_cost"):
            try:
                unit_cost = Decimal(values["unit_cost"].replace(",", ""))
                if unit_cost < 0 or unit_cost != unit_cost.quantize(Decimal("0.01")):
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(RowError(row, "unit_cost", _(
                    "The unit cost must be an amount of 0 or more, exact to the fen.")))
        condition = _CONDITIONS.get(values.get("condition", "").lower())
        if condition is None:
            errors.append(RowError(row, "condition", _(
                "The condition must be new or faulty, not %(value)s.") % {
                    "value": values.get("condition", "")}))
        if errors:
            return None, errors
        return {"warehouse": warehouse, "part_type": part_type, "quantity": quantity,
                "unit_cost": unit_cost, "condition": condition}, []

    def write(self, contract: Any, rows: list[dict[str, Any]], actor: Any) -> int:
        from weibao.spares.services import receive

        for row in rows:
            receive(actor=actor, reason=str(_("Opening stock (import)")), **row)
        return len(rows)


def register_importers() -> None:
    register(StockImporter())
