"""Models of the spare-parts domain (备品备件, SPR-01..04)."""

from weibao.spares.models.catalogue import BudgetCap, PartType, RatioRule, Warehouse
from weibao.spares.models.ledger import StandbyLoan, StockBalance, StockMovement

__all__ = ["BudgetCap", "PartType", "RatioRule", "StandbyLoan", "StockBalance", "StockMovement",
           "Warehouse"]
