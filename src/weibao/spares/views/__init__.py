"""Spare-parts pages (SPR-01..04)."""

from weibao.spares.views.ledger import MovementListView, RecordMovementView
from weibao.spares.views.pages import (
    BudgetView,
    ComplianceView,
    SparesIndexView,
    StandbyView,
    StockView,
)

__all__ = ["BudgetView", "ComplianceView", "MovementListView", "RecordMovementView",
           "SparesIndexView", "StandbyView", "StockView"]
